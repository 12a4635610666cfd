"""Signing, confirming, withdrawing and erasing pledges. Nothing here commits, but for a new
pledge signed in a request that has begun nothing else: on PostgreSQL its one statement, with
its mail, commits by itself (pledges/statements.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from campaign.audit.services import record_event
from campaign.core.addresses import canonical_email, normalise_email
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import guard
from campaign.notifications import services as subscriptions
from campaign.pledges import counters
from campaign.pledges.abuse import hash_ip
from campaign.pledges.mail import (
    blank_pledge_mails,
    claim_mail_slot,
    queue_confirmation,
    queue_pledge_mail,
)
from campaign.pledges.models import Pledge
from campaign.pledges.statements import store_new_pledge
from campaign.ratelimits import client_address
from campaign.webhooks import services as webhooks
from campaign.webhooks.payloads import pledge_confirmed

REMIND_AFTER = dt.timedelta(hours=48)


@dataclass(frozen=True)
class PledgeData:
    """What a signer gave us, already shaped by the form."""

    kind: str
    name: str
    email: str
    country_id: int | None  # the state's id, or None: other country, or prefer not to say
    message: str = ""
    is_public: bool = False
    wants_updates: bool = False
    locale: str = "en"
    organisation_name: str | None = None
    organisation_kind: str | None = None
    website: str | None = None
    contact_role: str | None = None
    # How it came in (models.PLEDGE_SOURCES), and the organisation whose embed or key sent it.
    source: str = "form"
    source_organisation_id: int | None = None


def find_pledge(canonical: str, kind: str) -> Pledge | None:
    return db.session.scalars(
        select(Pledge).filter_by(email_canonical=canonical, kind=kind)
    ).first()


def sign_pledge(*, data: PledgeData, ip: str | None, honeypot: bool = False) -> None:
    """Store an unconfirmed pledge and queue its confirmation, or re-send for a known address.

    The address is screened by the mail guard here (mail/guard.py): callers need not. The
    caller shows the same page whatever happened here: nothing tells a sender whether
    the address had signed, tripped a limit or filled the honeypot.
    """
    if honeypot:
        guard.screen(data.email, ip)  # counted against the client all the same
        return
    ip_hash = hash_ip(ip)
    canonical = canonical_email(data.email)
    # Screened before it is stored, so that a new pledge and its mail are written in one go
    # (pledges/statements.py): the limits count an address once an hour per client, so a storm
    # of one submission (a double click, a retrying phone) is one pledge, not a flood.
    group, suspect = guard.screen_pledge(data.email, ip, ip_hash)
    held = guard.group_of(ip) if suspect else group  # a suspect's mail waits for a coordinator
    # One statement for the dedupe and the insert: an address that signed before (or is
    # signing concurrently) conflicts on (email_canonical, kind) and is mailed again instead.
    values = _new_pledge(data, canonical, ip_hash, suspect=suspect)
    if store_new_pledge(values, held) is None:
        existing = find_pledge(canonical, data.kind)
        if existing is not None:
            _sign_again(existing, ip)


# The model's plain column defaults, given in the INSERT itself: SQLAlchemy need not work them
# out for each one (a fiftieth of the request in the profile).
_DEFAULTS = {
    column.name: column.default.arg
    for column in Pledge.__table__.columns
    if column.default is not None and column.default.is_scalar
}


def _new_pledge(
    data: PledgeData, canonical: str, ip_hash: str | None, *, suspect: bool = False
) -> dict[str, object]:
    """The new pledge's row: every column with a default too."""
    now = utcnow()
    return {
        **_DEFAULTS,
        "kind": data.kind,
        "name": data.name,
        "email": normalise_email(data.email),
        "email_canonical": canonical,
        "country_id": data.country_id,
        "message": data.message,
        "is_public": data.is_public,
        "wants_updates": data.wants_updates,
        "locale": data.locale,
        "organisation_name": data.organisation_name,
        "organisation_kind": data.organisation_kind,
        "website": data.website,
        "contact_role": data.contact_role,
        "source": data.source,
        "source_organisation_id": data.source_organisation_id,
        "moderation": "pending" if data.kind == "organisation" else None,
        "ip_hash": ip_hash,
        "is_suspect": suspect,
        "mails_sent": 1,
        "last_mailed_at": now,
        "created_at": now,
    }


def _sign_again(pledge: Pledge, ip: str | None) -> None:
    """Re-send, within the cap: the confirmation, or a note that it is confirmed already.

    A suspect pledge's mail is held like its first (under the group of *ip*, the client asking
    now): it is never mailed before a coordinator releases it."""
    if pledge.is_suspect:
        guard.hold(guard.group_of(ip))
    number = claim_mail_slot(pledge)
    if number is None:
        return
    active = pledge.confirmed_at is not None and pledge.withdrawn_at is None
    queue_confirmation(
        pledge_id=pledge.id,
        email=pledge.email,
        locale=pledge.locale,
        template="pledge_already" if active else "pledge_confirm",
        number=number,
    )


def resend_confirmation(*, pledge: Pledge) -> None:
    """For an expired link: a fresh confirmation, within the same cap (held for a suspect
    pledge, under the group of the client asking: see _sign_again)."""
    if pledge.erased_at is None:
        _sign_again(pledge, client_address())


def confirm_pledge(*, pledge: Pledge) -> bool:
    """Confirm (and reactivate a withdrawn pledge); True if anything changed. Idempotent."""
    if pledge.erased_at is not None:
        return False
    if pledge.confirmed_at is not None and pledge.withdrawn_at is None:
        return False
    pledge.confirmed_at = pledge.confirmed_at or utcnow()
    pledge.withdrawn_at = None
    db.session.flush()
    counters.sync_count(pledge)
    webhooks.emit(event="pledge.confirmed", key=pledge.id, data=lambda: pledge_confirmed(pledge))
    subscriptions.ensure_pledge_subscription(
        pledge
    )  # the opt-in to updates makes them a subscriber
    return True


def withdraw_pledge(*, pledge: Pledge) -> None:
    if pledge.withdrawn_at is None:
        pledge.withdrawn_at = utcnow()
        db.session.flush()
        counters.sync_count(pledge)
        subscriptions.end_pledge_subscription(pledge=pledge)


def stop_updates(*, pledge: Pledge) -> None:
    pledge.wants_updates = False
    subscriptions.end_pledge_subscription(pledge=pledge)


def erase_pledge(*, pledge: Pledge) -> None:
    """Anonymise the person's data; the pledge stays counted as it was; the erasure is recorded."""
    if pledge.erased_at is not None:
        return
    pledge.name = ""
    pledge.email = f"erased-{pledge.id}@erased.invalid"
    pledge.email_canonical = f"erased-{pledge.id}"
    pledge.message = ""
    pledge.contact_role = None
    pledge.ip_hash = None
    pledge.is_public = False
    pledge.wants_updates = False
    pledge.erased_at = utcnow()
    subscriptions.end_pledge_subscription(pledge=pledge, erase=True)
    blank_pledge_mails(pledge.id)
    record_event(
        actor=None,
        actor_label="supporter",
        action="pledge.erased",
        entity_type="pledge",
        entity_id=pledge.id,
    )


def remind_unconfirmed(*, now: dt.datetime) -> int:
    """Queue the one reminder for pledges unconfirmed after 48 hours, within the mail cap.

    Returns how many were queued. A pledge at its cap is marked reminded all the same.
    """
    due = db.session.scalars(
        select(Pledge)
        .where(
            Pledge.confirmed_at.is_(None),
            Pledge.reminded_at.is_(None),
            Pledge.erased_at.is_(None),
            Pledge.withdrawn_at.is_(None),
            Pledge.created_at < now - REMIND_AFTER,
        )
        .limit(1000)
    ).all()
    queued = 0
    for pledge in due:
        pledge.reminded_at = now
        if claim_mail_slot(pledge, now=now) is not None:
            queue_pledge_mail(pledge, "pledge_reminder", f"pledge-reminder:{pledge.id}")
            queued += 1
    return queued
