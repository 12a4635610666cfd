"""Who receives what: the subscription filters the alerts, reminders and digests share."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select

from campaign.accounts.models import User
from campaign.core.inserts import dialect_name
from campaign.core.many import among_param, listed
from campaign.extensions import db
from campaign.mail.models import Suppression
from campaign.notifications.models import DigestDelivery, Subscription


def mailable() -> ColumnElement[bool]:
    """Confirmed, not unsubscribed, not bounced (Subscription.is_mailable in SQL)."""
    return and_(
        Subscription.confirmed_at.is_not(None),
        Subscription.unsubscribed_at.is_(None),
        Subscription.bounced_at.is_(None),
    )


def partner_subscriptions(organisation_ids: Sequence[int]) -> list[tuple[Subscription, int]]:
    """The mailable subscriptions of active partner users, with their organisation's id."""
    if not organisation_ids:
        return []
    rows = db.session.execute(
        select(Subscription, func.coalesce(User.organisation_id, 0))
        .join(User, Subscription.user_id == User.id)
        .where(
            mailable(),
            User.role == "partner",
            User.is_active.is_(True),
            User.organisation_id.in_(organisation_ids),
        )
        .order_by(Subscription.id)
    )
    return [(subscription, organisation_id) for subscription, organisation_id in rows]


def suppressed_messages(message_ids: Sequence[int]) -> set[int]:
    """Those of the digest's *message_ids* whose subscriber is on the suppression list now:
    one statement on the subscribers' stored matching keys, no address checked again."""
    if not message_ids:
        return set()
    ids = listed(DigestDelivery.message_id, message_ids)
    return set(db.session.scalars(_suppressed_statement(dialect_name()), {"ids": ids}))


@lru_cache(maxsize=2)
def _suppressed_statement(dialect: str) -> Select[Any]:
    """Built once (a chunk asks once per batch): the message ids are the parameter `ids`."""
    return (
        select(DigestDelivery.message_id)
        .join(Subscription, Subscription.id == DigestDelivery.subscription_id)
        .join(Suppression, Suppression.address_key == Subscription.email_canonical)
        .where(
            among_param(DigestDelivery.message_id, "ids", dialect),
            Suppression.suppressed_at.is_not(None),
        )
    )
