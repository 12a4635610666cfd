"""The campaign's materials library: summaries, flyers, guides, letter templates, reports."""

from flask import Blueprint

bp = Blueprint("materials", __name__)

from campaign.materials import portal, views  # noqa: E402,F401  (portal: /partner/materials)
