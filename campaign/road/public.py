"""What a state's public page shows of its road to ratification (plain data, kept per process
by campaign/public/figures.py), and the public list of states by stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from campaign.extensions import db
from campaign.road import queries
from campaign.road.models import RoadStage, StageChange
from campaign.road.stages import all_stages, stage_label
from campaign.states.models import State

# The models whose changes clear the state pages kept per process.
ROAD_MODELS: tuple[type, ...] = (RoadStage, StageChange)


@dataclass(frozen=True)
class RoadEntry:
    """One confirmed change of stage, as the public sees it."""

    stage_key: str | None
    stage_name: str
    effective_on: dt.date
    source: str
    source_url: str | None

    @property
    def label(self) -> str:
        """The stage's name in the language being rendered."""
        return stage_label(self.stage_key, self.stage_name)


@dataclass(frozen=True)
class StateRoad:
    current: RoadEntry
    history: tuple[RoadEntry, ...]  # newest first


def _entry(change: StageChange) -> RoadEntry:
    stage = change.stage
    return RoadEntry(stage.key, stage.name, change.effective_on, change.source, change.source_url)


def state_road(state: State | str) -> StateRoad | None:
    """The state's confirmed stage and its history, as plain data; None while nothing is known.

    Given the State (the state page has it loaded), one statement; given its ISO code, two."""
    state_id = (
        state.id
        if isinstance(state, State)
        else db.session.scalar(select(State.id).filter_by(iso3=state))
    )
    if state_id is None:
        return None
    changes = queries.history(state_id)
    if not changes:
        return None
    entries = tuple(_entry(change) for change in reversed(changes))
    return StateRoad(current=entries[0], history=entries)


@dataclass(frozen=True)
class Listed:
    iso3: str
    iso2: str
    name: str
    effective_on: dt.date


@dataclass(frozen=True)
class StageGroup:
    stage_key: str | None
    stage_name: str
    states: tuple[Listed, ...]

    @property
    def label(self) -> str:
        return stage_label(self.stage_key, self.stage_name)


def by_stage() -> tuple[list[StageGroup], int]:
    """Stages from the closest to ratification, each with its states (the most recent change
    first, then by name); and how many states have no confirmed stage yet. Retired stages
    show only while a state is still at one (none can be: retiring one needs it empty)."""
    current = queries.current_changes()
    states = {state.id: state for state in db.session.scalars(select(State))}
    groups = []
    for stage in reversed(all_stages()):
        at = [
            Listed(states[sid].iso3, states[sid].iso2, states[sid].name, change.effective_on)
            for sid, change in current.items()
            if change.stage_id == stage.id
        ]
        if stage.is_retired and not at:
            continue
        at.sort(key=lambda listed: listed.name)
        at.sort(key=lambda listed: listed.effective_on, reverse=True)
        groups.append(StageGroup(stage.key, stage.name, tuple(at)))
    return groups, len(states) - len(current)
