"""Public pages: where the Convention stands, state by state."""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template, request

from campaign.public import bp
from campaign.public.timeline import public_timeline
from campaign.states import queries
from campaign.states.models import REGIONS, STATUSES


@bp.get("/")
def home() -> str:
    today = dt.date.today()
    migrants_day = queries.next_migrants_day(today)
    return render_template(
        "public/home.html",
        stats=queries.registry_stats(),
        migrants_day=migrants_day,
        days_to_migrants_day=(migrants_day - today).days,
    )


@bp.get("/states")
def states() -> str:
    status = request.args.get("status") or None
    region = request.args.get("region") or None
    return render_template(
        "public/states.html",
        states=queries.list_states(status=status, region=region),
        status=status if status in STATUSES else None,
        region=region if region in REGIONS else None,
        statuses=STATUSES,
        regions=REGIONS,
    )


@bp.get("/states/<iso3>")
def state(iso3: str) -> str:
    if len(iso3) != 3 or not iso3.isascii() or not iso3.isalpha():
        abort(404)
    found = queries.get_state(iso3)
    if found is None:
        abort(404)
    return render_template("public/state.html", state=found, timeline=public_timeline(found))
