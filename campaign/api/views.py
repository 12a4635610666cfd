"""GET /api/v1/states and /api/v1/stats, cacheable with an ETag."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import current_app, request
from werkzeug.wrappers import Response

from campaign.api import bp
from campaign.public.figures import overview
from campaign.states import queries


def _cached_json(payload: Any) -> Response:
    """JSON with a strong ETag of its bytes; 304 when the client already has them."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    response = Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["API_CACHE_SECONDS"]
    return response.make_conditional(request)


@bp.get("/states")
def states() -> Response:
    return _cached_json(
        [
            {
                "iso3": state.iso3,
                "name": state.name,
                "region": state.region,
                "status": state.status,
                "signed_on": state.signed_on.isoformat() if state.signed_on else None,
                "consented_on": state.consented_on.isoformat() if state.consented_on else None,
                "method": state.consent_method,
            }
            for state in queries.list_states()
        ]
    )


@bp.get("/stats")
def stats() -> Response:
    return _cached_json(overview().stats.as_dict())  # kept per process, as the home page's
