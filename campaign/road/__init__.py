"""Each state's road to ratification: its domestic stages, proposed, confirmed and dated."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("road", __name__)


@bp.app_template_filter("stage_label")
def _stage_label(stage: object) -> str:
    """A stage (a RoadStage, or anything with its key and name) in the current language."""
    from campaign.road.stages import stage_label

    return stage_label(getattr(stage, "key", None), getattr(stage, "name", ""))


@bp.app_template_filter("road_status")
def _road_status(status: str) -> str:
    from campaign.road.stages import STATUS_LABELS

    return str(STATUS_LABELS.get(status, status))


from campaign.road import views  # noqa: E402,F401
