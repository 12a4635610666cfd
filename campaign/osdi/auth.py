"""Every OSDI request: its API key (`OSDI-API-Token: <key>`, as Action Network's, or
`Authorization: Bearer <key>`), the key's scope for the method, and the per-key rate limit."""

from __future__ import annotations

from flask import g, request
from werkzeug.wrappers import Response

from campaign.apikeys import services
from campaign.apikeys.models import ApiKey
from campaign.core.params import SAFE_METHODS
from campaign.extensions import db
from campaign.osdi import bp
from campaign.osdi.hal import error_response
from campaign.ratelimits import OSDI_KEY, enforce

TOKEN_HEADER = "OSDI-API-Token"  # noqa: S105  (a header's name)


def presented_key() -> str | None:
    token = request.headers.get(TOKEN_HEADER)
    if token:
        return token.strip()
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@bp.before_request
def authenticate() -> Response | None:
    key = services.authenticate(presented_key())
    if key is None:
        db.session.rollback()
        return error_response(
            401,
            "A valid API key is required: send it in the OSDI-API-Token header "
            "(or Authorization: Bearer).",
            headers={"WWW-Authenticate": 'Bearer realm="osdi"'},
        )
    scope = "read" if request.method in SAFE_METHODS | {"OPTIONS"} else "write"
    if not key.allows(scope):
        db.session.rollback()
        return error_response(403, f"This API key does not have the {scope} scope.")
    enforce(OSDI_KEY, str(key.id))  # over it: 429 with Retry-After
    if services.touch(key):
        db.session.commit()  # bookkeeping of its own, whatever the request goes on to do
    g.osdi_key = key
    return None


def current_key() -> ApiKey:
    key: ApiKey = g.osdi_key
    return key


def organisation_id() -> int:
    return current_key().organisation_id
