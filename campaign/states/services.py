"""Recording status changes: the only way a state's status moves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from campaign.accounts.models import User
from campaign.core.jobs import STATUS_CHANGE_ALERTS, enqueue
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.states.models import State, StatusChange

RANK = {"none": 0, "signatory": 1, "party": 2}
TARGET = {"signature": "signatory", "ratification": "party", "accession": "party"}


class InvalidStatusChange(DomainError):
    """The change would move a state backwards or skip a required step."""


@dataclass(frozen=True)
class Act:
    """What a source says a state did, and when."""

    act: str  # signature, ratification or accession
    effective_on: dt.date
    source: str
    source_url: str | None = None
    note: str = ""


def find_recorded(state: State, act: Act) -> StatusChange | None:
    """The entry already recording *act* for *state*, if any."""
    return db.session.scalars(
        select(StatusChange).filter_by(
            state_id=state.id, act=act.act, to_status=TARGET[act.act], effective_on=act.effective_on
        )
    ).first()


def record_status_change(
    *, state: State, act: Act, recorded_by: User | None, via: str = "user", alert: bool = True
) -> StatusChange | None:
    """Append *act* to the state's history and move its status; None when already recorded.

    After commit, the alert job is queued by name for the new entry.
    """
    if act.act not in TARGET:
        raise InvalidStatusChange(f"Unknown act {act.act!r}.")
    if not act.source.strip():
        raise InvalidStatusChange("A status change needs a source.")
    if find_recorded(state, act) is not None:
        return None
    to_status = TARGET[act.act]
    if RANK[to_status] <= RANK[state.status]:
        raise InvalidStatusChange(
            f"{state.name} is already {state.status}; a {act.act} cannot be recorded on top. "
            "Correct the earlier entry instead."
        )
    if act.act == "ratification" and state.signed_on is None:
        raise InvalidStatusChange(
            f"{state.name} has no signature; record it first or use accession."
        )
    change = StatusChange(
        state=state,
        act=act.act,
        from_status=state.status,
        to_status=to_status,
        method=None if act.act == "signature" else act.act,
        effective_on=act.effective_on,
        source=act.source.strip(),
        source_url=act.source_url,
        note=act.note,
        recorded_by=recorded_by,
        recorded_via=via,
    )
    db.session.add(change)
    _apply(state, change)
    db.session.flush()
    if alert:
        enqueue(STATUS_CHANGE_ALERTS, change.id)
    return change


def _apply(state: State, change: StatusChange) -> None:
    state.status = change.to_status
    if change.act == "signature":
        state.signed_on = change.effective_on
    else:
        state.consented_on = change.effective_on
        state.consent_method = change.method
