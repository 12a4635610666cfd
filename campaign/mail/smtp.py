"""Building a MIME message from an outbox row and handing it to the SMTP relay."""

from __future__ import annotations

import smtplib
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid
from types import TracebackType

from flask import current_app

from campaign.mail.models import OutboundEmail

# SMTP replies below 500 are temporary: try again later. 5xx are permanent for this address.
PERMANENT_CODES = range(500, 600)
# Fold headers only at SMTP's hard limit: folding a long List-Unsubscribe URL at 78 columns
# turns it into RFC 2047 encoded words, which mail clients do not decode for that header.
MAIL_POLICY = policy.SMTP.clone(max_line_length=998)


class TemporaryFailure(Exception):
    """The relay could not take the message now; retry later."""


class PermanentFailure(Exception):
    """The relay refused the message for good (5xx): do not retry."""


def build_message(row: OutboundEmail) -> EmailMessage:
    config = current_app.config
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    # A stable Message-ID per idempotency key lets relays drop a duplicate delivery.
    message["Message-ID"] = make_msgid(idstring=f"outbox-{row.id}", domain="campaign.local")
    message["X-Campaign-Key"] = row.idempotency_key
    for name, value in (row.headers or {}).items():
        message[name] = str(value)
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message


def connect() -> smtplib.SMTP:
    config = current_app.config
    factory = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
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


def deliver(row: OutboundEmail, client: smtplib.SMTP | None = None) -> None:
    """Send *row*; raises TemporaryFailure or PermanentFailure. Reuses *client* when given."""
    try:
        own = client is None
        smtp = connect() if client is None else client
        try:
            smtp.send_message(build_message(row))
        finally:
            if own:
                close(smtp)
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


class Relay:
    """One SMTP connection reused for many messages, reopened after a failure.

    `with Relay() as relay: relay.send(row)`; send raises like deliver().
    """

    def __init__(self) -> None:
        self.client: smtplib.SMTP | None = None
        self.connections = 0

    def send(self, row: OutboundEmail) -> None:
        try:
            if self.client is None:
                self.client = connect()
                self.connections += 1
            deliver(row, self.client)
        except (smtplib.SMTPException, OSError) as error:  # connecting failed
            self.reset()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        except TemporaryFailure:
            self.reset()  # the relay may have hung up: a 421 closes the session
            raise
        # A PermanentFailure leaves the session usable: smtplib has reset it (RSET).

    def reset(self) -> None:
        if self.client is not None:
            close(self.client)
            self.client = None

    def __enter__(self) -> Relay:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.reset()
