"""The world map page: every UN member state coloured by its status toward the Convention."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from sqlalchemy import select

from campaign.endorsements.public import counts as endorsement_counts
from campaign.events.queries import event_dots
from campaign.extensions import db
from campaign.i18n.labels import LABELS
from campaign.i18n.localised import state_name
from campaign.public import bp
from campaign.public.worldmap import world_map
from campaign.states.as_at import parse_as_at, standings
from campaign.states.models import State
from campaign.states.treaty import next_migrants_day


@bp.get("/map")
def map_page() -> str:
    """Today's map, or with `?as_at=YYYY-MM-DD` the map and its table as they stood then; the
    layer of officials' endorsements shows those verified by then and still standing, and the
    dots of Migrants Day events those of the season of the next 18 December (from that day)."""
    as_at = parse_as_at(request.args.get("as_at"))
    states = (
        db.session.execute(select(State.iso3, State.iso2, State.name, State.status))
        if as_at is None
        else standings(as_at)
    )
    rows = [(state.iso3, state_name(state), state.status) for state in states]
    season = next_migrants_day(as_at or dt.date.today()).year
    return render_template(
        "public/map.html",
        world=world_map(rows, endorsement_counts(verified_by=as_at), event_dots(season)),
        season=season,
        status_labels=LABELS["status"],
        as_at=as_at,
        today=dt.date.today(),
    )
