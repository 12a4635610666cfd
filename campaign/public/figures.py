"""What the home page and a state's page show (the registry's counts, the recent acts, the
pledge totals; a state's facts, timeline, partners and pledges), kept per process for
RUNTIME_CACHE_SECONDS.

Anonymous readers get a copy of the whole page at most PUBLIC_CACHE_SECONDS old (the page
cache); a reader with a cookie (a coordinator, someone who has just signed) gets the page
rendered for them, from figures at most RUNTIME_CACHE_SECONDS old: the page then runs no SQL.
A change through the ORM in this process clears them at once (settings.services.ProcessCache).
What is kept is plain data, never a database row: nothing is loaded while a page renders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, render_template, request
from markupsafe import Markup

from campaign.endorsements.public import ENDORSEMENT_MODELS, state_endorsements
from campaign.i18n import current_language
from campaign.organisations.models import Organisation, Partnership
from campaign.pledges import counters
from campaign.pledges.models import PledgeCounter
from campaign.public.timeline import TimelineEntry, public_timeline
from campaign.road.public import ROAD_MODELS, state_road
from campaign.settings.services import ProcessCache
from campaign.states import queries
from campaign.states.models import State, StatusChange
from campaign.states.queries import RecentAct, RegistryStats


@dataclass(frozen=True)
class Overview:
    stats: RegistryStats
    recent: tuple[RecentAct, ...]
    pledges: dict[str, int]


def _load(_key: str) -> Overview:
    stats, recent = queries.registry_overview()
    return Overview(stats, tuple(recent), counters.totals())


_OVERVIEW = ProcessCache(_load)
_OVERVIEW.clear_on_change(State, StatusChange, PledgeCounter)


def overview() -> Overview:
    return _OVERVIEW.get("home")


@dataclass(frozen=True)
class StateFacts:
    """The columns of a State its page shows (and state_name reads)."""

    iso3: str
    iso2: str
    name: str
    status: str
    region: str
    subregion: str
    signed_on: dt.date | None
    consented_on: dt.date | None
    consent_method: str | None


@dataclass(frozen=True)
class Partner:
    name: str
    role: str


@dataclass(frozen=True)
class StatePage:
    state: StateFacts
    timeline: tuple[TimelineEntry, ...]
    partners: tuple[Partner, ...]
    pledges: dict[str, int]
    road: object | None = None  # campaign/road/public.py
    endorsements: object | None = None  # campaign/endorsements/public.py


def _load_state(iso3: str) -> StatePage | None:
    found = queries.get_state(iso3)
    if found is None:
        return None
    facts = StateFacts(**{name: getattr(found, name) for name in StateFacts.__dataclass_fields__})
    partners = sorted(
        (p for p in found.partnerships if p.organisation.merged_into_id is None),
        key=lambda p: (p.role != "lead", p.organisation.name.casefold()),
    )
    individuals, organisations, paper = counters.for_state(found.iso3)
    return StatePage(
        state=facts,
        timeline=tuple(public_timeline(found)),
        partners=tuple(Partner(p.organisation.name, p.role) for p in partners),
        pledges={"individuals": individuals, "organisations": organisations, "paper": paper},
        road=state_road(found),
        endorsements=state_endorsements(found),
    )


_STATES = ProcessCache(_load_state)
_STATES.clear_on_change(
    State, StatusChange, PledgeCounter, Partnership, Organisation, *ROAD_MODELS, *ENDORSEMENT_MODELS
)


def state_page(iso3: str) -> StatePage | None:
    """What the page of the state with *iso3* (upper case) shows; None for no such state."""
    return _STATES.get(iso3)


# (what, language, site root): the figures it was rendered from, the day, the HTML.
_RENDERED: dict[tuple[str, str, str], tuple[object, dt.date, Markup]] = {}


def rendered(what: str, figures: object, template: str, **context: object) -> Markup:
    """*template* (a page's content, the same for every reader) rendered from *figures*, once
    per language and site root for as long as this process keeps those figures, and per day
    (the home page counts the days to Migrants Day). Rendered afresh when the cache is off."""
    key = (what, current_language().code, request.script_root)
    today = dt.date.today()
    kept = _RENDERED.get(key)
    if kept is not None and kept[0] is figures and kept[1] == today:
        return kept[2]
    html = Markup(render_template(template, **context))  # noqa: S704  (our own template)
    if float(current_app.config["RUNTIME_CACHE_SECONDS"]) > 0:
        _RENDERED[key] = (figures, today, html)
    return html
