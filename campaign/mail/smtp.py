"""Building a MIME message from an outbox row and handing it to the SMTP relay."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Sequence
from email import policy
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from functools import lru_cache
from typing import Any, Protocol, cast

from flask import current_app

from campaign.mail import mime
from campaign.mail.bounces import return_path
from campaign.mail.headers import sender_address, standard_headers
from campaign.mail.signing import sign

# SMTP replies below 500 are temporary: try again later. 5xx are permanent for this address.
PERMANENT_CODES = range(500, 600)
# Fold headers only at SMTP's hard limit: folding a long List-Unsubscribe URL at 78 columns
# turns it into RFC 2047 encoded words, which mail clients do not decode for that header.
MAIL_POLICY = policy.SMTP.clone(max_line_length=998)
# The fast path (see build_message): headers are written as given, never re-parsed or folded.
PLAIN_POLICY = policy.compat32.clone(max_line_length=998, linesep="\r\n")
# An address that is not ASCII goes out as UTF-8 (RFC 6531), as smtplib's send_message does.
INTERNATIONAL_POLICY = policy.SMTPUTF8.clone(max_line_length=998)


class Mail(Protocol):
    """What is needed of an outbox row to send it (an OutboundEmail, or a claimed row)."""

    @property
    def id(self) -> int: ...
    @property
    def idempotency_key(self) -> str: ...
    @property
    def to_address(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def body_text(self) -> str: ...
    @property
    def body_html(self) -> str | None: ...
    @property
    def headers(self) -> dict[str, Any]: ...


# What goes to the relay for one message: the envelope sender, the bytes, the MAIL options.
Encoded = tuple[str, bytes, list[str]]


class TemporaryFailure(Exception):
    """The relay could not take the message now; retry later."""


class PermanentFailure(Exception):
    """The relay refused the message for good (5xx): do not retry."""


def build_message(row: Mail) -> Message:
    """The MIME message for *row*.

    The `email` package's modern policy parses every header on assignment and refolds it on
    output, which cost more than the SMTP exchange itself in the digest profile. When the
    addresses and the extra headers are ASCII (always, in practice), the message is built
    with the compat32 policy: headers go out as written, a non-ASCII subject as an RFC 2047
    encoded word (cached: a digest chunk shares its subjects). Otherwise, the modern builder.
    """
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    extra = {name: str(value) for name, value in (row.headers or {}).items()}
    if not _writable(row, sender, extra):
        return _modern_message(row, sender, extra)  # which refuses a line break, as it should
    message: Message
    if row.body_html:
        message = MIMEMultipart("alternative", policy=PLAIN_POLICY)
        message.attach(_text_part(row.body_text, "plain"))
        message.attach(_text_part(row.body_html, "html"))
    else:
        message = _text_part(row.body_text, "plain")
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = _encoded(row.subject)
    for name, value in (standard_headers(row.id, row.idempotency_key) | extra).items():
        message[name] = value
    return message


def _writable(row: Mail, sender: str, extra: dict[str, str]) -> bool:
    """Whether the message can go out with its headers as written: ASCII addresses and
    headers, nothing on more than one line."""
    one_line = "\n" not in row.subject and "\r" not in row.subject
    return one_line and all(map(mime.plain, (sender, row.to_address, *extra.values())))


def _text_part(body: str, subtype: str) -> MIMEText:
    charset = "us-ascii" if mime.seven_bit(body) else "utf-8"
    return MIMEText(body, subtype, charset, policy=PLAIN_POLICY)


@lru_cache(maxsize=256)
def _encoded(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode(maxlinelen=76)


def _modern_message(row: Mail, sender: str, extra: dict[str, str]) -> EmailMessage:
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    for name, value in (standard_headers(row.id, row.idempotency_key) | extra).items():
        message[name] = value
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message


def encode(row: Mail) -> Encoded:
    """What to send for *row*: as wire() says, the message written out directly (mime.py)
    when its headers can go as written, else built with the `email` package."""
    sender = str(current_app.config["MAIL_DEFAULT_SENDER"])
    extra = {name: str(value) for name, value in (row.headers or {}).items()}
    if not _writable(row, sender, extra):
        return wire(build_message(row), row.id)
    headers = {
        "From": sender,
        "To": row.to_address,
        "Subject": _encoded(row.subject).replace("\n", mime.CRLF),
        **standard_headers(row.id, row.idempotency_key),
        **extra,
    }
    seed = f"{row.id}:{row.idempotency_key}"
    raw = mime.write(headers, row.body_text, row.body_html, seed)
    present = {name.lower() for name in headers} | {"content-type", "mime-version"}
    return _envelope_sender(row.id, sender), sign(raw, present), []


def _envelope_sender(outbox_id: int, sender: str) -> str:
    return return_path(outbox_id) or sender_address(sender)


def wire(message: Message, outbox_id: int) -> Encoded:
    """The envelope sender (the message's own return path when MAIL_BOUNCE_ADDRESS is set),
    the bytes to send (DKIM-signed when a key is set) and the MAIL options: SMTPUTF8 for an
    address that is not ASCII, as smtplib's send_message would."""
    sender = _envelope_sender(outbox_id, str(current_app.config["MAIL_DEFAULT_SENDER"]))
    international = not all(str(message[name] or "").isascii() for name in ("From", "To"))
    if international:
        raw = message.as_bytes(policy=INTERNATIONAL_POLICY)
        options = ["SMTPUTF8", "BODY=8BITMIME"]
    else:
        raw, options = message.as_bytes(), []
    present = {name.lower() for name in message}
    return sender, sign(raw, present), options


# An address smtplib's quoteaddr() would only wrap in <>: dot-atoms of ASCII, as ours are.
_BARE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+")


class _Envelope:
    """MAIL FROM and RCPT TO without smtplib's address parser (email.utils.parseaddr, a fifth
    of a digest mail's CPU) when the address is bare; any other address or an SMTPUTF8 send
    goes through smtplib's own."""

    def mail(self, sender: str, options: Sequence[str] = ()) -> tuple[int, bytes]:
        client = cast(smtplib.SMTP, self)
        if not _BARE.fullmatch(sender) or any(o.lower() == "smtputf8" for o in options):
            return smtplib.SMTP.mail(client, sender, options)
        extra = " " + " ".join(options) if options and client.does_esmtp else ""
        client.putcmd("mail", f"FROM:<{sender}>{extra}")
        return client.getreply()

    def rcpt(self, recip: str, options: Sequence[str] = ()) -> tuple[int, bytes]:
        client = cast(smtplib.SMTP, self)
        if not _BARE.fullmatch(recip):
            return smtplib.SMTP.rcpt(client, recip, options)
        extra = " " + " ".join(options) if options and client.does_esmtp else ""
        client.putcmd("rcpt", f"TO:<{recip}>{extra}")
        return client.getreply()


class Client(_Envelope, smtplib.SMTP):
    pass


class SSLClient(_Envelope, smtplib.SMTP_SSL):
    pass


def connect() -> smtplib.SMTP:
    config = current_app.config
    factory = SSLClient if config["MAIL_USE_SSL"] else Client
    client = factory(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    if config["MAIL_USE_TLS"]:
        client.starttls()
    if config["MAIL_USERNAME"]:
        client.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return client


def close(client: smtplib.SMTP) -> None:
    """Say goodbye politely, but a relay that already hung up is no error."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def header_block(raw: bytes) -> str:
    """The header lines of a message as sent, without its body."""
    end = raw.find(b"\r\n\r\n")
    return raw[: end if end >= 0 else len(raw)].decode("utf-8", "replace")


def deliver(row: Mail, client: smtplib.SMTP | None = None, encoded: Encoded | None = None) -> str:
    """Send *row* (as *encoded*, if given: encode(row) made earlier), answering the header
    block sent; raises TemporaryFailure or PermanentFailure. Reuses *client* when given."""
    try:
        own = client is None
        smtp = connect() if client is None else client
        try:
            sender, raw, options = encoded or encode(row)
            smtp.sendmail(sender, [row.to_address], raw, mail_options=options)
        finally:
            if own:
                close(smtp)
        return header_block(raw)
    except smtplib.SMTPRecipientsRefused as error:
        code = min(code for code, _ in error.recipients.values())
        raise _classify(code, str(error.recipients)) from error
    except smtplib.SMTPResponseException as error:
        raise _classify(error.smtp_code, str(error.smtp_error)) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error


def _classify(code: int, detail: str) -> Exception:
    text = f"SMTP {code}: {detail}"
    return PermanentFailure(text) if code in PERMANENT_CODES else TemporaryFailure(text)
