"""The back office: a coordinator records a change on a state's page, confirms or rejects the
partners' proposals; only admins edit the stages; bad input is a 4xx with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.road import services
from campaign.road.models import RoadStage, StageChange
from tests.factories import state
from tests.factories.road import default_stage
from tests.road.helpers import changes, form, move, partner_of
from tests.support.auth import csrf_from, log_in, make_user
from tests.support.rows import count

BAD_INPUTS: list[tuple[str, dict[str, str]]] = [
    ("empty stage", {"stage": ""}),
    ("unknown stage", {"stage": "999999"}),
    ("overflowing stage", {"stage": "99999999999999999999999"}),
    ("stage as text", {"stage": "parliament"}),
    ("superscript stage", {"stage": "²"}),
    ("empty date", {"effective_on": ""}),
    ("malformed date", {"effective_on": "2026-02-30"}),
    ("before adoption", {"effective_on": "1990-12-17"}),
    ("future date", {"effective_on": "2999-01-01"}),
    ("empty source", {"source": ""}),
    ("long source", {"source": "x" * 501}),
    ("CR/LF in source", {"source": "Decision\r\nBcc: x@example.org"}),
    ("script in source", {"source": "<script>alert(1)</script>"}),
    ("formula source", {"source": '=HYPERLINK("http://evil")'}),
    ("bidi override", {"source": "Decision \u202e12"}),
    ("bad URL", {"source_url": "javascript:alert(1)"}),
    ("long URL", {"source_url": "https://example.org/" + "a" * 500}),
]


@pytest.mark.parametrize("values", [v for _, v in BAD_INPUTS], ids=[n for n, _ in BAD_INPUTS])
def test_bad_input_to_the_record_form_is_a_400_with_nothing_written(
    coordinator: FlaskClient, values: dict[str, str]
) -> None:
    token = csrf_from(coordinator, "/admin/states/BRA")
    response = coordinator.post(
        "/admin/states/BRA/road", data={"csrf_token": token, **form(**values)}
    )
    assert response.status_code == 400
    assert 'class="error' in response.get_data(as_text=True)
    assert changes("BRA") == []


def test_rtl_and_astral_text_is_kept_as_given(coordinator: FlaskClient) -> None:
    source = "قرار مجلس الوزراء 𝒜 🌍"
    token = csrf_from(coordinator, "/admin/states/BRA")
    response = coordinator.post(
        "/admin/states/BRA/road", data={"csrf_token": token, **form(source=source)}
    )
    assert response.status_code == 302
    assert [change.source for change in changes("BRA")] == [source]
    assert source in coordinator.get("/states/BRA").get_data(as_text=True)


def test_missing_csrf_is_refused(coordinator: FlaskClient) -> None:
    response = coordinator.post("/admin/states/BRA/road", data=form())
    assert response.status_code == 400
    assert changes("BRA") == []


def test_record_shows_on_the_state_pages_and_twice_is_once(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, "/admin/states/BRA")
    for _ in range(2):
        response = coordinator.post("/admin/states/BRA/road", data={"csrf_token": token, **form()})
        assert response.status_code == 302
    assert [c.status for c in changes("BRA")] == ["confirmed"]
    page = coordinator.get("/admin/states/BRA").get_data(as_text=True)
    assert "Approved by the government" in page
    public = coordinator.get("/states/BRA").get_data(as_text=True)
    assert "Road to ratification" in public and "Approved by the government" in public
    assert state("BRA").status == "none"


def test_unknown_state_is_a_404(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, "/admin/states/BRA")
    for iso3 in ("XYZ", "B1A", "BRAZIL"):
        response = coordinator.post(
            f"/admin/states/{iso3}/road", data={"csrf_token": token, **form()}
        )
        assert response.status_code == 404


def _proposal(iso3: str = "BRA") -> StageChange:
    change, _ = services.propose_stage_change(
        state=state(iso3), move=move(), partner=partner_of(iso3)
    )
    db.session.commit()
    return change


def test_the_queue_confirms_and_a_second_decision_is_a_409(
    coordinator: FlaskClient, published_jobs: list[Any]
) -> None:
    change = _proposal()
    page = coordinator.get("/admin/road/")
    assert page.status_code == 200 and f'id="proposal-{change.id}"' in page.get_data(as_text=True)
    token = csrf_from(coordinator, "/admin/road/")
    url = f"/admin/road/changes/{change.id}/confirm"
    assert coordinator.post(url, data={"csrf_token": token}).status_code == 302
    assert [c.status for c in changes("BRA")] == ["confirmed"]
    again = coordinator.post(url, data={"csrf_token": token})
    assert again.status_code == 409
    assert "already confirmed or rejected" in again.get_data(as_text=True)
    reject = coordinator.post(
        f"/admin/road/changes/{change.id}/reject", data={"csrf_token": token, "reason": "No"}
    )
    assert reject.status_code == 409
    assert [c.status for c in changes("BRA")] == ["confirmed"]
    confirmed = select(AuditEvent).filter_by(action="road.change_confirmed")
    assert len(db.session.scalars(confirmed).all()) == 1


def test_rejecting_needs_a_reason(coordinator: FlaskClient) -> None:
    change = _proposal()
    token = csrf_from(coordinator, "/admin/road/")
    url = f"/admin/road/changes/{change.id}/reject"
    for reason in ("", "x" * 501, "line\nbreak"):
        response = coordinator.post(url, data={"csrf_token": token, "reason": reason})
        assert response.status_code == 400
    assert [c.status for c in changes("BRA")] == ["proposed"]
    ok = coordinator.post(url, data={"csrf_token": token, "reason": "No such decision"})
    assert ok.status_code == 302
    assert [(c.status, c.reject_reason) for c in changes("BRA")] == [
        ("rejected", "No such decision")
    ]


def test_decisions_on_unknown_or_overflowing_ids_are_404(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, "/admin/road/")
    for change_id in ("999999", "99999999999999999999999", "-1", "x"):
        response = coordinator.post(
            f"/admin/road/changes/{change_id}/confirm", data={"csrf_token": token}
        )
        assert response.status_code == 404


def test_only_admins_edit_stages(coordinator: FlaskClient) -> None:
    assert coordinator.get("/admin/road/stages").status_code == 403
    assert coordinator.post("/admin/road/stages", data={"name": "X"}).status_code in (400, 403)
    assert count(RoadStage) == 6


def test_admin_adds_renames_moves_and_retires_stages(admin: FlaskClient) -> None:
    token = csrf_from(admin, "/admin/road/stages")
    added = admin.post("/admin/road/stages", data={"csrf_token": token, "name": "Signed into law"})
    assert added.status_code == 302
    stage = db.session.query(RoadStage).filter_by(name="Signed into law").one()
    for name in ("", "x" * 121, "Before parliament", "<b>", "=1+1"):
        refused = admin.post("/admin/road/stages", data={"csrf_token": token, "name": name})
        assert refused.status_code == 400
    assert count(RoadStage) == 7
    base = f"/admin/road/stages/{stage.id}"
    assert (
        admin.post(f"{base}/rename", data={"csrf_token": token, "name": "Law"}).status_code == 302
    )
    assert admin.post(f"{base}/up", data={"csrf_token": token}).status_code == 302
    assert admin.post(f"{base}/retire", data={"csrf_token": token}).status_code == 302
    assert admin.post(f"{base}/retire", data={"csrf_token": token}).status_code == 400
    assert admin.post(f"{base}/sideways", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert (stage.name, stage.is_retired) == ("Law", True)
    assert "Law" in admin.get("/admin/road/stages").get_data(as_text=True)
    assert admin.post(f"{base}/restore", data={"csrf_token": token}).status_code == 302
    assert admin.post(f"{base}/restore", data={"csrf_token": token}).status_code == 400
    db.session.expire_all()
    assert not stage.is_retired


def test_a_stage_a_state_is_at_cannot_be_retired(app: Any, client: FlaskClient) -> None:
    admin_user = make_user("admin")
    log_in(client, admin_user)
    services.record_stage_change(state=state("BRA"), move=move(), actor=admin_user)
    db.session.commit()
    stage = default_stage("government_approved")
    token = csrf_from(client, "/admin/road/stages")
    response = client.post(f"/admin/road/stages/{stage.id}/retire", data={"csrf_token": token})
    assert response.status_code == 400
    db.session.expire_all()
    assert not stage.is_retired


@pytest.mark.parametrize(
    "query", ["stage=", "stage=none", "stage=abc", "stage=99999999999999999999", "stage=%00"]
)
def test_state_filters_take_any_stage_argument(coordinator: FlaskClient, query: str) -> None:
    assert coordinator.get(f"/admin/states?{query}").status_code == 200


def test_states_filtered_by_stage(coordinator: FlaskClient) -> None:
    services.record_stage_change(
        state=state("BRA"), move=move(), actor=make_user("coordinator", email="c2@example.org")
    )
    db.session.commit()
    stage = default_stage("government_approved")
    page = coordinator.get(f"/admin/states?stage={stage.id}").get_data(as_text=True)
    assert "/admin/states/BRA" in page and "/admin/states/ARG" not in page
    rest = coordinator.get("/admin/states?stage=none").get_data(as_text=True)
    assert "/admin/states/BRA" not in rest and "/admin/states/ARG" in rest
