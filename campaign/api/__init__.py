"""The public JSON API, version 1, under /api/v1."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from campaign.api import endorsements, openapi, views  # noqa: E402,F401
from campaign.api import events as _events  # noqa: E402,F401
from campaign.api import materials as _materials  # noqa: E402,F401
