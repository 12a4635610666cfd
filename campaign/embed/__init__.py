"""The embeddable pledge and count: small pages partners frame on their own sites."""

from flask import Blueprint

bp = Blueprint("embed", __name__, url_prefix="/embed")

from campaign.embed import views  # noqa: E402,F401
