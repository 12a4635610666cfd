"""Recording status changes and corrections: the only ways a state's status moves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.core.jobs import STATUS_CHANGE_ALERTS, enqueue
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.states.models import METHODS, State, StatusChange
from campaign.webhooks import services as webhooks
from campaign.webhooks.payloads import status_changed

RANK = {"none": 0, "signatory": 1, "party": 2}
TARGET = {"signature": "signatory", "ratification": "party", "accession": "party"}


class InvalidStatusChange(DomainError):
    """The change would move a state backwards, skip a required step, or lacks a source."""


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
        raise InvalidStatusChange(_("Unknown act %(act)s.", act=repr(act.act)))
    _check_source(act.source)
    if find_recorded(state, act) is not None:
        return None
    to_status = TARGET[act.act]
    if RANK[to_status] <= RANK[state.status]:
        raise InvalidStatusChange(
            _(
                "%(state)s is already %(status)s; a %(act)s cannot be recorded on top. "
                "Correct the earlier entry instead.",
                state=state.name,
                status=state.status,
                act=act.act,
            )
        )
    if act.act == "ratification" and state.signed_on is None:
        raise InvalidStatusChange(
            _("%(state)s has no signature; record it first or use accession.", state=state.name)
        )
    change = StatusChange(
        state_id=state.id,
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
    before = snapshot(state)
    recompute_state(state, extra=[change])  # raises before anything is added
    state.changes.append(change)
    db.session.flush()
    _audit(recorded_by, "state.status_recorded", state, before, change)
    webhooks.emit(event="status.changed", key=change.id, data=status_changed(change))
    if alert:
        enqueue(STATUS_CHANGE_ALERTS, change.id)
    return change


def correct_status_change(
    *,
    change: StatusChange,
    source: str,
    recorded_by: User | None,
    effective_on: dt.date | None = None,
    method: str | None = None,
    retract: bool = False,
    note: str = "",
    via: str = "user",
) -> StatusChange:
    """Correct a mistaken entry by a new, linked entry; history is never edited or deleted."""
    _check_source(source)
    original = change.corrects if change.act == "correction" else change
    assert original is not None
    current = effective_values(original)
    new_method = method if method is not None else current[1]
    if original.act == "signature":
        new_method = None
    elif new_method not in METHODS:
        raise InvalidStatusChange(_("A ratification or accession needs its method."))
    new_date = effective_on or current[0]
    latest = _latest_corrections(original.state, []).get(original.id)
    was_retracted = latest is not None and latest.is_retraction
    if retract == was_retracted and (retract or (new_date, new_method) == current):
        raise InvalidStatusChange(_("The correction changes nothing."))
    state = original.state
    before = state.status
    correction = StatusChange(
        state_id=state.id,
        act="correction",
        from_status=before,
        to_status=before,
        method=new_method,
        effective_on=new_date,
        source=source.strip(),
        note=note,
        recorded_by=recorded_by,
        recorded_via=via,
        corrects_id=original.id,
        is_retraction=retract,
    )
    snapshot_before = snapshot(state)
    recompute_state(state, extra=[correction])  # raises before anything is added
    correction.to_status = state.status
    state.changes.append(correction)
    db.session.flush()
    _audit(recorded_by, "state.status_corrected", state, snapshot_before, correction)
    webhooks.emit(event="status.changed", key=correction.id, data=status_changed(correction))
    return correction


def set_state_profile(*, state: State, is_priority: bool, notes: str, actor: User) -> None:
    """Change the campaign's own fields of a state (priority, notes); audited."""
    before = {"is_priority": state.is_priority, "notes": state.notes}
    state.is_priority, state.notes = is_priority, notes
    record_event(
        actor=actor,
        action="state.profile_changed",
        entity_type="state",
        entity_id=state.id,
        before=before,
        after={"is_priority": is_priority, "notes": notes},
    )


def snapshot(state: State) -> dict[str, object]:
    return {
        "status": state.status,
        "signed_on": state.signed_on,
        "consented_on": state.consented_on,
        "consent_method": state.consent_method,
    }


def _audit(
    actor: User | None, action: str, state: State, before: dict[str, object], change: StatusChange
) -> None:
    if actor is None:
        return  # the seed and unattended sync are recorded in the history itself
    after = {**snapshot(state), "change_id": change.id, "source": change.source}
    record_event(
        actor=actor,
        action=action,
        entity_type="state",
        entity_id=state.id,
        before=before,
        after=after,
    )


def effective_values(original: StatusChange) -> tuple[dt.date, str | None]:
    """The date and method of an act entry after its latest correction."""
    latest = _latest_corrections(original.state, []).get(original.id)
    if latest is None:
        return original.effective_on, original.method
    return latest.effective_on, latest.method


def recompute_state(state: State, extra: list[StatusChange]) -> None:
    """Derive status, dates and method from the acts as corrected; refuse an impossible result."""
    latest = _latest_corrections(state, extra)
    signed_on = consented_on = method = None
    for entry in _history(state, extra):
        if entry.act == "correction":
            continue
        fix = latest.get(entry.id) if entry.id else None
        if fix is not None and fix.is_retraction:
            continue
        date = fix.effective_on if fix else entry.effective_on
        if entry.act == "signature":
            signed_on = date
        else:
            consented_on, method = date, (fix.method if fix else entry.method)
    if method == "ratification" and signed_on is None:
        raise InvalidStatusChange(
            _("%(state)s would be ratified without a signature.", state=state.name)
        )
    if signed_on and consented_on and consented_on < signed_on:
        raise InvalidStatusChange(
            _("%(state)s would have consented before signing.", state=state.name)
        )
    state.signed_on, state.consented_on, state.consent_method = signed_on, consented_on, method
    state.status = "party" if consented_on else "signatory" if signed_on else "none"


def _history(state: State, extra: list[StatusChange]) -> list[StatusChange]:
    """Every entry once, in the order recorded (pending entries last)."""
    unique = {id(change): change for change in [*state.changes, *extra]}
    return sorted(unique.values(), key=lambda c: (c.id is None, c.id or 0))


def _latest_corrections(state: State, extra: list[StatusChange]) -> dict[int, StatusChange]:
    latest: dict[int, StatusChange] = {}
    for change in _history(state, extra):
        if change.act == "correction" and change.corrects_id is not None:
            latest[change.corrects_id] = change  # recorded later wins
    return latest


def _check_source(source: str) -> None:
    if not source.strip():
        raise InvalidStatusChange(_("A status change needs a source."))
