"""The one suppression list, through the real worker and relay: an address that bounced gets
nothing more, whether it bounced before its mail was queued or between queueing and sending,
and whatever feature mails it next (a pledge, a subscription, an account)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.mail import suppression
from tests.pledges.helpers import pledge_by_email, sign
from tests.support.auth import csrf_from, make_user
from tests.support.servers import SmtpSink
from tests.support.worker import CeleryWorker
from tests.worker.helpers import drain, outbox_row, queue_message, reaches, rows_to

ADDRESS = "gone.away@example.org"


def test_an_address_suppressed_after_its_mail_was_queued_is_refused_at_send_time(
    own_worker: Callable[..., CeleryWorker], smtp_sink: SmtpSink
) -> None:
    # No worker yet: the message waits in the outbox, its send job in the broker.
    message_id = queue_message("digest:7:1", to=ADDRESS)
    assert outbox_row(message_id).status == "queued"  # not on the list when it was queued
    # A bounce report arrives (by mail, days after an earlier message) before it is sent.
    suppression.record_bounce_report(
        address=ADDRESS, kind="hard", source="dsn", report_key="dsn:<late-1@mx.example.net>"
    )
    db.session.commit()
    own_worker()
    row = reaches(message_id, "failed")
    assert row.last_error == suppression.SUPPRESSED
    assert row.attempts == 1 and row.sent_at is None and row.sent_headers is None
    drain(smtp_sink, expected=0)
    assert smtp_sink.to(ADDRESS) == []


def _pledge_again(client: FlaskClient) -> None:
    """A new pledge from the same address (an organisation's, the other kind)."""
    response = sign(client, "organisation", email=ADDRESS)
    assert response.status_code == 302


def _subscribe(client: FlaskClient) -> None:
    data = {"email": ADDRESS, "frequency": "weekly", "alerts": "followed", "locale": "en"}
    data["csrf_token"] = csrf_from(client, "/subscriptions/")
    response = client.post("/subscriptions/", data={**data, "states": ["BRA"]})
    assert response.status_code == 302


def _forgot_password(client: FlaskClient) -> None:
    data = {"email": ADDRESS, "csrf_token": csrf_from(client, "/account/forgot-password")}
    response = client.post("/account/forgot-password", data=data)
    assert response.status_code == 302


NEXT_MAIL: dict[str, tuple[str, Callable[[FlaskClient], None]]] = {
    # what the address asks for next: (the outbox key of its mail, how it is asked for)
    "pledge": ("pledge-confirm:", _pledge_again),
    "subscription": ("subscription-confirm:", _subscribe),
    "password reset": ("password-reset:", _forgot_password),
}


@pytest.mark.parametrize("then", NEXT_MAIL.values(), ids=NEXT_MAIL.keys())
def test_after_a_550_nothing_more_reaches_the_relay_for_the_address(
    worker: CeleryWorker,
    smtp_sink: SmtpSink,
    client: FlaskClient,
    then: tuple[str, Callable[[FlaskClient], None]],
) -> None:
    make_user("coordinator", ADDRESS)  # an account at the address, for the password reset
    smtp_sink.refusals.append("550 5.1.1 No such user here")
    assert sign(client, "individual", email=ADDRESS).status_code == 302
    first = f"pledge-confirm:{pledge_by_email(ADDRESS).id}:1"
    [bounced] = [row for row in rows_to(ADDRESS) if row.idempotency_key == first]
    assert reaches(bounced.id, "bounced").last_error is not None
    db.session.expire_all()
    assert suppression.is_suppressed(ADDRESS)

    prefix, ask = then
    ask(client)  # a minute later, through the form
    drain(smtp_sink, expected=0)
    assert smtp_sink.to(ADDRESS) == []
    # The mail is kept in the outbox, saying why; refused when it was queued, so no worker
    # ever claimed it (the send-time check would have counted an attempt).
    [later] = [row for row in rows_to(ADDRESS) if row.id != bounced.id]
    assert later.idempotency_key.startswith(prefix)
    assert (later.status, later.last_error) == ("failed", suppression.SUPPRESSED)
    assert later.attempts == 0
