"""Changes of stage: a coordinator's record (confirmed at once), a partner's proposal, and the
coordinator's confirmation or rejection of it. Nothing here commits; a treaty status is never
touched (only campaign.states.services records an act)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.core.jobs import STAGE_CHANGE_ALERTS, enqueue
from campaign.db import utcnow
from campaign.errors import DomainError, NotPermitted
from campaign.extensions import db
from campaign.organisations.models import Partnership
from campaign.road.models import REASON_MAX, SOURCE_MAX, RoadStage, StageChange
from campaign.states.models import State
from campaign.states.treaty import ADOPTED_ON
from campaign.webhooks import services as webhooks
from campaign.webhooks.payloads import stage_changed


class RoadError(DomainError):
    """The change of stage cannot be recorded, proposed or decided as asked."""


class AlreadyDecided(RoadError):
    """The proposal was confirmed or rejected already."""


@dataclass(frozen=True)
class Move:
    """What a source says: the state reached *stage* on *effective_on*."""

    stage: RoadStage
    effective_on: dt.date
    source: str
    source_url: str | None = None


def check_move(move: Move, today: dt.date | None = None) -> None:
    """The rules every change follows, whoever brings it."""
    today = today or utcnow().date()
    if move.stage.is_retired:
        raise RoadError(_("That stage is retired; choose another."))
    if not ADOPTED_ON <= move.effective_on <= today:
        raise RoadError(
            _("The date must be between %(adopted)s and today.", adopted=ADOPTED_ON.isoformat())
        )
    if not move.source.strip() or len(move.source) > SOURCE_MAX:
        raise RoadError(_("Give the source, in at most %(max)s characters.", max=SOURCE_MAX))


def _live(state: State, move: Move) -> StageChange | None:
    """The change not rejected that already says the same (state, stage, date)."""
    return db.session.scalars(
        select(StageChange).where(
            StageChange.state_id == state.id,
            StageChange.stage_id == move.stage.id,
            StageChange.effective_on == move.effective_on,
            StageChange.status != "rejected",
        )
    ).first()


def _add(change: StageChange, state: State, move: Move) -> StageChange | None:
    """Insert *change*: None when it is new, else the same change a concurrent request
    inserted first (the database's unique index decides)."""
    try:
        with db.session.begin_nested():
            db.session.add(change)
    except IntegrityError:
        found = _live(state, move)
        if found is None:
            raise
        return found
    return None


def _audit(actor: User, action: str, change: StageChange, before: str | None) -> None:
    record_event(
        actor=actor,
        action=action,
        entity_type="road_stage_change",
        entity_id=change.id,
        before=None if before is None else {"status": before},
        after={
            "state": change.state.iso3,
            "stage": change.stage.name,
            "effective_on": change.effective_on,
            "status": change.status,
            "source": change.source,
            "reject_reason": change.reject_reason,
        },
    )


def record_stage_change(*, state: State, move: Move, actor: User) -> tuple[StageChange, bool]:
    """A coordinator's record, confirmed at once; (the change, whether anything changed).

    The same change recorded again is a no-op; one a partner proposed is confirmed by it."""
    check_move(move)
    existing = _live(state, move)
    if existing is not None:
        if existing.status == "proposed":
            return existing, confirm_stage_change(change=existing, actor=actor)
        return existing, False
    now = utcnow()
    change = StageChange(
        state=state,
        stage=move.stage,
        effective_on=move.effective_on,
        source=move.source.strip(),
        source_url=move.source_url or None,
        status="confirmed",
        recorded_via="back_office",
        proposed_by=actor,
        proposed_at=now,
        decided_by=actor,
        decided_at=now,
    )
    concurrent = _add(change, state, move)
    if concurrent is not None:
        return concurrent, False
    _audit(actor, "road.change_recorded", change, None)
    enqueue(STAGE_CHANGE_ALERTS, change.id)
    webhooks.emit(event="stage.changed", key=change.id, data=lambda: stage_changed(change))
    return change, True


def is_partner_of(user: User, state: State) -> bool:
    """Whether *user* is a partner whose organisation is a national partner of *state*."""
    if user.role != "partner" or user.organisation_id is None:
        return False
    found = select(Partnership.id).filter_by(
        organisation_id=user.organisation_id, state_id=state.id
    )
    return db.session.scalar(found) is not None


def propose_stage_change(*, state: State, move: Move, partner: User) -> tuple[StageChange, bool]:
    """A national partner's proposal for its own state; (the change, whether it is new).

    The same proposal twice (or one already confirmed) is the one change."""
    if not is_partner_of(partner, state):
        raise NotPermitted(_("Your organisation is not a national partner for this state."))
    check_move(move)
    existing = _live(state, move)
    if existing is not None:
        return existing, False
    change = StageChange(
        state=state,
        stage=move.stage,
        effective_on=move.effective_on,
        source=move.source.strip(),
        source_url=move.source_url or None,
        status="proposed",
        recorded_via="portal",
        proposed_by=partner,
        organisation_id=partner.organisation_id,
    )
    concurrent = _add(change, state, move)
    if concurrent is not None:
        return concurrent, False
    return change, True


def _decide(change: StageChange, actor: User, status: str, reason: str = "") -> None:
    """Move a proposal to *status*, once: the row is locked and read again first (SELECT ...
    FOR UPDATE; BEGIN IMMEDIATE on SQLite), so a second decision (another tab, another
    coordinator) finds it decided and changes nothing. Through the ORM, so that the state
    pages each process keeps are cleared (campaign/public/figures.py)."""
    db.session.refresh(change, with_for_update=True)
    if change.status != "proposed":
        raise AlreadyDecided(_("That proposal was already confirmed or rejected."))
    change.status, change.reject_reason = status, reason
    change.decided_by, change.decided_at = actor, utcnow()
    db.session.flush()


def confirm_stage_change(*, change: StageChange, actor: User) -> bool:
    """Confirm a partner's proposal: from now on it shows, and its followers are alerted."""
    if change.status == "proposed" and change.stage.is_retired:
        raise RoadError(_("That stage is retired; reject the proposal instead."))
    _decide(change, actor, "confirmed")
    _audit(actor, "road.change_confirmed", change, "proposed")
    enqueue(STAGE_CHANGE_ALERTS, change.id)
    webhooks.emit(event="stage.changed", key=change.id, data=lambda: stage_changed(change))
    return True


def reject_stage_change(*, change: StageChange, actor: User, reason: str) -> None:
    """Reject a proposal with a reason the partner sees."""
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise RoadError(_("Give the reason, in at most %(max)s characters.", max=REASON_MAX))
    _decide(change, actor, "rejected", reason)
    _audit(actor, "road.change_rejected", change, "proposed")
