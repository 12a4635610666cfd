"""What the status report says as at a date: its counts, its tables and the period's changes,
all derived from states/as_at.py, as /api/v1/stats and /api/v1/states derive theirs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from campaign.i18n.localised import state_name
from campaign.report.collation import sort_key
from campaign.states.as_at import Act, Standing, acts_between, corrected_acts, standings, stats_of
from campaign.states.queries import RegistryStats
from campaign.states.treaty import ADOPTED_ON


@dataclass(frozen=True)
class Row:
    """One line of a table: a state, in the reader's language, with the date of its act."""

    iso3: str
    name: str
    on: dt.date
    act: str  # signature, ratification or accession


@dataclass(frozen=True)
class Report:
    as_at: dt.date
    since: dt.date
    since_given: bool  # False: the default period, the year up to as_at
    stats: RegistryStats
    standings: list[Standing]  # every state, by English name (as the API lists them)
    names: dict[str, str]  # iso3 -> the name in the report's language
    parties: list[Row]
    signatories: list[Row]
    changes: list[Row]


def default_since(as_at: dt.date) -> dt.date:
    """The same day a year before *as_at* (28 February for 29 February), never before the
    Convention's adoption: the changes section shows the last year when no `since` is given."""
    try:
        day = as_at.replace(year=as_at.year - 1)
    except ValueError:
        day = as_at.replace(year=as_at.year - 1, day=28)
    return max(day, ADOPTED_ON)


def build_report(*, as_at: dt.date, since: dt.date | None, code: str) -> Report:
    """The report as at *as_at* in language *code*; *since* starts the changes (exclusive)."""
    acts = corrected_acts()
    rows = standings(as_at, acts)
    key = sort_key(code)
    names = {row.iso3: state_name(row, code) for row in rows}

    def table(entries: list[Row]) -> list[Row]:
        return sorted(entries, key=lambda entry: key(entry.name))

    parties = table(
        [
            Row(r.iso3, names[r.iso3], r.consented_on, r.consent_method or "")
            for r in rows
            if r.status == "party" and r.consented_on is not None
        ]
    )
    signatories = table(
        [
            Row(r.iso3, names[r.iso3], r.signed_on, "signature")
            for r in rows
            if r.status == "signatory" and r.signed_on is not None
        ]
    )
    start = since or default_since(as_at)
    return Report(
        as_at=as_at,
        since=start,
        since_given=since is not None,
        stats=stats_of(rows),
        standings=rows,
        names=names,
        parties=parties,
        signatories=signatories,
        changes=_changes(acts_between(acts, start, as_at), names, key),
    )


def _changes(acts: list[Act], names: dict[str, str], key: Callable[[str], bytes]) -> list[Row]:
    """The period's acts in date order (a signature before a consent on the same day), then
    by name."""
    ordered = sorted(
        acts, key=lambda act: (act.effective_on, act.act != "signature", key(names[act.iso3]))
    )
    return [Row(act.iso3, names[act.iso3], act.effective_on, act.act) for act in ordered]
