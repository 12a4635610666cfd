"""The public list of states by their stage on the road to ratification."""

from __future__ import annotations

from flask import render_template

from campaign.road import bp
from campaign.road.public import by_stage


@bp.get("/road-to-ratification")
def index() -> str:
    groups, unknown = by_stage()
    return render_template("road/index.html", groups=groups, unknown=unknown)
