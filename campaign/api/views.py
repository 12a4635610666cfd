"""GET /api/v1/states and /api/v1/stats, cacheable with an ETag; `?as_at=YYYY-MM-DD` answers
as the registry stood on that date (derived from the history, see states/as_at.py)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import current_app, request
from werkzeug.wrappers import Response

from campaign.api import bp
from campaign.public.figures import overview
from campaign.states import queries
from campaign.states.as_at import parse_as_at, standings, stats_of


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
    as_at = parse_as_at(request.args.get("as_at"))
    rows = queries.list_states() if as_at is None else standings(as_at)
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
            for state in rows
        ]
    )


@bp.get("/stats")
def stats() -> Response:
    as_at = parse_as_at(request.args.get("as_at"))
    if as_at is None:
        return _cached_json(overview().stats.as_dict())  # kept per process, as the home page's
    return _cached_json(stats_of(standings(as_at)).as_dict())
