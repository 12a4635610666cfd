"""Moderating organisations' pledges: only approved organisations are listed and counted."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.db import utcnow
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.pledges import counters
from campaign.pledges.mail import queue_pledge_mail
from campaign.pledges.models import Pledge


class ModerationError(DomainError):
    """The pledge cannot be moderated this way."""


def moderation_queue() -> list[Pledge]:
    """Confirmed organisational pledges waiting for a decision, oldest first."""
    return list(
        db.session.scalars(
            select(Pledge)
            .where(
                Pledge.kind == "organisation",
                Pledge.moderation == "pending",
                Pledge.confirmed_at.is_not(None),
                Pledge.withdrawn_at.is_(None),
                Pledge.erased_at.is_(None),
            )
            .order_by(Pledge.confirmed_at)
        )
    )


def moderate_pledge(*, pledge: Pledge, approve: bool, reason: str, actor: User) -> bool:
    """Approve or reject; False if already decided that way. The contact is mailed the outcome."""
    if pledge.kind != "organisation" or pledge.confirmed_at is None:
        raise ModerationError(_("Only confirmed organisational pledges are moderated."))
    outcome = "approved" if approve else "rejected"
    reason = reason.strip()
    if not approve and not reason:
        raise ModerationError(_("Give a reason for rejecting: the organisation will read it."))
    if pledge.moderation == outcome:
        return False
    before = {"moderation": pledge.moderation, "reason": pledge.moderation_reason}
    pledge.moderation, pledge.moderation_reason, pledge.moderated_at = outcome, reason, utcnow()
    db.session.flush()
    counters.sync_count(pledge)
    record_event(
        actor=actor,
        action=f"pledge.{outcome}",
        entity_type="pledge",
        entity_id=pledge.id,
        before=before,
        after={"moderation": outcome, "reason": reason},
    )
    if pledge.erased_at is None:
        queue_pledge_mail(
            pledge, f"pledge_{outcome}", f"pledge-moderation:{pledge.id}:{outcome}", reason=reason
        )
    return True
