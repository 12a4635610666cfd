"""A state's public timeline: its acts as corrected, without the back office's bookkeeping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from campaign.states.models import State, StatusChange


@dataclass(frozen=True)
class TimelineEntry:
    """One act of a state as it stands after corrections, for the public timeline."""

    effective_on: dt.date
    act: str  # signature, ratification or accession
    source_url: str | None


def public_timeline(state: State) -> list[TimelineEntry]:
    """The state's acts with their latest corrections applied and retracted acts left out.

    The raw history (corrections as entries of their own) is for the back office; the public
    sees what the state's status is derived from, as services.recompute_state derives it.
    """
    latest: dict[int, StatusChange] = {}
    for change in sorted(state.changes, key=lambda change: change.id):
        if change.corrects_id is not None:
            latest[change.corrects_id] = change  # recorded later wins
    entries = []
    for change in state.changes:
        fix = latest.get(change.id)
        if change.act == "correction" or (fix is not None and fix.is_retraction):
            continue
        method = fix.method if fix is not None else change.method
        entries.append(
            TimelineEntry(
                effective_on=fix.effective_on if fix is not None else change.effective_on,
                act="signature" if change.act == "signature" else method or change.act,
                source_url=change.source_url,
            )
        )
    return sorted(entries, key=lambda entry: (entry.effective_on, entry.act != "signature"))
