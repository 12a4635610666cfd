"""A pledge costs two SQL statements: the pledge, and its mail with the suppression list
looked up inside the same INSERT. Each outcome of that INSERT, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.mail import guard, services, suppression
from campaign.mail.models import OutboundEmail
from tests.pledges.helpers import CHECK_EMAIL, form_data, outbox, pledge_by_email, sign
from tests.public.test_query_budget import statements
from tests.support.auth import csrf_from


def test_a_pledge_is_one_statement_on_postgresql_two_on_sqlite(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Settings and the states are kept per process, as in production (tests turn that off).
    monkeypatch.setitem(app.config, "RUNTIME_CACHE_SECONDS", 60)
    assert sign(client, email="first@example.org").status_code == 302  # warms the caches
    data = form_data("individual", email="second@example.org")
    data["csrf_token"] = csrf_from(client, "/pledge/individual")
    with statements(app) as seen:
        response = client.post("/pledge/individual", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(CHECK_EMAIL)
    writes = [s.split(" (")[0] for s in seen if not s.startswith(("BEGIN", "COMMIT"))]
    if db.engine.dialect.name == "postgresql":
        assert writes == ["WITH new_pledge AS"], seen
    else:
        assert writes == ["INSERT INTO pledges", "INSERT INTO outbound_emails"], seen
    pledge = pledge_by_email("second@example.org")
    key = f"pledge-confirm:{pledge.id}:1"
    written = select(OutboundEmail.template, OutboundEmail.template_ref)
    [row] = db.session.execute(written.filter_by(idempotency_key=key))  # before the worker's
    assert tuple(row) == ("pledge_confirm", pledge.id)
    [mail] = outbox(pledge.id)
    assert (mail.idempotency_key, mail.status, mail.last_error, mail.held_for) == (
        key,
        "queued",
        None,
        None,
    )


def _queue(key: str, to: str) -> int | None:
    return services.queue(key=key, to=to, subject="Hello", text="Body", html="<p>Body</p>")


@pytest.mark.parametrize(
    ("listed", "spelling"),
    [
        ("amina@example.org", "amina@example.org"),
        ("amina@example.org", "Amina+news@Example.org"),  # the same mailbox, another spelling
        ("a.mina@gmail.com", "amina@googlemail.com"),  # Gmail's dots and alias domain
    ],
)
def test_a_suppressed_address_is_kept_failed_by_the_same_insert(
    app: Flask, published_jobs: list[Any], listed: str, spelling: str
) -> None:
    suppression.record_bounce_report(
        address=listed, kind="hard", source="smtp", report_key=f"smtp:{listed}"
    )
    message_id = _queue("t:suppressed", spelling)
    db.session.commit()
    [row] = outbox_rows("t:suppressed")
    assert row.id == message_id
    assert (row.status, row.last_error, row.held_for) == ("failed", suppression.SUPPRESSED, None)
    assert published_jobs == []  # nothing to send


def test_a_held_client_s_mail_is_held_and_a_key_is_queued_once(
    app: Flask, published_jobs: list[Any]
) -> None:
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.7"}):
        guard.hold("client-abc")
        held_id = _queue("t:held", "held@example.org")
        assert _queue("t:held", "held@example.org") is None  # the same key: no second row
        db.session.commit()
    [row] = outbox_rows("t:held")
    assert row.id == held_id
    assert (row.status, row.held_for, row.last_error) == ("held", "client-abc", guard.HELD_REASON)
    assert published_jobs == []
    fine_id = _queue("t:fine", "fine@example.org")
    db.session.commit()
    [fine] = outbox_rows("t:fine")
    assert (fine.id, fine.status, fine.held_for, fine.last_error) == (fine_id, "queued", None, None)
    assert [name for name, _args in published_jobs] == ["campaign.send_email"]


def outbox_rows(key: str) -> list[OutboundEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboundEmail).filter_by(idempotency_key=key)))


def test_a_new_pledges_row_gives_every_default_itself(app: Flask) -> None:
    from campaign.pledges.models import Pledge
    from campaign.pledges.services import PledgeData, _new_pledge

    data = PledgeData(kind="individual", name="Ana", email="ana@example.org", country_id=None)
    row = _new_pledge(data, "ana@example.org", None)
    defaulted = {c.name for c in Pledge.__table__.columns if c.default is not None}
    assert defaulted <= set(row), defaulted - set(row)  # SQLAlchemy works none out per INSERT
    assert (row["is_suspect"], row["is_counted"], row["mails_sent"]) == (False, False, 1)
