"""Coordinators record and correct status changes in the back office."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.core.jobs import STATUS_CHANGE_ALERTS
from campaign.extensions import db
from campaign.states.models import State, StatusChange
from tests.factories import state
from tests.support.auth import csrf_from, log_in, make_user
from tests.support.rows import count

URL = "https://treaties.un.org/doc/Publication/CN/2026/CN.123.2026-Eng.pdf"


def _reloaded(iso3: str) -> State:
    """The state as the last request left it (the session's copy is expired first)."""
    db.session.expire_all()
    return state(iso3)


def _change(**values: str) -> dict[str, str]:
    return {"act": "signature", "effective_on": "2026-09-01", "source_url": URL, **values}


def test_record_change_appends_history_updates_state_and_queues_alert_once(
    coordinator: FlaskClient, published_jobs: list[Any]
) -> None:
    token = csrf_from(coordinator, "/admin/states/BRA")
    response = coordinator.post(
        "/admin/states/BRA/changes", data={"csrf_token": token, **_change()}
    )
    assert response.status_code == 302
    brazil = _reloaded("BRA")
    assert (brazil.status, brazil.signed_on) == ("signatory", dt.date(2026, 9, 1))
    [change] = brazil.changes
    assert change.recorded_by is not None and change.recorded_by.email == "coordinator@example.org"
    assert change.source_url == URL
    assert published_jobs == [(STATUS_CHANGE_ALERTS, (change.id,))]
    event = db.session.scalars(select(AuditEvent).filter_by(action="state.status_recorded")).one()
    assert event.before == {
        "status": "none",
        "signed_on": None,
        "consented_on": None,
        "consent_method": None,
    }
    assert event.after is not None and event.after["status"] == "signatory"

    again = coordinator.post("/admin/states/BRA/changes", data={"csrf_token": token, **_change()})
    assert again.status_code == 302
    assert len(_reloaded("BRA").changes) == 1
    assert len(published_jobs) == 1


def test_timeline_shows_who_and_source(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, "/admin/states/BRA")
    coordinator.post("/admin/states/BRA/changes", data={"csrf_token": token, **_change()})
    page = coordinator.get("/admin/states/BRA").get_data(as_text=True)
    assert "coordinator@example.org" in page and URL in page
    assert "seed" in coordinator.get("/admin/states/MEX").get_data(as_text=True)


def test_correction_keeps_history(coordinator: FlaskClient) -> None:
    [accession] = _reloaded("ZWE").changes
    token = csrf_from(coordinator, "/admin/states/ZWE")
    response = coordinator.post(
        f"/admin/states/ZWE/changes/{accession.id}/correct",
        data={"csrf_token": token, "effective_on": "2024-11-06", "source": "Notification C.N.1"},
    )
    assert response.status_code == 302
    zimbabwe = _reloaded("ZWE")
    assert zimbabwe.consented_on == dt.date(2024, 11, 6)
    assert [(c.act, c.effective_on) for c in zimbabwe.changes] == [
        ("accession", dt.date(2024, 11, 5)),
        ("correction", dt.date(2024, 11, 6)),
    ]


BAD_CHANGES = [
    ({"act": ""}, "Choose the act"),
    ({"act": "withdrawal"}, "Not a valid choice"),
    ({"effective_on": ""}, "Give the date"),
    ({"effective_on": "yesterday"}, "Not a valid date"),
    ({"effective_on": "1989-01-01"}, "must be between"),
    ({"effective_on": "2999-01-01"}, "must be between"),
    ({"source_url": ""}, "source"),
    ({"source_url": "javascript:alert(1)"}, "full address"),
    ({"source_url": "https://example.org/" + "a" * 600}, "longer than 500"),
    ({"source": '=HYPERLINK("http://x")'}, "start with a letter"),
    ({"source": "Notification\r\nBcc: x@example.org"}, "line breaks"),
    ({"note": "<script>alert(1)</script>"}, "&lt; and &gt;"),
    ({"act": "ratification"}, "no signature"),
]


@pytest.mark.parametrize(("values", "message"), BAD_CHANGES)
def test_bad_status_changes_write_nothing(
    coordinator: FlaskClient, published_jobs: list[Any], values: dict[str, str], message: str
) -> None:
    before = count(StatusChange)
    token = csrf_from(coordinator, "/admin/states/BRA")
    response = coordinator.post(
        "/admin/states/BRA/changes", data={"csrf_token": token, **_change(**values)}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(StatusChange) == before and _reloaded("BRA").status == "none"
    assert published_jobs == []


def test_missing_csrf_is_refused(coordinator: FlaskClient) -> None:
    before = count(StatusChange)
    response = coordinator.post("/admin/states/BRA/changes", data=_change())
    assert response.status_code == 400
    assert count(StatusChange) == before


def test_unknown_state_and_entry_are_404(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, "/admin/states/BRA")
    assert coordinator.get("/admin/states/XXX").status_code == 404
    assert coordinator.get("/admin/states/<sc>").status_code == 404
    [accession] = _reloaded("ZWE").changes
    response = coordinator.post(
        f"/admin/states/BRA/changes/{accession.id}/correct",
        data={"csrf_token": token, "effective_on": "2024-11-06", "source": "x"},
    )
    assert response.status_code == 404


def test_profile_priority_and_notes_are_audited(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, "/admin/states/BRA")
    response = coordinator.post(
        "/admin/states/BRA/profile",
        data={"csrf_token": token, "is_priority": "y", "notes": "Minister met us <3"},
    )
    assert response.status_code == 302
    brazil = _reloaded("BRA")
    assert brazil.is_priority and brazil.notes == "Minister met us <3"
    event = db.session.scalars(select(AuditEvent).filter_by(action="state.profile_changed")).one()
    assert event.after == {"is_priority": True, "notes": "Minister met us <3"}
    priority = coordinator.get("/admin/states?priority=1").get_data(as_text=True)
    assert "Brazil" in priority and "Mexico" not in priority


@pytest.mark.parametrize(("role", "expected"), [("partner", 403), (None, 302)])
def test_only_coordinators(client: FlaskClient, role: str | None, expected: int) -> None:
    if role:
        log_in(client, make_user(role))
    assert client.get("/admin/states/BRA").status_code == expected
    assert client.post("/admin/states/BRA/changes", data=_change()).status_code in {expected, 400}
