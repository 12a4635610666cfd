"""Weekly and monthly digests: built once per period, fanned out in chunks with a send ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import cast

from flask import current_app
from sqlalchemy import Select, Table, func, or_, select

from campaign.core.inserts import insert_new
from campaign.core.jobs import DISPATCH_DIGEST, enqueue
from campaign.core.many import among, insert_rows
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import compose
from campaign.mail.batch import queue_batch
from campaign.mail.models import OutboundEmail
from campaign.mail.services import Draft, set_status
from campaign.notifications import messages
from campaign.notifications.content import digest_content, rendered_digest
from campaign.notifications.models import (
    DIGEST_KINDS,
    Digest,
    DigestDelivery,
    Subscription,
    subscription_states,
)
from campaign.notifications.queries import mailable
from campaign.notifications.services import ensure_staff_subscriptions

PENDING = ("queued", "sending")
# A digest not built on its day (the beat was down) is still built this many days later.
CATCH_UP_DAYS = 2
# An unfinished digest older than this is news no longer: the beat job stops resuming it.
RESUME_WITHIN = dt.timedelta(days=3)


def period_start(kind: str, today: dt.date) -> dt.date:
    """The Monday of the week, or the first of the month, that *today* falls in."""
    if kind == "weekly":
        return today - dt.timedelta(days=today.weekday())
    return today.replace(day=1)


def previous_start(kind: str, start: dt.date) -> dt.date:
    if kind == "weekly":
        return start - dt.timedelta(days=7)
    return (start - dt.timedelta(days=1)).replace(day=1)


def build_digest(*, kind: str, today: dt.date) -> Digest:
    """The digest of the period *today* falls in, built once; its fan-out queued after commit."""
    start = period_start(kind, today)
    existing = _find(kind, start)
    if existing is not None:
        return existing
    since = previous_start(kind, start)
    values = {
        "kind": kind,
        "starts_on": start,
        "since_on": since,
        "content": digest_content(kind, since, start),
        "created_at": utcnow(),
        "pause_reason": "",
    }
    digest_id = insert_new(Digest, values, ["kind", "starts_on"])
    if digest_id is not None:  # else another job built it first
        enqueue(DISPATCH_DIGEST, digest_id)
    found = _find(kind, start)
    assert found is not None
    return found


def _find(kind: str, start: dt.date) -> Digest | None:
    return db.session.scalars(select(Digest).filter_by(kind=kind, starts_on=start)).first()


def due_digests(*, now: dt.datetime) -> list[int]:
    """Build this period's digests from the configured hour; unfinished ones that stalled,
    which the caller dispatches again (their chunk jobs may have been lost)."""
    today = now.date()
    for kind in DIGEST_KINDS:
        late = (today - period_start(kind, today)).days
        if late > CATCH_UP_DAYS:
            continue  # a digest missed for longer waits for its next period
        if late > 0 or now.hour >= int(current_app.config["DIGEST_HOUR_UTC"]):
            build_digest(kind=kind, today=today)
    stall = dt.timedelta(seconds=int(current_app.config["DIGEST_STALL_SECONDS"]))
    last_claim = (
        select(func.max(OutboundEmail.claimed_at))
        .join(DigestDelivery, DigestDelivery.message_id == OutboundEmail.id)
        .where(DigestDelivery.digest_id == Digest.id)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Digest.id).where(
                Digest.finished_at.is_(None),
                Digest.paused_at.is_(None),
                Digest.created_at >= now - RESUME_WITHIN,
                Digest.created_at < now - stall,
                func.coalesce(last_claim, Digest.created_at) < now - stall,
            )
        )
    )


def eligible(digest: Digest) -> Select[Subscription]:
    return select(Subscription).where(mailable(), Subscription.frequency == digest.kind)


def _ledger_ids(digest: Digest) -> Select[int | None]:
    return select(DigestDelivery.message_id).where(DigestDelivery.digest_id == digest.id)


def _owed(digest: Digest) -> tuple[Select[int], Select[int]]:
    """The statements of who is owed *digest*: not listed yet, listed but not yet sent."""
    unlisted = (
        eligible(digest)
        .with_only_columns(Subscription.id)
        .where(
            ~select(DigestDelivery.id)
            .where(
                DigestDelivery.digest_id == digest.id,
                DigestDelivery.subscription_id == Subscription.id,
            )
            .exists()
        )
    )
    unsent = (
        select(DigestDelivery.subscription_id)
        .join(OutboundEmail, OutboundEmail.id == DigestDelivery.message_id)
        .where(DigestDelivery.digest_id == digest.id, OutboundEmail.status.in_(PENDING))
    )
    return unlisted, unsent


def pending_subscription_ids(digest: Digest) -> list[int]:
    """Subscribers still owed this digest: no ledger row yet, or their mail not sent yet."""
    unlisted, unsent = _owed(digest)
    return sorted(set(db.session.scalars(unlisted)) | set(db.session.scalars(unsent)))


def anyone_owed(digest: Digest) -> bool:
    """Whether anyone is still owed *digest*: one short look at each chunk's end. Chunks are
    written in id order, so looked for from the newest subscriber, one not listed is found at
    once until the last chunk is written (from the oldest, every listed one was walked)."""
    unlisted, unsent = _owed(digest)
    newest = unlisted.order_by(Subscription.id.desc()).limit(1).scalar_subquery()
    return bool(db.session.scalar(select(or_(newest.is_not(None), unsent.exists()))))


def plan_chunks(*, digest_id: int) -> list[tuple[int, int]]:
    """Subscription id ranges of at most DIGEST_CHUNK_SIZE pending subscribers each."""
    digest = db.session.get(Digest, digest_id)
    if digest is None or digest.finished_at or digest.paused_at:
        return []
    ensure_staff_subscriptions()
    ids = pending_subscription_ids(digest)
    if not ids:
        digest.finished_at = utcnow()
        return []
    size = int(current_app.config["DIGEST_CHUNK_SIZE"])
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def prepare_chunk(
    *, digest_id: int, first_id: int, last_id: int, written: dict[int, Draft] | None = None
) -> list[int]:
    """Ledger and outbox rows for the chunk's subscribers; the ids of its messages to send.

    Rendered once per language for the whole chunk. Rows written before are kept, so a
    chunk run again after a crash sends only what is still queued. *written* receives the
    drafts of the rows this call wrote, by id (the sender need not read their bodies back).
    """
    digest = db.session.get(Digest, digest_id)
    if digest is None or digest.finished_at or digest.paused_at:
        return []
    in_range = Subscription.id.between(first_id, last_id)
    listed = select(DigestDelivery.subscription_id).where(DigestDelivery.digest_id == digest.id)
    # Columns, not entities: a chunk is hundreds of subscribers, and nothing here changes them.
    new = db.session.execute(
        eligible(digest)
        .with_only_columns(
            Subscription.id, Subscription.email, Subscription.locale, Subscription.email_canonical
        )
        .where(in_range, Subscription.id.not_in(listed))
        .order_by(Subscription.id)
    ).all()
    drafts = _write_ledger(digest, new, [row.email_canonical for row in new])
    if written is not None:
        written.update(drafts)
    return list(
        db.session.scalars(
            select(OutboundEmail.id)
            .join(DigestDelivery, DigestDelivery.message_id == OutboundEmail.id)
            .where(
                DigestDelivery.digest_id == digest.id,
                DigestDelivery.subscription_id.between(first_id, last_id),
                OutboundEmail.status.in_(PENDING),
            )
            .order_by(DigestDelivery.subscription_id)
        )
    )


def _new_events(digest: Digest, subscribers: Sequence[messages.Recipient]) -> dict[int, int]:
    """{subscription id: Migrants Day events published in the period in the states it
    follows}; one statement for the chunk's follows (none when no event was published)."""
    counts = {
        int(state): int(n) for state, n in (digest.content.get("new_events_by_state") or {}).items()
    }
    if not counts:
        return {}
    rows = db.session.execute(
        select(subscription_states.c.subscription_id, subscription_states.c.state_id).where(
            among(subscription_states.c.subscription_id, [s.id for s in subscribers])
        )
    )
    found: dict[int, int] = {}
    for subscription_id, state_id in rows:
        found[subscription_id] = found.get(subscription_id, 0) + counts.get(state_id, 0)
    return found


def _write_ledger(
    digest: Digest, subscribers: Sequence[messages.Recipient], keys: Sequence[str]
) -> dict[int, Draft]:
    """Write the outbox and ledger rows; the drafts by row id, if this call wrote them all (a
    concurrent run of the same chunk may have written some first: then none)."""
    if not subscribers:
        return {}
    new_events = _new_events(digest, subscribers)
    drafts = []
    for subscription in subscribers:
        variant = (compose.known(subscription.locale), new_events.get(subscription.id, 0))
        subject_line, bodies = rendered_digest(digest, variant)
        key = f"digest:{digest.id}:{subscription.id}"
        drafts.append(messages.personalise(subscription, key, subject_line, bodies))
    message_ids = queue_batch(drafts, keys)
    now = utcnow()
    rows = [
        {
            "digest_id": digest.id,
            "subscription_id": subscription.id,
            "message_id": message_ids[draft.key],
            "created_at": now,
        }
        for subscription, draft in zip(subscribers, drafts, strict=True)
    ]
    table = cast(Table, DigestDelivery.__table__)
    inserted = insert_rows(table, rows, ["digest_id", "subscription_id"], ["message_id"])
    ours = len(inserted) == len(rows)
    return {message_ids[draft.key]: draft for draft in drafts} if ours else {}


def finish_if_done(*, digest_id: int) -> bool:
    """Mark the digest finished once nobody is owed it; True if it is finished.

    The digest's row is locked first. Chunks that end together each settle their own sends
    and then look for anyone still owed; unlocked, each could read the other's sends as not
    yet settled (uncommitted), and nobody would mark the digest finished. Locked, the one that
    looks second does so after the first has committed, and sees every send."""
    digest = db.session.get(Digest, digest_id, with_for_update=True, populate_existing=True)
    if digest is None or digest.finished_at is not None:
        return True
    if digest.paused_at is not None or anyone_owed(digest):
        return False
    digest.finished_at = utcnow()
    return True


def pause(*, digest_id: int, reason: str) -> None:
    """Stop the fan-out: its queued mails are held until a coordinator resumes it."""
    digest = db.session.get(Digest, digest_id)
    if digest is None or digest.paused_at is not None:
        return
    digest.paused_at = utcnow()
    digest.pause_reason = reason[:2000]
    set_status(_ledger_ids(digest), old="queued", new="held")


def resume(*, digest: Digest) -> None:
    """Release the held mails and dispatch the rest, after commit."""
    digest.paused_at = None
    digest.pause_reason = ""
    set_status(_ledger_ids(digest), old="held", new="queued")
    enqueue(DISPATCH_DIGEST, digest.id)


def paused_digests() -> list[Digest]:
    return list(
        db.session.scalars(
            select(Digest).where(Digest.paused_at.is_not(None)).order_by(Digest.id.desc())
        )
    )
