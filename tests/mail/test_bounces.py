"""Bounces by mail, days after the relay took the message: real-shaped reports read from a
Maildir or an mbox by `flask mail bounces`; a hard bounce stops every mail to the address,
soft ones count toward a limit; reading the mailbox again changes nothing."""

from __future__ import annotations

import mailbox
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.mail import suppression
from campaign.mail.bounces import return_path
from campaign.mail.models import BounceReport, OutboundEmail, Suppression
from campaign.mail.services import queue_email

BOUNCES = "bounces@ratify.example.org"


def rfc3464(to: str, address: str, status: str, action: str, report_id: str) -> bytes:
    """A multipart/report DSN (RFC 3464) as Postfix writes it."""
    return f"""\
Return-Path: <>
Delivered-To: {to}
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {to}
Message-ID: <{report_id}@mx.example.net>
Date: Mon, 7 Dec 2026 10:00:00 +0000 (UTC)
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. I'm sorry to have to inform you that your
message could not be delivered to one or more recipients.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon, 7 Dec 2026 09:59:58 +0000 (UTC)

Final-Recipient: rfc822; {address}
Original-Recipient: rfc822;{address}
Action: {action}
Status: {status}
Remote-MTA: dns; in.example.net
Diagnostic-Code: smtp; {status[0]}50 {status} mailbox problem

--B
Content-Type: text/rfc822-headers

From: campaign@ratify.example.org
To: {address}
Subject: Please confirm your pledge of support

--B--
""".replace("\n", "\r\n").encode()


def qmail(to: str, address: str) -> bytes:
    return f"""\
From: MAILER-DAEMON@qmail.example.com
To: {to}
Subject: failure notice
Message-ID: <qmail-1@qmail.example.com>

Hi. This is the qmail-send program at qmail.example.com.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<{address}>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.
""".encode()


def exim(to: str, address: str) -> bytes:
    return f"""\
From: Mail Delivery System <Mailer-Daemon@exim.example.org>
To: {to}
Subject: Mail delivery failed: returning message to sender
Message-ID: <exim-1@exim.example.org>
X-Failed-Recipients: {address}
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {address}
    SMTP error from remote mail server after RCPT TO:<{address}>:
    550 5.1.1 User unknown

------ This is a copy of the message, including all the headers. ------
""".encode()


def out_of_office(to: str, address: str) -> bytes:
    return f"""\
From: {address}
To: {to}
Subject: Out of office
Message-ID: <ooo-1@example.org>
Auto-Submitted: auto-replied

I am away until Monday.
""".encode()


@pytest.fixture
def verp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "MAIL_BOUNCE_ADDRESS", BOUNCES)


def _mailed(address: str, key: str = "pledge-confirm:1:1") -> OutboundEmail:
    row = queue_email(key=key, to=address, subject="Please confirm", text="Confirm.")
    assert row is not None
    db.session.commit()
    return row


def _maildir(folder: Path, *messages: bytes) -> Path:
    box = mailbox.Maildir(folder / "Maildir", create=True)
    for message in messages:
        box.add(message)
    return folder / "Maildir"


def _mbox(folder: Path, *messages: bytes) -> Path:
    box = mailbox.mbox(folder / "bounces.mbox", create=True)
    for message in messages:
        box.add(message)
    box.flush()
    return folder / "bounces.mbox"


def _run(app: Flask, path: Path) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["mail", "bounces", str(path)])
    return result.exit_code, result.output


def _reports() -> int:
    return db.session.scalar(select(func.count()).select_from(BounceReport)) or 0


BOXES: dict[str, Callable[..., Path]] = {"maildir": _maildir, "mbox": _mbox}


@pytest.mark.parametrize("box", BOXES.values(), ids=BOXES.keys())
def test_a_hard_bounce_days_later_stops_all_mail_to_the_address(
    app: Flask, verp: None, tmp_path: Path, box: Callable[..., Path]
) -> None:
    row = _mailed("amina@example.org")
    path = return_path(row.id)
    assert path and path.startswith("bounces+") and path.endswith("@ratify.example.org")
    # The report names the address in another case: the return path says which message it was.
    report = rfc3464(path, "AMINA@example.org", "5.1.1", "failed", "dsn-1")
    folder = box(tmp_path, report)
    assert _run(app, folder) == (0, "1 hard, 0 soft, 0 seen before, 0 without a bounce\n")
    assert suppression.is_suppressed("amina@example.org")
    # A new mail to the address (another pledge a minute later) is kept but never sent.
    again = queue_email(key="pledge-confirm:2:1", to="amina@example.org", subject="s", text="t")
    assert again is not None and again.status == "failed"
    assert again.last_error == suppression.SUPPRESSED
    # Reading the same mailbox again changes nothing.
    assert _run(app, folder)[1] == "0 hard, 0 soft, 1 seen before, 0 without a bounce\n"
    assert _reports() == 1


def test_soft_bounces_count_toward_the_limit(app: Flask, verp: None, tmp_path: Path) -> None:
    limit = app.config["MAIL_SOFT_BOUNCE_LIMIT"]
    rows = [_mailed("full@example.org", f"digest:{n}:1") for n in range(limit)]
    reports = [
        rfc3464(str(return_path(row.id)), row.to_address, "4.2.2", "delayed", f"soft-{row.id}")
        for row in rows
    ]
    _run(app, _maildir(tmp_path, *reports[:-1]))
    assert not suppression.is_suppressed("full@example.org")
    entry = db.session.get(Suppression, "full@example.org")
    assert entry is not None and entry.soft_bounces == limit - 1
    _run(app, _mbox(tmp_path, reports[-1]))
    assert suppression.is_suppressed("full@example.org")


SHAPES = {"qmail": qmail, "exim": exim}


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_common_non_standard_reports_are_read(
    app: Flask, tmp_path: Path, shape: Callable[[str, str], bytes]
) -> None:
    """Without a return path (no MAIL_BOUNCE_ADDRESS), the address in the report counts when
    the outbox mailed it."""
    _mailed("gone@example.org")
    code, output = _run(app, _maildir(tmp_path, shape(BOUNCES, "gone@example.org")))
    assert (code, output) == (0, "1 hard, 0 soft, 0 seen before, 0 without a bounce\n")
    assert suppression.is_suppressed("gone@example.org")


def test_reports_that_are_no_bounce_or_forged_change_nothing(
    app: Flask, verp: None, tmp_path: Path
) -> None:
    row = _mailed("ana@example.org")
    genuine = str(return_path(row.id))
    forged = genuine.replace(genuine.split("-")[-1][:12], "0" * 12)
    reports = [
        out_of_office(genuine, "ana@example.org"),
        rfc3464(forged, "someone.else@example.org", "5.1.1", "failed", "forged"),
        rfc3464(BOUNCES, "never.mailed@example.org", "5.1.1", "failed", "never"),
        b"not a mail at all\x00\xff\r\n",
    ]
    code, output = _run(app, _maildir(tmp_path, *reports))
    assert (code, output) == (0, "0 hard, 0 soft, 0 seen before, 4 without a bounce\n")
    assert _reports() == 0
    assert not suppression.suppressed(["ana@example.org", "someone.else@example.org"])


BAD_PATHS = {
    "missing": lambda tmp: tmp / "nothing-here",
    "a folder, not a Maildir": lambda tmp: tmp,
    "a file, not an mbox": lambda tmp: _write(tmp / "notes.txt", b"hello\n"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make", BAD_PATHS.values(), ids=BAD_PATHS.keys())
def test_a_path_that_is_no_mailbox_is_refused(
    app: Flask, tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    code, output = _run(app, make(tmp_path))
    assert code == 1 and output.startswith("Error: ")
    assert _reports() == 0


def test_an_empty_mailbox_reads_as_nothing(app: Flask, tmp_path: Path) -> None:
    assert _run(app, _maildir(tmp_path)) == (
        0,
        "0 hard, 0 soft, 0 seen before, 0 without a bounce\n",
    )
