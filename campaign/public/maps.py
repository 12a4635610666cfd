"""The world map page: every UN member state coloured by its status toward the Convention."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from campaign.extensions import db
from campaign.i18n.labels import LABELS
from campaign.i18n.localised import state_name
from campaign.public import bp
from campaign.public.worldmap import world_map
from campaign.states.models import State


@bp.get("/map")
def map_page() -> str:
    rows = [
        (state.iso3, state_name(state), state.status)
        for state in db.session.execute(select(State.iso3, State.iso2, State.name, State.status))
    ]
    return render_template("public/map.html", world=world_map(rows), status_labels=LABELS["status"])
