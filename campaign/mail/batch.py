"""Many messages at once: a digest chunk's into the outbox in one statement; the queued
messages nobody has tried yet, for the job that sends them together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, select

from campaign.core.many import among, insert_rows
from campaign.extensions import db
from campaign.mail import suppression
from campaign.mail.models import OutboundEmail
from campaign.mail.services import Draft


def queue_batch(drafts: Sequence[Draft], keys: Sequence[str]) -> dict[str, int]:
    """Add many messages in one statement, skipping keys queued before; every key's row id.

    *keys* are the recipients' matching keys, in the drafts' order (a subscription's
    `email_canonical`): the suppression list is looked up without checking each address
    again. No send job is queued: the caller sends them (a digest chunk, over one
    connection); the outbox flush is the safety net.
    """
    if not drafts:
        return {}
    refused = suppression.suppressed_keys(keys)
    values = [draft.row() for draft in drafts]
    for row, key in zip(values, keys, strict=True):  # every row the same columns: one INSERT
        row["last_error"] = None
        if key in refused:
            row.update(status="failed", last_error=suppression.SUPPRESSED)
    # One INSERT of arrays (campaign/core/many.py) answering the new rows' ids; the ids of keys
    # it skipped are read after it: rows a crashed run of the chunk wrote are not written
    # again, but are sent.
    table = cast(Table, OutboundEmail.__table__)
    inserted = insert_rows(table, values, ["idempotency_key"], ["idempotency_key", "id"])
    ids: dict[str, int] = {key: message_id for key, message_id in inserted}
    skipped = [draft.key for draft in drafts if draft.key not in ids]
    if skipped:
        rows = db.session.execute(
            select(OutboundEmail.idempotency_key, OutboundEmail.id).where(
                among(OutboundEmail.idempotency_key, skipped)
            )
        )
        ids.update({key: message_id for key, message_id in rows})
    return ids


def never_tried(limit: int) -> list[int]:
    """Up to *limit* queued messages no worker has claimed yet, oldest first, leaving out a
    digest's (its chunks send them, paced and pausable). A retry has been claimed before: its
    own job sends it after its backoff."""
    from campaign.notifications.models import DigestDelivery

    in_a_digest = select(DigestDelivery.id).where(DigestDelivery.message_id == OutboundEmail.id)
    return list(
        db.session.scalars(
            select(OutboundEmail.id)
            .where(
                OutboundEmail.status == "queued",
                OutboundEmail.claimed_at.is_(None),
                ~in_a_digest.exists(),
            )
            .order_by(OutboundEmail.id)
            .limit(limit)
        )
    )
