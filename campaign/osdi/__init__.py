"""OSDI 1.x for partners' tools (Action Network and the like): petitions, signatures and people
as HAL+JSON under /api/osdi/v1, authenticated by the organisations' API keys (campaign/apikeys).

Token-authenticated JSON: exempt from the session's CSRF check, and no cookie is read or set.
"""

from flask import Blueprint

from campaign.extensions import csrf

bp = Blueprint("osdi", __name__, url_prefix="/api/osdi/v1")
csrf.exempt(bp)

from campaign.osdi import auth as _auth  # noqa: E402,F401
from campaign.osdi import people as _people  # noqa: E402,F401
from campaign.osdi import views as _views  # noqa: E402,F401
