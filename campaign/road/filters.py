"""Filtering the back office's lists by stage: `?stage=<id>` or `?stage=none` (no confirmed
stage yet); anything else (empty, text, an id that overflows, an unknown stage) is no filter."""

from __future__ import annotations

from typing import Literal

from campaign.core.params import as_id
from campaign.extensions import db
from campaign.road.models import RoadStage, StageChange

NONE = "none"
StageFilter = RoadStage | Literal["none"]


def road_filter(value: object) -> StageFilter | None:
    """The stage a query argument names, "none", or None for no filter."""
    if value == NONE:
        return "none"
    number = as_id(value)
    return db.session.get(RoadStage, number) if number is not None else None


def road_matches(current: StageChange | None, wanted: StageFilter) -> bool:
    """Whether a state whose current confirmed change is *current* is at *wanted*."""
    if wanted == NONE:
        return current is None
    return current is not None and current.stage_id == wanted.id  # type: ignore[union-attr]
