"""Claiming one more mail for a row, under a cap and the resend cooldown, in one UPDATE: of two
requests at once only one gets the slot (a pledge's mails, a subscription's confirmations)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.orm import InstrumentedAttribute

from campaign.extensions import db
from campaign.mail.compose import RESEND_COOLDOWN


def claim_mail_slot(
    row: Any,
    *,
    sent: InstrumentedAttribute[int],
    mailed_at: InstrumentedAttribute[dt.datetime | None],
    cap: int,
    now: dt.datetime,
) -> int | None:
    """Count one more mail on *row* if its *sent* column is below *cap* and its *mailed_at*
    column is older than the cooldown (or empty), stamping it *now*; the mail's number (the
    new count), or None when no slot is free."""
    model = type(row)
    claimed = db.session.execute(
        update(model)
        .where(
            model.id == row.id,
            sent < cap,
            or_(mailed_at.is_(None), mailed_at < now - RESEND_COOLDOWN),
        )
        .values({sent: sent + 1, mailed_at: now})
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    db.session.refresh(row, [sent.key, mailed_at.key])
    return int(getattr(row, sent.key))
