"""Everything held about one person's address, gathered for them to download.

The address is the one behind a manage link (a pledge's or a subscription's). Records are
matched on the canonical address (campaign/core/addresses.py), as dedupe matches them: the
pledges of both kinds, the officials' endorsement, the subscription, every mail queued to any
spelling those records hold, the suppression list's entry, and the consents each record carries
with their dates. Erased pledges hold nothing any more and are not listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from campaign.core.addresses import matching_key
from campaign.endorsements.models import Endorsement
from campaign.extensions import db
from campaign.mail.models import OutboundEmail, Suppression
from campaign.notifications.models import Subscription
from campaign.pledges.models import Pledge

PLEDGE_FIELDS = (
    "kind",
    "name",
    "email",
    "message",
    "is_public",
    "wants_updates",
    "locale",
    "organisation_name",
    "organisation_kind",
    "website",
    "contact_role",
    "moderation",
    "created_at",
    "confirmed_at",
    "withdrawn_at",
)
ENDORSEMENT_FIELDS = (
    "name",
    "office",
    "institution",
    "party",
    "statement",
    "proof_url",
    "email",
    "locale",
    "review",
    "created_at",
    "confirmed_at",
    "reviewed_at",
    "withdrawn_at",
)
SUBSCRIPTION_FIELDS = (
    "email",
    "locale",
    "frequency",
    "alerts",
    "created_at",
    "confirmed_at",
    "unsubscribed_at",
)
MAIL_FIELDS = ("subject", "status", "created_at", "sent_at")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in names}


def holdings(canonical: str) -> dict[str, Any]:
    """Every record held about the address whose canonical form is *canonical*."""
    pledges = list(
        db.session.scalars(
            select(Pledge)
            .filter_by(email_canonical=canonical)
            .where(Pledge.erased_at.is_(None))
            .order_by(Pledge.id)
        )
    )
    endorsements = list(
        db.session.scalars(
            select(Endorsement).filter_by(email_canonical=canonical).order_by(Endorsement.id)
        )
    )
    subscriptions = list(
        db.session.scalars(
            select(Subscription).filter_by(email_canonical=canonical).order_by(Subscription.id)
        )
    )
    addresses = (
        {p.email for p in pledges}
        | {e.email for e in endorsements}
        | {s.email for s in subscriptions}
    )
    mails = (
        list(
            db.session.scalars(
                select(OutboundEmail)
                .where(OutboundEmail.to_address.in_(addresses))
                .order_by(OutboundEmail.id)
            )
        )
        if addresses
        else []
    )
    keys = {matching_key(address) for address in addresses}
    suppressed = (
        list(db.session.scalars(select(Suppression).where(Suppression.address_key.in_(keys))))
        if keys
        else []
    )
    return {
        "address": sorted(addresses),
        "pledges": [
            {**_fields(p, PLEDGE_FIELDS), "country": p.country.iso3 if p.country else None}
            for p in pledges
        ],
        "endorsements": [
            {**_fields(e, ENDORSEMENT_FIELDS), "state": e.state.iso3} for e in endorsements
        ],
        "subscriptions": [
            {**_fields(s, SUBSCRIPTION_FIELDS), "states": sorted(st.iso3 for st in s.states)}
            for s in subscriptions
        ],
        "mails": [{**_fields(m, MAIL_FIELDS), "to": m.to_address} for m in mails],
        "suppression": [
            {
                "address": s.address,
                "suppressed_at": _plain(s.suppressed_at),
                "soft_bounces": s.soft_bounces,
                "reason": s.reason,
            }
            for s in suppressed
        ],
        "consents": list(_consents(pledges, endorsements, subscriptions)),
    }


def _consent(record: str, consent: str, given: bool, at: dt.datetime | None) -> dict[str, Any]:
    return {"record": record, "consent": consent, "given": given, "at": _plain(at)}


def _consents(
    pledges: list[Pledge], endorsements: list[Endorsement], subscriptions: list[Subscription]
) -> Iterator[dict[str, Any]]:
    """What each record's holder agreed to, and when."""
    for p in pledges:
        record = f"pledge {p.kind}"
        yield _consent(record, "privacy notice", True, p.created_at)
        yield _consent(record, "listed publicly", p.is_public, p.created_at)
        yield _consent(record, "campaign updates", p.wants_updates, p.created_at)
        if p.confirmed_at:
            yield _consent(record, "address confirmed", True, p.confirmed_at)
    for e in endorsements:
        yield _consent("endorsement", "privacy notice", True, e.created_at)
        yield _consent("endorsement", "published once verified", True, e.created_at)
        if e.confirmed_at:
            yield _consent("endorsement", "address confirmed", True, e.confirmed_at)
    for s in subscriptions:
        if s.confirmed_at:
            yield _consent("subscription", "campaign mail", True, s.confirmed_at)
        if s.unsubscribed_at:
            yield _consent("subscription", "campaign mail", False, s.unsubscribed_at)


def rows(held: dict[str, Any]) -> Iterator[tuple[str, int, str, Any]]:
    """The holdings as (section, record number, field, value) rows, for a CSV."""
    for section, records in held.items():
        if section == "address":
            for number, address in enumerate(records, 1):
                yield section, number, "email", address
            continue
        for number, record in enumerate(records, 1):
            for field, value in record.items():
                if isinstance(value, list):
                    value = " ".join(str(v) for v in value)
                yield section, number, field, value
