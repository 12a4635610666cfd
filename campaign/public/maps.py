"""The world map page: every UN member state coloured by its status toward the Convention."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from campaign.extensions import db
from campaign.public import bp
from campaign.public.worldmap import world_map
from campaign.states.models import State

STATUS_LABELS = {"party": "Party", "signatory": "Signatory", "none": "No action"}


@bp.get("/map")
def map_page() -> str:
    rows = [
        (iso3, name, status)
        for iso3, name, status in db.session.execute(select(State.iso3, State.name, State.status))
    ]
    return render_template("public/map.html", world=world_map(rows), status_labels=STATUS_LABELS)
