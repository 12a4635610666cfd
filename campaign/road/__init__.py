"""Each state's road to ratification: its domestic stages, proposed, confirmed and dated."""

from flask import Blueprint

bp = Blueprint("road", __name__)

from campaign.road import views  # noqa: E402,F401
