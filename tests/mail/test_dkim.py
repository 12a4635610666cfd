"""DKIM: with a key configured, every message the relay receives verifies under dkimpy against
the public key (the DNS answer is given by the test: no network); without one, none is signed."""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Callable
from pathlib import Path

import dkim
import pytest
from flask import Flask

from campaign.mail.services import Claimed
from campaign.mail.smtp import deliver
from tests.support.servers import SmtpSink

SELECTOR, DOMAIN = "mwc2026", "ratify.example.org"


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A fresh 2048-bit RSA key (openssl), and the TXT record that would publish it."""
    folder = tmp_path_factory.mktemp("dkim")
    private = folder / "dkim.pem"
    subprocess.run(
        ["openssl", "genrsa", "-traditional", "-out", str(private), "2048"],
        check=True,
        capture_output=True,
    )
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(private), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    return private, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def _dns(record: bytes) -> Callable[..., bytes | None]:
    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode() else None

    return lookup


def _row(number: int, **changes: object) -> Claimed:
    fields: dict[str, object] = {
        "id": number,
        "idempotency_key": f"dkim-test:{number}",
        "to_address": f"reader{number}@example.org",
        "subject": "Brazil ratified the Migrant Workers Convention",
        "body_text": "Brazil ratified.\n\n.\nA line that is only a dot, above.\n",
        "body_html": "<p>Brazil ratified.</p>\n",
        "headers": {
            "List-Id": "Migrant Workers Convention campaign updates <updates.ratify.example.org>",
            "List-Unsubscribe": "<https://ratify.example.org/subscriptions/unsubscribe/t>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        "attempts": 1,
    }
    return Claimed(**{**fields, **changes})  # type: ignore[arg-type]


ROWS = {
    "ascii": {},
    "utf-8 subject and body": {"subject": "Le Brésil a ratifié", "body_text": "Ратифицировал\n"},
    "right-to-left": {"subject": "صادقت البرازيل", "body_html": "<p dir='rtl'>صادقت</p>"},
    "long lines": {"body_text": "word " * 400 + "\n"},
    "text only": {"body_html": None, "headers": {}},
}


@pytest.mark.parametrize("changes", ROWS.values(), ids=ROWS.keys())
def test_a_sent_message_verifies_against_the_published_key(
    app: Flask,
    smtp_sink: SmtpSink,
    monkeypatch: pytest.MonkeyPatch,
    key_pair: tuple[Path, bytes],
    changes: dict[str, object],
) -> None:
    private, record = key_pair
    monkeypatch.setitem(app.config, "DKIM_SELECTOR", SELECTOR)
    monkeypatch.setitem(app.config, "DKIM_DOMAIN", DOMAIN)
    monkeypatch.setitem(app.config, "DKIM_PRIVATE_KEY_PATH", str(private))
    smtp_sink.clear()
    with app.app_context():
        deliver(_row(7, **changes))
    [raw] = smtp_sink.raw
    assert raw.startswith(b"DKIM-Signature:")
    assert f"d={DOMAIN}".encode() in raw and f"s={SELECTOR}".encode() in raw
    assert dkim.verify(raw, dnsfunc=_dns(record))
    # Tampering with the body or a signed header breaks it.
    assert not dkim.verify(raw.replace(b"ratified", b"rejected", 1), dnsfunc=_dns(record))
    headers, _, body = raw.partition(b"\r\n\r\n")
    assert not dkim.verify(headers + b"\r\n\r\n" + body + b"Added.\r\n", dnsfunc=_dns(record))


def test_without_a_key_nothing_is_signed(app: Flask, smtp_sink: SmtpSink) -> None:
    smtp_sink.clear()
    assert not app.config.get("DKIM_SELECTOR")
    with app.app_context():
        deliver(_row(8))
    [raw] = smtp_sink.raw
    assert b"DKIM-Signature" not in raw
    assert smtp_sink.messages[0]["Message-ID"]
