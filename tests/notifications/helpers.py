"""Helpers for the notification tests: subscribers in bulk, rows read back, mail taken apart."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable
from email.message import Message
from typing import Any

from sqlalchemy import insert, select

from campaign.core.jobs import DISPATCH_DIGEST, enqueue_now
from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.mail.models import OutboundEmail
from campaign.notifications import tokens
from campaign.notifications.content import digest_content
from campaign.notifications.models import Digest, Subscription, subscription_states
from campaign.organisations.models import Organisation
from tests.factories import OrganisationFactory, PartnershipFactory, SubscriptionFactory, state
from tests.support.mail import write_deferred
from tests.support.servers import SmtpSink, wait_until

NOW = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
PREFERENCES_LINK = re.compile(r"/subscriptions/preferences/([\w.\-]+)")
# On the site's URL: the tests' own (port 5000) in process, the live server's in the worker.
UNSUBSCRIBE_HEADER = re.compile(r"^<http://127\.0\.0\.1:\d+/subscriptions/unsubscribe/([\w.\-]+)>$")


def subscriber(
    email: str,
    *,
    follows: Iterable[str] = (),
    confirmed: bool = True,
    **fields: Any,
) -> Subscription:
    """A subscription as the subscribe-and-confirm journey leaves it (committed by the caller)."""
    values = {"email_canonical": email, "confirmed_at": NOW if confirmed else None, **fields}
    return SubscriptionFactory(email=email, states=[state(iso3) for iso3 in follows], **values)


def bulk_subscribers(rows: list[dict[str, Any]], follows: str | None = None) -> list[int]:
    """Many subscriptions in one statement each for the rows and the follows; their ids."""
    values = [
        {
            "email": row["email"],
            "email_canonical": row["email"],
            "locale": row.get("locale", "en"),
            "frequency": row.get("frequency", "weekly"),
            "alerts": row.get("alerts", "followed"),
            "created_at": NOW,
            "confirmed_at": row.get("confirmed_at", NOW),
            "unsubscribed_at": row.get("unsubscribed_at"),
            "bounced_at": row.get("bounced_at"),
            "confirm_mails_sent": 1,
        }
        for row in rows
    ]
    ids = list(db.session.scalars(insert(Subscription).returning(Subscription.id), values))
    if follows is not None:
        state_id = state(follows).id
        db.session.execute(
            insert(subscription_states),
            [{"subscription_id": id_, "state_id": state_id} for id_ in ids],
        )
    return ids


def partner_organisation(name: str, *states: str) -> Organisation:
    organisation = OrganisationFactory(name=name)
    for iso3 in states:
        PartnershipFactory(organisation=organisation, state=state(iso3))
    return organisation


def outbox_rows(prefix: str = "") -> list[OutboundEmail]:
    write_deferred()
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.idempotency_key.startswith(prefix))
            .order_by(OutboundEmail.id)
        )
    )


def recipients(messages: Iterable[Message]) -> list[str]:
    return sorted(str(m["X-Envelope-To"]) for m in messages)


def body(message: Message, subtype: str = "plain") -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


def link_owner(message: Message) -> int:
    """The subscription the mail's preferences link and List-Unsubscribe header name (equal)."""
    match = PREFERENCES_LINK.search(body(message))
    assert match, "no preferences link"
    header = UNSUBSCRIBE_HEADER.match(str(message["List-Unsubscribe"]))
    assert header, message["List-Unsubscribe"]
    assert header.group(1) == match.group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # RFC 2919: list mail names its list, on the site's domain, never localhost.
    assert re.fullmatch(r"[^<>]+ <updates\.[a-z0-9.-]+\.[a-z]+>", str(message["List-Id"]))
    assert "localhost" not in str(message["List-Id"])
    assert message["Auto-Submitted"] == "auto-generated" and message["Date"]
    checked = tokens.read_token(tokens.PREFERENCES, match.group(1))
    assert checked is not None and not checked.expired
    return checked.subscription_id


def drain(sink: SmtpSink, already: int, name: str = "sentinel") -> None:
    """Queue a sentinel behind everything else; once it arrives the queue before it is done."""
    message = outbox.queue_email(key=name, to=f"{name}@example.org", subject=name, text=name)
    assert message is not None
    db.session.commit()
    wait_until(lambda: any(m["X-Campaign-Key"] == name for m in sink.messages), timeout=120)
    keys = [str(m["X-Campaign-Key"]) for m in sink.messages]
    states = [(row.idempotency_key, row.status, row.last_error) for row in outbox_rows()]
    assert len(keys) == already + 1, (already, keys, states)


def without_sentinels(messages: Iterable[Message]) -> list[Message]:
    return [m for m in messages if not str(m["X-Campaign-Key"]).startswith("sentinel")]


def unsent_digest(starts_on: dt.date) -> Digest:
    """A weekly digest written directly, with no fan-out queued: the test plays its chunks."""
    since = starts_on - dt.timedelta(days=7)
    digest = Digest(
        kind="weekly",
        starts_on=starts_on,
        since_on=since,
        content=digest_content("weekly", since, starts_on),
    )
    db.session.add(digest)
    db.session.flush()
    return digest


def digest_finished(digest_id: int) -> bool:
    db.session.expire_all()
    digest = db.session.get(Digest, digest_id)
    return digest is not None and digest.finished_at is not None


def finish_digest(digest_id: int, timeout: float = 120.0) -> None:
    """Dispatch the digest again, as the beat job does after a stall, until it is finished.

    Every dispatch is safe: a chunk finds its rows sent or claimed and sends nothing twice.
    """
    deadline = time.monotonic() + timeout
    while not digest_finished(digest_id):
        assert time.monotonic() < deadline, f"digest {digest_id} not finished in {timeout}s"
        enqueue_now(DISPATCH_DIGEST, digest_id)
        time.sleep(1.0)
