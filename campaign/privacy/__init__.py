"""A supporter's own data: everything held about their address, to take away."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/my-data")

from campaign.privacy import views  # noqa: E402,F401
