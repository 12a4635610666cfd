"""The SMTP client writes MAIL FROM and RCPT TO itself for a bare address (smtplib's address
parser was a fifth of a digest mail's CPU) and leaves any other address to smtplib: either
way the relay gets the envelope it would have got from smtplib, and the message."""

from __future__ import annotations

import smtplib

import pytest
from flask import Flask

from campaign.mail import relay, smtp
from campaign.mail.services import Claimed
from tests.support.servers import SmtpSink

BARE = [
    "amina@example.org",
    "a.b-c+tag@sub.example.org",
    "o'brien@example.ie",
    "x@xn--bcher-kva.example",  # an IDN domain, as stored: punycode
]
NOT_BARE = [
    '"two words"@example.org',  # a quoted local part: smtplib quotes it
    "Name <amina@example.org>",  # a display name: smtplib takes the address out
    "",  # the null sender of a bounce
]


def _row(to: str) -> Claimed:
    return Claimed(1, "t:envelope", to, "Hello", "Body", None, {}, 1)


@pytest.mark.parametrize("address", BARE)
def test_a_bare_address_goes_into_the_envelope_as_it_is(
    app: Flask, smtp_sink: SmtpSink, address: str
) -> None:
    smtp_sink.clear()
    with relay.Relay() as connection:
        connection.send(_row(address))
    [message] = smtp_sink.messages
    assert str(message["X-Envelope-To"]) == address
    assert message["To"] == address and message.get_payload().strip() == "Body"


@pytest.mark.parametrize("address", BARE + NOT_BARE)
def test_the_envelope_is_what_smtplib_would_send(
    app: Flask, smtp_sink: SmtpSink, address: str
) -> None:
    """The same MAIL and RCPT commands through our client and through smtplib's own."""
    sent: dict[str, list[str]] = {}
    for name, factory in (("ours", smtp.Client), ("smtplib", smtplib.SMTP)):
        client = factory("127.0.0.1", smtp_sink.port, timeout=5)
        commands: list[str] = []
        original = client.putcmd

        def record(cmd: str, args: str = "", into: list[str] = commands, put=original) -> None:  # type: ignore[no-untyped-def]
            into.append(f"{cmd} {args}")
            put(cmd, args)

        client.putcmd = record  # type: ignore[method-assign]
        client.ehlo()
        client.mail(address, ["SIZE=100"])
        client.rcpt(address or "postmaster@example.org")
        client.rset()
        client.quit()
        sent[name] = [c for c in commands if c.split()[0] in ("mail", "rcpt")]
    assert sent["ours"] == sent["smtplib"]
    assert sent["ours"][0].startswith("mail FROM:<") and len(sent["ours"]) == 2


def test_the_bare_pattern_refuses_what_needs_quoting() -> None:
    for address in BARE:
        assert smtp._BARE.fullmatch(address)
    for address in [*NOT_BARE, "a b@example.org", "a@b@example.org", "ü@example.org"]:
        assert not smtp._BARE.fullmatch(address), address
