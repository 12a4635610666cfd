"""International Migrants Day events: panels, briefings, vigils, marches, online meetings."""

from flask import Blueprint

bp = Blueprint("events", __name__)

from campaign.events import portal, views  # noqa: E402,F401  (portal: /partner/events)
