"""The message written out directly (campaign/mail/mime.py) says what the `email` package's
message says: the same headers, the same bodies, a valid MIME structure, nothing folded."""

from __future__ import annotations

import base64
import os
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from flask import Flask

from campaign.mail import mime
from campaign.mail.services import Claimed
from campaign.mail.smtp import build_message, encode, wire
from tests.mail.test_build_message import _row as message_row

DOTTED = "Brazil signed.\n\n.\nA line with a dot alone above.\n"
LONG_LINE = "word " * 300  # one line of 1,500 characters: not 7bit
BOUNDARY = mime.boundary_for("41:digest:3:41")


def _row(**changes: object) -> Claimed:
    """test_build_message's row, its text with a line holding only a dot (SMTP's end of data)."""
    return message_row(**{"body_text": DOTTED, **changes})


def _parsed(raw: bytes) -> EmailMessage:
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _parts(message: EmailMessage) -> list[tuple[str, str, str]]:
    return [
        (part.get_content_type(), str(part.get_content_charset()), part.get_content())
        for part in message.walk()
        if not part.is_multipart()
    ]


ROWS = {
    "ascii text and html": {},
    "text only": {"body_html": None},
    "arabic bodies, arabic subject": {
        "subject": "ملخص الأسبوع: صدّقت البرازيل على الاتفاقية الدولية لحماية حقوق العمال المهاجرين",
        "body_text": "صدّقت البرازيل.\n",
        "body_html": '<p dir="rtl">صدّقت البرازيل.</p>\n',
    },
    "chinese and an astral character": {
        "subject": "每周摘要 𝄞",
        "body_text": "巴西已签署。𝄞\n",
        "body_html": "<p>巴西已签署。</p>",
    },
    "a line too long for 7bit": {"body_text": LONG_LINE, "body_html": f"<p>{LONG_LINE}</p>"},
    "the boundary itself in a body": {"body_text": f"see {BOUNDARY} here\n"},
}


@pytest.mark.parametrize("changes", list(ROWS.values()), ids=list(ROWS))
def test_written_message_matches_the_email_packages(app: Flask, changes: dict[str, object]) -> None:
    row = _row(**changes)
    with app.app_context():
        sender, raw, options = encode(row)
        built_sender, built_raw, built_options = wire(build_message(row), row.id)
    written, built = _parsed(raw), _parsed(built_raw)
    assert (sender, options) == (built_sender, built_options)
    assert not written.defects and not any(part.defects for part in written.walk())
    skip = {"Date", "Content-Type", "Content-Transfer-Encoding"}
    assert sorted((k, str(v)) for k, v in written.items() if k not in skip) == sorted(
        (k, str(v)) for k, v in built.items() if k not in skip
    )
    assert written.get_content_type() == built.get_content_type()
    assert _parts(written) == _parts(built)
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CRLF, as SMTP wants


def test_the_boundary_is_stable_and_never_in_a_body(app: Flask) -> None:
    row = _row(body_text=f"see {BOUNDARY} here\n")
    with app.app_context():
        first, again = encode(row)[1], encode(row)[1]
    assert first.split(b"\r\nDate:")[0] == again.split(b"\r\nDate:")[0]
    content_type = str(_parsed(first)["Content-Type"])
    assert BOUNDARY not in content_type
    assert "==campaign-" in content_type


def test_headers_with_line_breaks_or_foreign_addresses_take_the_email_package(
    app: Flask,
) -> None:
    with app.app_context():
        international = encode(_row(to_address="رسالة@example.org"))
        with pytest.raises(ValueError):
            encode(_row(headers={"X-Injected": "a\r\nBcc: victim@example.org"}))
    assert "SMTPUTF8" in international[2]


@pytest.mark.parametrize("size", [0, 1, 2, 3, 56, 57, 58, 114, 1000, 4096, 57 * 80 + 1])
def test_base64_lines_are_the_standard_library_s(size: int) -> None:
    """The same bytes as base64.encodebytes, lines ending in CRLF."""
    data = os.urandom(size)
    written = mime.base64_lines(data)
    assert written == base64.encodebytes(data).decode("ascii").replace("\n", "\r\n")
    assert all(len(line) <= 76 for line in written.split("\r\n"))
