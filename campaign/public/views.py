"""Public pages: where the Convention stands, state by state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, render_template, request
from flask_babel import gettext as _

from campaign.endorsements import public as endorsements
from campaign.i18n.localised import state_name
from campaign.pledges import counters
from campaign.pledges import queries as pledge_queries
from campaign.public import bp
from campaign.public.figures import overview, rendered, state_page
from campaign.states import queries
from campaign.states.as_at import parse_as_at, standings
from campaign.states.models import REGIONS, STATUSES
from campaign.states.treaty import next_migrants_day


@bp.get("/")
def home() -> str:
    today = dt.date.today()
    migrants_day = next_migrants_day(today)
    figures = overview()
    content = rendered(
        "home",
        figures,
        "public/_home.html",
        stats=figures.stats,
        recent=figures.recent,
        regions=REGIONS,
        pledges=dict(figures.pledges),
        migrants_day=migrants_day,
        days_to_migrants_day=(migrants_day - today).days,
    )
    return render_template("public/home.html", content=content)


@bp.get("/states")
def states() -> str:
    status = request.args.get("status") or None
    region = request.args.get("region") or None
    as_at = parse_as_at(request.args.get("as_at"))
    if as_at is None:
        rows: list[Any] = queries.list_states(status=status, region=region)
    else:  # as the states stood on that date; the same filters
        rows = [
            row
            for row in standings(as_at)
            if status not in STATUSES or row.status == status
            if region not in REGIONS or row.region == region
        ]
    return render_template(
        "public/states.html",
        states=sorted(rows, key=lambda s: state_name(s).casefold()),
        status=status if status in STATUSES else None,
        region=region if region in REGIONS else None,
        statuses=STATUSES,
        regions=REGIONS,
        as_at=as_at,
        today=dt.date.today(),
    )


@bp.get("/states/<iso3>")
def state(iso3: str) -> str:
    if len(iso3) != 3 or not iso3.isascii() or not iso3.isalpha():
        abort(404)
    page = state_page(iso3.upper())
    if page is None:
        abort(404)
    content = rendered(
        f"state:{page.state.iso3}",
        page,
        "public/_state.html",
        state=page.state,
        timeline=page.timeline,
        partners=page.partners,
        pledges=dict(page.pledges),
        road=page.road,
        endorsements=page.endorsements,
    )
    return render_template("public/state.html", state=page.state, content=content)


def first_name(name: str) -> str:
    """How a consenting individual is listed: the first word of the name only."""
    return name.split()[0] if name.split() else ""


@bp.get("/supporters")
def supporters() -> str:
    """Approved organisations by country, individuals counted by country, and verified
    officials' endorsements counted by state."""
    by_country: dict[str, list[object]] = {}
    for pledge in pledge_queries.approved_organisations():
        key = state_name(pledge.country) if pledge.country else _("International")
        by_country.setdefault(key, []).append(pledge)
    names = dict(pledge_queries.country_choices())  # localised, cached per language
    counts = sorted(
        (
            (names.get(scope, _("Other or not said")), scope, c.online, c.offline)
            for scope, c in counters.by_scope().items()
            if c.online or c.offline
        ),
        key=lambda row: row[0].casefold(),
    )
    officials = sorted(
        ((names.get(iso3, iso3), iso3, n) for iso3, n in endorsements.counts().items()),
        key=lambda row: row[0].casefold(),
    )
    return render_template(
        "public/supporters.html",
        organisations=sorted(by_country.items()),
        counts=counts,
        totals=counters.totals(),
        officials=officials,
    )


@bp.get("/supporters/<iso3>")
def supporters_in(iso3: str) -> str:
    found = queries.state_by_iso3(iso3) if len(iso3) == 3 and iso3.isalpha() else None
    if found is None:
        abort(404)
    listed = [first_name(p.name) for p in pledge_queries.public_individuals(found)]
    return render_template(
        "public/supporters_in.html",
        state=found,
        names=listed,
        officials=endorsements.listed(found.iso3),
    )


@bp.get("/regions/<region>")
def region(region: str) -> str:
    """A region: its states by sub-region, and how many are parties and signatories."""
    if region not in REGIONS:
        abort(404)
    members = queries.list_states(region=region)
    by_subregion: dict[str, list[object]] = {}
    for member in sorted(members, key=lambda s: state_name(s).casefold()):
        by_subregion.setdefault(member.subregion, []).append(member)
    return render_template(
        "public/region.html",
        region=region,
        regions=REGIONS,
        subregions=sorted(by_subregion.items()),
        counts={status: sum(m.status == status for m in members) for status in STATUSES},
        total=len(members),
    )
