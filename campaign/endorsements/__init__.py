"""Officials' endorsements: elected officials and office-holders who commit to the Convention."""

from flask import Blueprint

bp = Blueprint("endorsements", __name__)

from campaign.endorsements import views  # noqa: E402,F401
