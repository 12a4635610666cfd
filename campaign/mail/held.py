"""Mail held because a client mailed too many new addresses (campaign/mail/guard.py): the groups
coordinators see, release or discard in one action, and the alert they get."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from blinker import Namespace
from sqlalchemy import func, select, update

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.core.jobs import SEND_EMAIL, enqueue
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import compose
from campaign.mail.models import OutboundEmail

DISCARDED = "discarded by a coordinator: the client mailed too many new addresses"
SAMPLE = 5

# Sent with the idempotency keys of the mail a coordinator released, inside the transaction:
# a feature whose mail was held for suspicion (pledges) takes the release as the coordinator's
# word that the senders are genuine.
released = Namespace().signal("held-mail-released")


@dataclass(frozen=True)
class HeldGroup:
    group: str
    count: int
    first_at: dt.datetime
    last_at: dt.datetime
    samples: list[OutboundEmail]


def held_groups() -> list[HeldGroup]:
    """Every group with held mail, the most recent first, with a few of its messages."""
    rows = db.session.execute(
        select(
            OutboundEmail.held_for,
            func.count(),
            func.min(OutboundEmail.created_at),
            func.max(OutboundEmail.created_at),
        )
        .where(OutboundEmail.status == "held", OutboundEmail.held_for.is_not(None))
        .group_by(OutboundEmail.held_for)
        .order_by(func.max(OutboundEmail.created_at).desc())
    ).all()
    groups = []
    for group, count, first_at, last_at in rows:
        samples = db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.status == "held", OutboundEmail.held_for == group)
            .order_by(OutboundEmail.id)
            .limit(SAMPLE)
        ).all()
        groups.append(HeldGroup(str(group), int(count), first_at, last_at, list(samples)))
    return groups


def _held(group: str) -> dict[int, str]:
    """The held mail of *group*: id -> idempotency key."""
    rows = db.session.execute(
        select(OutboundEmail.id, OutboundEmail.idempotency_key).where(
            OutboundEmail.status == "held", OutboundEmail.held_for == group
        )
    )
    return {int(row.id): str(row.idempotency_key) for row in rows}


def settle_group(*, group: str, release: bool, actor: Any) -> int:
    """Release (send) or discard every held mail of *group*; how many. Audited; the sends are
    queued after commit."""
    held = _held(group)
    ids = list(held)
    if not ids:
        return 0
    values = (
        {"status": "queued", "last_error": None}
        if release
        else {
            "status": "failed",
            "last_error": DISCARDED,
        }
    )
    db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id.in_(ids), OutboundEmail.status == "held")
        .values(held_for=None, **values)
        .execution_options(synchronize_session=False)
    )
    if release:
        released.send(group, keys=list(held.values()))
        for message_id in ids:
            enqueue(SEND_EMAIL, message_id)
    record_event(
        actor=actor,
        action="outbox.held_released" if release else "outbox.held_discarded",
        entity_type="held_mail",
        entity_id=None,
        before={"group": group, "messages": len(ids)},
    )
    return len(ids)


def alert_coordinators(group: str) -> None:
    """One mail to every active coordinator and admin: a client tripped the limit."""
    from campaign.mail.services import queue_email

    hour = utcnow().strftime("%Y-%m-%dT%H")
    staff = db.session.scalars(
        select(User).where(
            User.role.in_(("coordinator", "admin")),
            User.is_active.is_(True),
            User.password_hash.is_not(None),
        )
    ).all()
    for user in staff:
        mail = compose.compose(
            "held_alert",
            user.locale,
            group=group,
            link=compose.link("/admin/outbox/held", user.locale),
        )
        queue_email(
            key=f"held-alert:{group}:{hour}:{user.id}",
            to=user.email,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
        )
