"""The public read side: home, the list of states, a page per state."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from campaign.public import about, feeds, maps, views  # noqa: E402,F401
