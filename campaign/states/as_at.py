"""Where the Convention stood on any date, derived from the recorded history.

Never from today's status columns: each state's acts are read with their latest correction
applied (a retracted act never happened; a corrected date moves the act), and only the acts in
effect on the date count. A correction recorded today of an act in 2005 changes what 2006 looks
like, as the Secretary-General's later reports do: the history as known now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.core.params import as_date
from campaign.extensions import db
from campaign.states.models import State, StatusChange
from campaign.states.queries import RegistryStats
from campaign.states.treaty import ADOPTED_ON


@dataclass(frozen=True)
class Standing:
    """One state's status on a date."""

    iso3: str
    iso2: str
    name: str
    region: str
    status: str  # none, signatory or party
    signed_on: dt.date | None
    consented_on: dt.date | None
    consent_method: str | None  # ratification or accession, for a party


@dataclass(frozen=True)
class Act:
    """One act as it stands after corrections."""

    iso3: str
    act: str  # signature, ratification or accession
    effective_on: dt.date


def parse_as_at(value: str | None, *, name: str = "as_at") -> dt.date | None:
    """The `as_at` (or *name*) query argument: None when absent, else a date from the
    Convention's adoption to today; anything else is a 400 that says what is accepted."""
    if value is None or value == "":
        return None
    today = dt.date.today()
    day = as_date(value, earliest=ADOPTED_ON, latest=today)
    if day is None:
        abort(
            400,
            description=_(
                "%(name)s must be a date written YYYY-MM-DD, from %(first)s (the Convention's "
                "adoption) to %(today)s.",
                name=name,
                first=ADOPTED_ON.isoformat(),
                today=today.isoformat(),
            ),
        )
    return day


def corrected_acts() -> list[Act]:
    """Every act of every state with its latest correction applied, retractions left out,
    in date order (a signature before a consent on the same day). One statement."""
    rows = db.session.execute(
        select(
            StatusChange.id,
            StatusChange.act,
            StatusChange.method,
            StatusChange.effective_on,
            StatusChange.corrects_id,
            StatusChange.is_retraction,
            State.iso3,
        )
        .join(State, State.id == StatusChange.state_id)
        .order_by(StatusChange.id)
    ).all()
    latest = {row.corrects_id: row for row in rows if row.corrects_id is not None}
    acts = []
    for row in rows:
        if row.act == "correction":
            continue
        fix = latest.get(row.id)
        if fix is not None and fix.is_retraction:
            continue
        method = fix.method if fix is not None else row.method
        acts.append(
            Act(
                iso3=row.iso3,
                act="signature" if row.act == "signature" else method or row.act,
                effective_on=fix.effective_on if fix is not None else row.effective_on,
            )
        )
    return sorted(acts, key=lambda a: (a.effective_on, a.act != "signature", a.iso3))


def standings(on: dt.date, acts: list[Act] | None = None) -> list[Standing]:
    """Every state's status on *on*, by English name."""
    signed: dict[str, dt.date] = {}
    consented: dict[str, tuple[dt.date, str]] = {}
    for act in corrected_acts() if acts is None else acts:
        if act.effective_on > on:
            continue
        if act.act == "signature":
            signed[act.iso3] = act.effective_on
        else:
            consented[act.iso3] = (act.effective_on, act.act)
    states = db.session.execute(
        select(State.iso3, State.iso2, State.name, State.region).order_by(State.name)
    ).all()
    result = []
    for iso3, iso2, name, region in states:
        consent = consented.get(iso3)
        status = "party" if consent else "signatory" if iso3 in signed else "none"
        result.append(
            Standing(
                iso3=iso3,
                iso2=iso2,
                name=name,
                region=region,
                status=status,
                signed_on=signed.get(iso3),
                consented_on=consent[0] if consent else None,
                consent_method=consent[1] if consent else None,
            )
        )
    return result


def stats_of(rows: list[Standing]) -> RegistryStats:
    """The registry's counts for a list of standings, as `queries.registry_stats` counts."""
    return RegistryStats(
        total=len(rows),
        parties=sum(r.status == "party" for r in rows),
        by_ratification=sum(r.consent_method == "ratification" for r in rows),
        by_accession=sum(r.consent_method == "accession" for r in rows),
        signatories=sum(r.status == "signatory" for r in rows),
        no_action=sum(r.status == "none" for r in rows),
        ever_signed=sum(r.signed_on is not None for r in rows),
    )


def acts_between(acts: list[Act], after: dt.date, until: dt.date) -> list[Act]:
    """The acts that took effect after *after*, up to and including *until*."""
    return [act for act in acts if after < act.effective_on <= until]
