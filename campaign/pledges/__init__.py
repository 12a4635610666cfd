"""Pledges of support: signing, confirming, managing; public counts."""

from flask import Blueprint

bp = Blueprint("pledges", __name__, url_prefix="/pledge")

from campaign.pledges import views  # noqa: E402,F401
