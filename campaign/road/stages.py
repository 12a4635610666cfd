"""The stages of the road to ratification: their names in every language, and the admins'
editor (add, rename, reorder, retire). Nothing here commits.

A default stage's name is translated through the catalogue for as long as it keeps its
default English name; a stage an admin added, or a default one renamed, reads as entered in
every language (one name, no per-language copies: few stages, and the admin who changes one
writes it in the campaign's working language).
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.road.models import DEFAULT_STAGES, NAME_MAX, RoadStage, StageChange

DEFAULT_LABELS: dict[str, LazyString] = {
    "no_action": _l("No known action"),
    "government_considering": _l("Under consideration by the government"),
    "government_approved": _l("Approved by the government"),
    "before_parliament": _l("Before parliament"),
    "parliament_approved": _l("Approved by parliament"),
    "deposited": _l("Instrument deposited"),
}
DEFAULT_NAMES = dict(DEFAULT_STAGES)


class StageError(DomainError):
    """The stage cannot be added, renamed, moved or retired as asked."""


def stage_label(key: str | None, name: str) -> str:
    """What a stage reads as in the current language (see the module's docstring)."""
    if key is not None and DEFAULT_NAMES.get(key) == name:
        return str(DEFAULT_LABELS[key])
    return name


def all_stages() -> list[RoadStage]:
    """Every stage, retired ones included, from the farthest from ratification."""
    return list(db.session.scalars(select(RoadStage).order_by(RoadStage.position, RoadStage.id)))


def open_stages() -> list[RoadStage]:
    """The stages a change may move a state to."""
    return [stage for stage in all_stages() if not stage.is_retired]


def _check_name(name: str, stage: RoadStage | None = None) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise StageError(_("Give a name of 1 to %(max)s characters.", max=NAME_MAX))
    for other in all_stages():
        if other is not stage and other.name.casefold() == name.casefold():
            raise StageError(_("Another stage already has that name."))
    return name


def _audit(actor: User, action: str, stage: RoadStage, before: dict[str, object] | None) -> None:
    after = {"name": stage.name, "position": stage.position, "is_retired": stage.is_retired}
    record_event(
        actor=actor,
        action=action,
        entity_type="road_stage",
        entity_id=stage.id,
        before=before,
        after=after,
    )


def _snapshot(stage: RoadStage) -> dict[str, object]:
    return {"name": stage.name, "position": stage.position, "is_retired": stage.is_retired}


def add_stage(*, name: str, actor: User) -> RoadStage:
    """A new stage, last (closest to ratification) until it is moved."""
    name = _check_name(name)
    last = db.session.scalar(select(func.max(RoadStage.position)))
    stage = RoadStage(name=name, position=(last or 0) + 1, is_retired=False)
    db.session.add(stage)
    db.session.flush()
    _audit(actor, "road.stage_added", stage, None)
    return stage


def rename_stage(*, stage: RoadStage, name: str, actor: User) -> None:
    before = _snapshot(stage)
    stage.name = _check_name(name, stage)
    db.session.flush()
    _audit(actor, "road.stage_renamed", stage, before)


def move_stage(*, stage: RoadStage, offset: int, actor: User) -> None:
    """Move *stage* one place earlier (-1) or later (+1); positions are renumbered 0, 1, ..."""
    stages = all_stages()
    index = stages.index(stage)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(stages):
        raise StageError(_("That stage cannot move further."))
    before = _snapshot(stage)
    stages[index], stages[target] = stages[target], stages[index]
    for position, each in enumerate(stages):
        each.position = position
    db.session.flush()
    _audit(actor, "road.stage_moved", stage, before)


def stage_in_use(stage: RoadStage) -> bool:
    """Whether a state is at *stage* now, or a proposal waits to move one there."""
    from campaign.road.queries import current_changes

    if any(change.stage_id == stage.id for change in current_changes().values()):
        return True
    waiting = select(StageChange.id).filter_by(stage_id=stage.id, status="proposed").limit(1)
    return db.session.scalar(waiting) is not None


def retire_stage(*, stage: RoadStage, actor: User) -> None:
    """No new change may move a state to a retired stage; the history keeps it."""
    if stage.is_retired:
        raise StageError(_("That stage is already retired."))
    if stage_in_use(stage):
        raise StageError(
            _("A state is at that stage, or a proposal waits for it: it cannot be retired.")
        )
    before = _snapshot(stage)
    stage.is_retired = True
    db.session.flush()
    _audit(actor, "road.stage_retired", stage, before)


def restore_stage(*, stage: RoadStage, actor: User) -> None:
    if not stage.is_retired:
        raise StageError(_("That stage is in use already."))
    before = _snapshot(stage)
    stage.is_retired = False
    db.session.flush()
    _audit(actor, "road.stage_restored", stage, before)


# What a change's status reads as (back office and portal).
STATUS_LABELS: dict[str, LazyString] = {
    "proposed": _l("Waiting for a coordinator"),
    "confirmed": _l("Confirmed"),
    "rejected": _l("Rejected"),
}


def ensure_default_stages() -> int:
    """Add any of the six default stages that is missing (migration 0011 seeds them; a wiped
    database, as the tests' `committed` fixture leaves it, has none); how many were added."""
    known = set(db.session.scalars(select(RoadStage.key).where(RoadStage.key.is_not(None))))
    added = 0
    for position, (key, name) in enumerate(DEFAULT_STAGES):
        if key not in known:
            db.session.add(RoadStage(key=key, name=name, position=position, is_retired=False))
            added += 1
    db.session.flush()
    return added
