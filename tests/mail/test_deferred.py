"""Deferred mail: the signing request queues the confirmation unwritten (recipient, subject,
key, template and pledge id); the worker writes it just before sending, in the pledge's
language, and keeps what it wrote in the outbox."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import deferred
from campaign.mail.models import OutboundEmail
from campaign.mail.services import CLAIMED_COLUMNS, Claimed
from campaign.pledges.models import Pledge
from tests.pledges.helpers import CONFIRM_LINK, form_data, sign
from tests.support.auth import csrf_from
from tests.support.mail import text_part
from tests.support.servers import SmtpSink, wait_until
from tests.support.worker import CeleryWorker


def _row(key: str) -> OutboundEmail:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail).filter_by(idempotency_key=key)).one()


def _claimed(row: OutboundEmail) -> Claimed:
    return Claimed(*(getattr(row, name) for name in CLAIMED_COLUMNS))


def test_the_request_writes_no_body(app: Flask, client: FlaskClient) -> None:
    sign(client, email="lena@example.org", name="Lena")
    pledge = db.session.scalars(select(Pledge)).one()
    row = _row(f"pledge-confirm:{pledge.id}:1")
    assert (row.template, row.template_ref, row.body_text) == ("pledge_confirm", pledge.id, "")
    assert row.subject == "Please confirm your pledge of support"  # known at once: the outbox


def test_the_worker_writes_it_in_the_pledges_language_and_keeps_it(
    worker: CeleryWorker, smtp_sink: SmtpSink, client: FlaskClient
) -> None:
    data = {
        **form_data("individual", name="Léa"),
        "csrf_token": csrf_from(client, "/fr/pledge/individual"),
    }
    assert client.post("/fr/pledge/individual", data=data).status_code == 302
    [received] = smtp_sink.wait_for(1)
    body = text_part(received)
    assert "Léa" in body and "/fr/pledge/confirm/" in body
    pledge = db.session.scalars(select(Pledge)).one()
    key = f"pledge-confirm:{pledge.id}:1"
    row = wait_until(lambda: _row(key).status == "sent", result=lambda: _row(key))
    assert row.template is None and "/fr/pledge/confirm/" in row.body_text
    assert CONFIRM_LINK.search(row.body_text) and "Léa" in (row.body_html or "")


def test_a_pledge_erased_before_sending_is_never_written(app: Flask, client: FlaskClient) -> None:
    sign(client, email="gone@example.org")
    pledge = db.session.scalars(select(Pledge)).one()
    row = _row(f"pledge-confirm:{pledge.id}:1")
    pledge.erased_at = utcnow()
    db.session.flush()
    assert deferred.write(_claimed(row)) is None
    assert _row(row.idempotency_key).body_text == ""


def test_a_written_row_is_sent_as_it_is(app: Flask, client: FlaskClient) -> None:
    sign(client, email="twice@example.org")
    pledge = db.session.scalars(select(Pledge)).one()
    row = _row(f"pledge-confirm:{pledge.id}:1")
    written = deferred.write(_claimed(row))
    assert (
        written is not None and written.template is None and "/pledge/confirm/" in written.body_text
    )
    assert deferred.write(written) is written
    assert _row(row.idempotency_key).body_html == written.body_html
