"""One message in the outbox: the headers it went out with (exactly what the relay received)
and the bounce that came back for it, days later, by mail."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.mail.bounces import return_path
from campaign.mail.models import OutboundEmail
from campaign.mail.services import queue_email
from campaign.mail.smtp import header_block
from tests.mail.test_bounces import BOUNCES, rfc3464
from tests.support.auth import log_in, make_user
from tests.support.servers import SmtpSink
from worker.tasks import send_email


def _sent(smtp_sink: SmtpSink, key: str = "pledge-confirm:9:1") -> OutboundEmail:
    smtp_sink.clear()
    row = queue_email(
        key=key,
        to="amina@example.org",
        subject="Confirmez votre engagement",
        text="Merci.",
        html="<p>Merci.</p>",
    )
    assert row is not None
    db.session.commit()
    assert send_email(row.id) == "sent"
    db.session.expire_all()
    found = db.session.get(OutboundEmail, row.id)
    assert found is not None
    return found


def test_the_headers_recorded_are_those_the_relay_received(app: Flask, smtp_sink: SmtpSink) -> None:
    row = _sent(smtp_sink)
    assert row.status == "sent" and row.sent_headers
    # The sink is shared: other tests' workers may deliver to it; this message is the one
    # with this outbox row's Message-ID.
    key = f"<outbox-{row.id}.".encode()
    (raw,) = [message for message in smtp_sink.raw if key in message]
    assert row.sent_headers == header_block(raw)
    for name in ("Date:", "Message-ID:", "Auto-Submitted: auto-generated", "Subject:", "To:"):
        assert name in row.sent_headers
    assert "Merci." not in row.sent_headers  # the body is not a header


def test_the_message_page_shows_the_headers_and_the_bounce(
    app: Flask,
    coordinator: FlaskClient,
    smtp_sink: SmtpSink,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "MAIL_BOUNCE_ADDRESS", BOUNCES)
    row = _sent(smtp_sink)
    page = coordinator.get(f"/admin/outbox/{row.id}").get_data(as_text=True)
    message_id = next(
        line for line in str(row.sent_headers).splitlines() if line.startswith("Message-ID:")
    )
    assert message_id.replace("<", "&lt;").replace(">", "&gt;") in page
    assert "No bounce came back" in page
    listing = coordinator.get("/admin/outbox").get_data(as_text=True)
    assert f"/admin/outbox/{row.id}" in listing

    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(rfc3464(str(return_path(row.id)), row.to_address, "5.1.1", "failed", "dsn-9"))
    result = app.test_cli_runner().invoke(args=["mail", "bounces", str(tmp_path / "Maildir")])
    assert result.exit_code == 0, result.output
    page = coordinator.get(f"/admin/outbox/{row.id}").get_data(as_text=True)
    assert "No bounce came back" not in page
    assert "this message" in page and "5.1.1" in page
    assert "on the suppression list" in page


def test_a_message_not_sent_yet_says_so(coordinator: FlaskClient) -> None:
    row = queue_email(key="k:queued", to="ana@example.org", subject="Hello", text="Hello")
    assert row is not None
    db.session.commit()
    page = coordinator.get(f"/admin/outbox/{row.id}").get_data(as_text=True)
    assert "Not sent yet" in page


@pytest.mark.parametrize(
    "path", ["/admin/outbox/999999", "/admin/outbox/0", "/admin/outbox/-1", "/admin/outbox/x"]
)
def test_unknown_or_malformed_ids_are_not_found(coordinator: FlaskClient, path: str) -> None:
    assert coordinator.get(path).status_code == 404


@pytest.mark.parametrize(("role", "code"), [(None, 302), ("partner", 403)])
def test_only_coordinators_see_a_message(
    app: Flask, client: FlaskClient, role: str | None, code: int
) -> None:
    row = queue_email(key="k:private", to="ana@example.org", subject="Hello", text="Hello")
    assert row is not None
    db.session.commit()
    if role:
        log_in(client, make_user(role, f"{role}@example.org"))
    response = client.get(f"/admin/outbox/{row.id}")
    assert response.status_code == code
    assert "ana@example.org" not in response.get_data(as_text=True)
