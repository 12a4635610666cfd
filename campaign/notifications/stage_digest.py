"""What a digest says of the road to ratification: the changes of stage confirmed in its
period, as plain values (stored with the digest's JSON content)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaign.extensions import db
from campaign.mail import compose
from campaign.road.models import StageChange
from campaign.road.stages import stage_label

MAX_STAGE_CHANGES_LISTED = 30


def road_changes(
    start: dt.datetime, end: dt.datetime
) -> tuple[list[dict[str, str | None]], dict[str, str]]:
    """Changes of stage confirmed from *start* to *end*, by the date they happened; and the
    states' alpha-2 codes by English name (for localised_content)."""
    changes = db.session.scalars(
        select(StageChange)
        .options(joinedload(StageChange.stage), joinedload(StageChange.state))
        .where(
            StageChange.status == "confirmed",
            StageChange.decided_at >= start,
            StageChange.decided_at < end,
        )
        .order_by(StageChange.effective_on, StageChange.id)
        .limit(MAX_STAGE_CHANGES_LISTED)
    ).all()
    listed: list[dict[str, str | None]] = [
        {
            "state": change.state.name,
            "stage": stage_label(change.stage.key, change.stage.name),
            "stage_key": change.stage.key,
            "stage_name": change.stage.name,
            "effective_on": compose.long_date(change.effective_on),
            "on": change.effective_on.isoformat(),
            "url": compose.link(f"/states/{change.state.iso3}"),
        }
        for change in changes
    ]
    return listed, {change.state.name: change.state.iso2 for change in changes}


def localised_stage(change: dict[str, Any], locale: str) -> str:
    """The stage's name in *locale* (a default stage's translation; as entered otherwise)."""
    with force_locale(compose.known(locale)):
        return stage_label(change.get("stage_key"), str(change.get("stage_name") or ""))
