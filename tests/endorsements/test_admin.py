"""The verification queue: only confirmed endorsements wait; verify or reject with a reason,
audited; coordinators only; the export is audited and safe for spreadsheets."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.endorsements.models import Endorsement
from campaign.extensions import db
from tests.endorsements.helpers import OFFICIAL, endorsements, mails, sign
from tests.factories import EndorsementFactory
from tests.support.auth import csrf_from, log_in, make_user

QUEUE = "/admin/endorsements"


def _review(client: FlaskClient, endorsement: Endorsement, **data: str) -> int:
    token = csrf_from(client, QUEUE)
    path = f"/admin/endorsements/{endorsement.id}/review"
    return client.post(path, data={"csrf_token": token, **data}).status_code


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_queue_shows_confirmed_endorsements_only(coordinator: FlaskClient) -> None:
    waiting = EndorsementFactory(confirmed=True, name="Waiting Official")
    EndorsementFactory(name="Unconfirmed Official")
    EndorsementFactory(verified=True, name="Verified Official")
    db.session.commit()
    page = coordinator.get(QUEUE).get_data(as_text=True)
    assert "Waiting Official" in page and waiting.proof_url in page
    assert "Unconfirmed Official" not in page and "Verified Official" not in page
    assert 'rel="nofollow noopener noreferrer"' in page


def test_verify_is_audited_and_lists_it(coordinator: FlaskClient) -> None:
    endorsement = EndorsementFactory(confirmed=True)
    db.session.commit()
    assert _review(coordinator, endorsement, decision="verify", reason="") == 302
    db.session.expire_all()
    assert endorsement.review == "verified" and endorsement.is_listed()
    assert _actions()[-1] == "endorsement.verified"
    assert _review(coordinator, endorsement, decision="verify", reason="") == 302  # no-op
    assert _actions().count("endorsement.verified") == 1
    [mail] = [m for m in mails() if m.idempotency_key.startswith("endorsement-review:")]
    assert mail.idempotency_key == f"endorsement-review:{endorsement.id}:verified"
    assert mail.to_address == endorsement.email
    assert mail.subject == "Your endorsement of the Convention is published"
    assert "/supporters/MEX" in mail.body_text and "/endorsement/manage/" in mail.body_text


def test_reject_needs_a_reason(coordinator: FlaskClient) -> None:
    endorsement = EndorsementFactory(confirmed=True)
    db.session.commit()
    assert _review(coordinator, endorsement, decision="reject", reason=" ") == 400
    db.session.expire_all()
    assert endorsement.review == "pending"
    reason = "The page does not name this person."
    assert _review(coordinator, endorsement, decision="reject", reason=reason) == 302
    db.session.expire_all()
    assert endorsement.review == "rejected" and endorsement.review_reason == reason
    assert not endorsement.is_listed()
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.action == "endorsement.rejected"
    assert event.after == {"review": "rejected", "reason": reason}
    [mail] = [m for m in mails() if m.idempotency_key.startswith("endorsement-review:")]
    assert mail.subject == "About your endorsement of the Convention"
    assert reason in mail.body_text and reason in (mail.body_html or "")


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "publish", "reason": ""},
        {"decision": "reject", "reason": "x" * 2001},
        {"decision": "reject", "reason": "bad\x00byte"},
        {},
    ],
    ids=["unknown decision", "reason too long", "control character", "nothing"],
)
def test_bad_decisions_are_a_400(coordinator: FlaskClient, data: dict[str, str]) -> None:
    endorsement = EndorsementFactory(confirmed=True)
    db.session.commit()
    assert _review(coordinator, endorsement, **data) == 400
    db.session.expire_all()
    assert endorsement.review == "pending"


def test_an_unconfirmed_endorsement_cannot_be_verified(coordinator: FlaskClient) -> None:
    endorsement = EndorsementFactory()
    db.session.commit()
    assert _review(coordinator, endorsement, decision="verify") == 400
    db.session.expire_all()
    assert endorsement.review == "pending"
    token = csrf_from(coordinator, QUEUE)
    missing = coordinator.post("/admin/endorsements/999999/review", data={"csrf_token": token})
    assert missing.status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "partner"])
def test_only_coordinators_reach_the_queue(client: FlaskClient, role: str) -> None:
    endorsement = EndorsementFactory(confirmed=True, name="Hidden Official")
    db.session.commit()
    if role != "anonymous":
        log_in(client, make_user(role))
    for path in (QUEUE, "/admin/endorsements/export.csv"):
        response = client.get(path)
        assert response.status_code in (302, 403)
        assert "Hidden Official" not in response.get_data(as_text=True)
    post = client.post(f"/admin/endorsements/{endorsement.id}/review", data={"decision": "verify"})
    assert post.status_code in (302, 400, 403)
    db.session.expire_all()
    assert endorsement.review == "pending"


def test_the_export_is_audited_and_escapes_formulas(coordinator: FlaskClient) -> None:
    EndorsementFactory(confirmed=True, statement='=HYPERLINK("http://x")', party="@party")
    EndorsementFactory(name="Not Confirmed")
    db.session.commit()
    response = coordinator.get("/admin/endorsements/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["id", "state", "name"] and len(rows) == 2
    assert rows[1][6] == '\'=HYPERLINK("http://x")' and rows[1][5] == "'@party"
    assert _actions()[-1] == "endorsements.exported"


def test_a_rejected_endorsement_sent_again_is_confirmed_and_reviewed_again(
    coordinator: FlaskClient,
) -> None:
    sign(coordinator)
    [endorsement] = endorsements()
    endorsement.confirmed_at = endorsement.created_at
    endorsement.review, endorsement.review_reason = "rejected", "No such member."
    endorsement.last_mailed_at = None  # past the resend cooldown
    db.session.commit()
    better = "https://diputados.example.org/members/lucia-hernandez-2027"
    assert sign(coordinator, proof_url=better).status_code == 302
    [endorsement] = endorsements()
    assert endorsement.proof_url == better and endorsement.review == "pending"
    assert endorsement.confirmed_at is None and endorsement.review_reason == ""
    assert endorsement.email == OFFICIAL["email"]
    latest = mails()[-1]
    assert latest.template is None and "Confirm" in latest.body_text
    assert latest.idempotency_key == f"endorsement-confirm:{endorsement.id}:2"
