"""The coordinators' back office, under /admin/."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from campaign.admin import pledges, states, views  # noqa: E402,F401
