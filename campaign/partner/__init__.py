"""The national partners' portal, under /partner/."""

from flask import Blueprint

bp = Blueprint("partner", __name__, url_prefix="/partner")

from campaign.partner import views  # noqa: E402,F401
