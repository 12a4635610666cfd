"""The one suppression list: an address that bounced hard, or soft too often, gets no mail.

Every bounce, whatever brought it (a 5xx during the SMTP exchange, a delivery status
notification days later, a provider's event), is recorded once as a BounceReport by its key;
the address's Suppression follows from the reports. The outbox checks the list when a message
is queued and the worker checks it again just before sending.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import func, select

from campaign.core.addresses import matching_key
from campaign.core.inserts import dialect_insert
from campaign.core.many import among
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import BounceReport, Suppression

KINDS = ("hard", "soft")
SUPPRESSED = "not sent: the address is on the suppression list (it bounced)"


def record_bounce_report(
    *,
    address: str,
    kind: str,
    source: str,
    report_key: str,
    outbox_id: int | None = None,
    detail: str = "",
) -> bool:
    """Record one report; False if its key was recorded before (nothing changes then)."""
    key = matching_key(address)
    inserted = db.session.scalar(
        dialect_insert(BounceReport)
        .values(
            report_key=report_key[:200],
            address=address[:254],
            address_key=key[:254],
            kind=kind,
            source=source,
            outbox_id=outbox_id,
            detail=detail[:2000],
            received_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["report_key"])
        .returning(BounceReport.id)
    )
    if inserted is None:
        return False
    _update_suppression(address, key, detail or kind)
    return True


def _update_suppression(address: str, key: str, reason: str) -> None:
    hard, soft = db.session.execute(
        select(
            func.count().filter(BounceReport.kind == "hard"),
            func.count().filter(BounceReport.kind == "soft"),
        ).where(BounceReport.address_key == key)
    ).one()
    entry = db.session.get(Suppression, key) or Suppression(address_key=key, address=address)
    db.session.add(entry)
    entry.soft_bounces = int(soft)
    entry.updated_at = utcnow()
    limit = int(current_app.config["MAIL_SOFT_BOUNCE_LIMIT"])
    if entry.suppressed_at is None and (hard or soft >= limit):
        entry.suppressed_at = utcnow()
        entry.reason = reason[:2000]
    db.session.flush()


def suppressed(addresses: Iterable[str]) -> set[str]:
    """Those of *addresses* (as given) that are on the list."""
    by_key: dict[str, set[str]] = {}
    for address in addresses:  # two spellings of one mailbox share a key: both are answered
        by_key.setdefault(matching_key(address), set()).add(address)
    return {address for key in suppressed_keys(by_key) for address in by_key[key]}


def suppressed_keys(keys: Iterable[str]) -> set[str]:
    """Those of *keys* (matching keys, as a subscription's `email_canonical`) on the list: for
    callers that hold the keys already, without checking each address again (a digest)."""
    wanted = list(set(keys))
    if not wanted:
        return set()
    return set(
        db.session.scalars(
            select(Suppression.address_key).where(
                among(Suppression.address_key, wanted), Suppression.suppressed_at.is_not(None)
            )
        )
    )


def is_suppressed(address: str) -> bool:
    return bool(suppressed([address]))


def lift(address: str) -> None:
    """A coordinator retries a bounced message: the address may be mailed again, and only new
    reports count toward the next suppression."""
    key = matching_key(address)
    entry = db.session.get(Suppression, key)
    if entry is not None:
        entry.suppressed_at = None
        entry.soft_bounces = 0
        entry.updated_at = utcnow()
    db.session.execute(
        BounceReport.__table__.update()  # type: ignore[attr-defined]
        .where(BounceReport.address_key == key)
        .values(address_key=f"lifted:{key}"[:254])
    )
