"""Bounces that come back after the relay accepted a message: each message goes out with its
own return path (VERP, `bounces+<outbox id>-<signature>@domain` from MAIL_BOUNCE_ADDRESS), and
`flask mail bounces PATH` reads the delivery status notifications from a Maildir or an mbox.

A report is read with flufl.bounce (RFC 3464 and the common non-standard shapes). Its return
path names the message it answers, so the address is the one we mailed, whatever the report
says; without one, only an address the outbox has mailed is believed. A permanent failure is a
hard bounce, a temporary one soft (campaign.mail.suppression counts them). A report with no
failure in it (an out-of-office reply) changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import mailbox
import re
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from flask import current_app
from flufl.bounce import all_failures
from sqlalchemy import select

from campaign.core.addresses import folded_address
from campaign.extensions import db
from campaign.mail import suppression
from campaign.mail.models import OutboundEmail
from campaign.notifications.services import record_bounce

VERP = re.compile(r"\+(\d{1,18})-([0-9a-f]{12})@", re.ASCII)
# Where a report carries the address it was sent to (our return path).
RECIPIENT_HEADERS = ("To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")


def _signature(outbox_id: int) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"bounce:{outbox_id}".encode(), hashlib.sha256).hexdigest()[:12]


def return_path(outbox_id: int) -> str | None:
    """The envelope sender of outbox message *outbox_id*, or None without MAIL_BOUNCE_ADDRESS."""
    address = current_app.config.get("MAIL_BOUNCE_ADDRESS")
    if not address:
        return None
    local, _, domain = str(address).rpartition("@")
    return f"{local}+{outbox_id}-{_signature(outbox_id)}@{domain}"


def outbox_id_of(message: Message) -> int | None:
    """The outbox message a report answers, from a genuine (signed) return path in it."""
    for name in RECIPIENT_HEADERS:
        for value in message.get_all(name) or []:
            for number, signature in VERP.findall(str(value)):
                if hmac.compare_digest(signature, _signature(int(number))):
                    return int(number)
    return None


@dataclass
class Tally:
    hard: int = 0
    soft: int = 0
    seen_before: int = 0
    ignored: int = 0
    addresses: list[str] = field(default_factory=list)


def _mailed(addresses: set[str]) -> set[str]:
    if not addresses:
        return set()
    found = db.session.scalars(
        select(OutboundEmail.to_address).where(OutboundEmail.to_address.in_(addresses)).distinct()
    )
    return set(found)


def _failures(message: Message) -> tuple[set[str], set[str]]:
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # a detector tripping over a malformed report: nothing read from it
        return set(), set()

    def decode(values: frozenset[bytes]) -> set[str]:
        return {folded_address(value.decode("utf-8", "replace")) for value in values}

    return decode(temporary), decode(permanent)


def _diagnostics(message: Message) -> dict[str, str]:
    """What an RFC 3464 report says of each recipient ("5.1.1: smtp; 550 ..."), by address in
    lower case; empty for the non-standard shapes, which have no such fields."""
    found: dict[str, str] = {}
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, Message):
                continue
            recipient = str(block.get("Final-Recipient") or "").rpartition(";")[2].strip()
            status = str(block.get("Status") or "").strip()
            if recipient and status:
                code = " ".join(str(block.get("Diagnostic-Code") or "").split())
                found[folded_address(recipient)] = f"{status}: {code}" if code else status
    return found


def read_report(message: Message, report_id: str, tally: Tally) -> None:
    """Record what one report says (once per report and address); count it in *tally*."""
    temporary, permanent = _failures(message)
    outbox_id = outbox_id_of(message)
    row = db.session.get(OutboundEmail, outbox_id) if outbox_id is not None else None
    if row is not None and (temporary or permanent):
        findings = {row.to_address: "hard" if permanent else "soft"}
    else:
        findings = {address: "soft" for address in _mailed(temporary)}
        findings |= {address: "hard" for address in _mailed(permanent)}
    if not findings:
        tally.ignored += 1
        return
    diagnostics = _diagnostics(message)
    for address, kind in sorted(findings.items()):
        said = diagnostics.get(folded_address(address)) or next(iter(diagnostics.values()), "")
        new = suppression.record_bounce_report(
            address=address,
            kind=kind,
            source="dsn",
            report_key=f"dsn:{report_id}:{address}",
            outbox_id=row.id if row is not None else None,
            detail=f"{kind} bounce reported by mail ({report_id}){': ' + said if said else ''}",
        )
        if not new:
            tally.seen_before += 1
            continue
        if kind == "hard":
            record_bounce(address=address)
            tally.hard += 1
        else:
            tally.soft += 1
        tally.addresses.append(address)


def _report_id(message: Message, raw: bytes) -> str:
    message_id = str(message.get("Message-ID") or "").strip()
    if message_id and len(message_id) <= 150 and message_id.isascii():
        return message_id
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def open_mailbox(path: Path) -> mailbox.Mailbox:
    """A Maildir (a folder with cur/ and new/) or an mbox file; ValueError if it is neither."""
    if path.is_dir():
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise ValueError(f"{path} is a folder but not a Maildir (no cur/ and new/).")
        return mailbox.Maildir(path, create=False)
    if path.is_file():
        with path.open("rb") as handle:
            start = handle.read(5)
        if start and start != b"From ":
            raise ValueError(f"{path} is not an mbox file (it does not start with 'From ').")
        return mailbox.mbox(path, create=False)
    raise ValueError(f"{path} does not exist.")


def read_mailbox(path: Path) -> Tally:
    """Read every report in the mailbox at *path* (left in place: reading it again is safe)."""
    tally = Tally()
    box = open_mailbox(path)
    for key in box.iterkeys():
        raw = box.get_bytes(key)
        message = box.get(key)
        if message is None:
            tally.ignored += 1
            continue
        read_report(message, _report_id(message, raw), tally)
    return tally
