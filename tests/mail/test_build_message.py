"""The MIME message built from an outbox row: stable Message-ID, headers as written, bodies."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from flask import Flask

from campaign.mail.services import Claimed
from campaign.mail.smtp import build_message

UNSUBSCRIBE = "<https://campaign.example.org/subscriptions/unsubscribe/" + "t" * 150 + ">"


def _row(**changes: object) -> Claimed:
    fields: dict[str, object] = {
        "id": 41,
        "idempotency_key": "digest:3:41",
        "to_address": "reader@example.org",
        "subject": "Weekly digest",
        "body_text": "Brazil signed.\n",
        "body_html": "<p>Brazil signed.</p>\n",
        "headers": {
            "List-Unsubscribe": UNSUBSCRIBE,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        "attempts": 1,
    }
    return Claimed(**{**fields, **changes})  # type: ignore[arg-type]


def _sent(row: Claimed) -> EmailMessage:
    """The message as the relay receives it, parsed as a mail client would."""
    raw = build_message(row).as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # lines end in CRLF on the wire


def test_the_message_id_is_the_same_every_time_for_a_key(app: Flask) -> None:
    with app.app_context():
        first, again = _sent(_row()), _sent(_row(attempts=2))
        other = _sent(_row(id=42, idempotency_key="digest:3:42"))
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] != other["Message-ID"]
    assert str(first["Message-ID"]).startswith("<outbox-41.")


def test_headers_and_bodies_arrive_as_written(app: Flask) -> None:
    with app.app_context():
        message = _sent(_row())
        raw = build_message(_row()).as_bytes()
    assert message["To"] == "reader@example.org"
    assert message["Subject"] == "Weekly digest"
    assert message["X-Campaign-Key"] == "digest:3:41"
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    # The long unsubscribe link on one line, never folded into encoded words.
    assert f"List-Unsubscribe: {UNSUBSCRIBE}\r\n".encode() in raw
    assert message.get_content_type() == "multipart/alternative"
    assert _body(message, "plain") == "Brazil signed.\n"
    assert _body(message, "html") == "<p>Brazil signed.</p>\n"


@pytest.mark.parametrize(
    "subject",
    [
        "Résumé hebdomadaire : semaine du 30 novembre 2026",
        "الملخص الأسبوعي: أسبوع 30 نوفمبر 2026، وهو عنوان طويل بما يكفي ليُقسم إلى عدة كلمات",
        "Еженедельная сводка",
    ],
)
def test_a_subject_and_bodies_in_any_language_decode_to_the_original(
    app: Flask, subject: str
) -> None:
    text = f"{subject}\nMigrantes: la Convención\n"
    with app.app_context():
        message = _sent(_row(subject=subject, body_text=text, body_html=None))
    assert message["Subject"] == subject
    assert message.get_content_type() == "text/plain"
    assert _body(message, "plain") == text


def test_a_line_break_in_a_header_is_refused(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError, match="linefeed"):
        build_message(_row(subject="Hi\r\nBcc: victim@example.org"))


def test_an_international_address_is_still_sent(app: Flask) -> None:
    with app.app_context():
        message = _sent(_row(to_address="lecteur@exemple.fr", subject="Bonjour"))
        unicode = build_message(_row(to_address="José <jose@example.org>"))
    assert message["To"] == "lecteur@exemple.fr"
    assert isinstance(unicode, EmailMessage)  # the modern builder, which encodes the name
    assert "jose@example.org" in str(unicode["To"])


DOMAINS = [
    # (SITE_URL, MAIL_DEFAULT_SENDER, the domain of the Message-ID)
    ("https://ratify.example.org", "Campaign <mail@other.example>", "ratify.example.org"),
    ("https://Ratify.Example.org:8443/x", "mail@other.example", "ratify.example.org"),
    ("http://127.0.0.1:5000", "Campaign <campaign@mail.example.net>", "mail.example.net"),
    ("http://localhost:5000", "campaign@localhost", "campaign.invalid"),
    ("http://[::1]:5000", "campaign@127.0.0.1", "campaign.invalid"),
    ("http://app.localhost", "campaign", "campaign.invalid"),
]


@pytest.mark.parametrize(("site", "sender", "domain"), DOMAINS)
def test_the_message_id_is_on_the_sites_own_domain(
    app: Flask, monkeypatch: pytest.MonkeyPatch, site: str, sender: str, domain: str
) -> None:
    monkeypatch.setitem(app.config, "SITE_URL", site)
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", sender)
    with app.app_context():
        message_id = str(_sent(_row())["Message-ID"])
    assert message_id.endswith(f"@{domain}>")
    assert "localhost" not in message_id


@pytest.mark.parametrize("subject", ["Weekly digest", "Résumé hebdomadaire", "Tab\tand more"])
def test_every_message_has_a_date_and_says_it_is_automatic(app: Flask, subject: str) -> None:
    with app.app_context():
        message = _sent(_row(subject=subject))
    date = message["Date"]
    assert date is not None and date.datetime.tzinfo is not None  # parsed as RFC 5322
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Campaign-Key"] == "digest:3:41"
    assert len(message.get_all("Date") or []) == 1
    assert len(message.get_all("Message-ID") or []) == 1
