"""GET /api/v1/states and /api/v1/stats, cacheable with an ETag; `?as_at=YYYY-MM-DD` answers
as the registry stood on that date (derived from the history, see states/as_at.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from flask import current_app, request
from werkzeug.wrappers import Response

from campaign.api import bp
from campaign.api.paging import page_from_request
from campaign.api.spec import (
    AS_AT,
    BAD_REQUEST,
    DATE,
    NOT_MODIFIED,
    PAGE,
    PER_PAGE,
    described,
    json_answer,
    schema,
)
from campaign.public.figures import overview
from campaign.states import queries
from campaign.states.as_at import parse_as_at, standings, stats_of


def cached_json(payload: Any, headers: dict[str, str] | None = None) -> Response:
    """JSON with a strong ETag of its bytes; 304 when the client already has them."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    response = Response(body, mimetype="application/json", headers=headers)
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["API_CACHE_SECONDS"]
    return response.make_conditional(request)


STATE = schema(
    "State",
    {
        "type": "object",
        "required": ["iso3", "name", "region", "status", "signed_on", "consented_on", "method"],
        "additionalProperties": False,
        "properties": {
            "iso3": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 3166 alpha-3"},
            "name": {"type": "string", "description": "The registry's English name"},
            "region": {
                "type": "string",
                "enum": ["Africa", "America", "Asia", "Europe", "Oceania"],
            },
            "status": {"type": "string", "enum": ["none", "signatory", "party"]},
            "signed_on": {"oneOf": [DATE, {"type": "null"}]},
            "consented_on": {
                "oneOf": [DATE, {"type": "null"}],
                "description": "When its ratification or accession was deposited",
            },
            "method": {"enum": ["ratification", "accession", None]},
        },
    },
)
COUNT = {"type": "integer", "minimum": 0}
STATS = schema(
    "Stats",
    {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "total",
            "parties",
            "by_ratification",
            "by_accession",
            "signatories",
            "no_action",
            "ever_signed",
        ],
        "properties": {
            "total": {**COUNT, "description": "UN member states"},
            "parties": {**COUNT, "description": "States parties (ratification or accession)"},
            "by_ratification": COUNT,
            "by_accession": COUNT,
            "signatories": {**COUNT, "description": "Signed, not (yet) a party"},
            "no_action": {**COUNT, "description": "Neither signed nor a party"},
            "ever_signed": {**COUNT, "description": "Signed at some time, parties included"},
        },
    },
)


@bp.get("/states")
@described(
    summary="Every UN member state and its status toward the Convention",
    tags=("registry",),
    parameters=(AS_AT, PAGE, PER_PAGE),
    responses={
        200: json_answer(
            "The states, by English name", {"type": "array", "items": STATE}, paged=True
        ),
        304: NOT_MODIFIED,
        400: BAD_REQUEST,
    },
)
def states() -> Response:
    as_at = parse_as_at(request.args.get("as_at"))
    page = page_from_request()
    rows: Sequence[Any] = queries.list_states() if as_at is None else standings(as_at)
    return cached_json(
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
            for state in page.of(rows)
        ],
        page.headers(len(rows)),
    )


@bp.get("/stats")
@described(
    summary="The registry in numbers",
    tags=("registry",),
    parameters=(AS_AT,),
    responses={200: json_answer("The counts", STATS), 304: NOT_MODIFIED, 400: BAD_REQUEST},
)
def stats() -> Response:
    as_at = parse_as_at(request.args.get("as_at"))
    if as_at is None:
        return cached_json(overview().stats.as_dict())  # kept per process, as the home page's
    return cached_json(stats_of(standings(as_at)).as_dict())
