"""GET /api/v1/endorsements (verified officials' endorsements, `?state=ISO3` for one state;
a paged array like every list) and /api/v1/endorsements/counts (per state), cacheable with an
ETag; `?as_at=YYYY-MM-DD` counts those verified by then. Public fields only: never an address,
never an endorsement that is unconfirmed, unverified or withdrawn."""

from __future__ import annotations

from flask import abort, request
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
    query,
)
from campaign.api.spec import schema as named
from campaign.api.views import cached_json
from campaign.endorsements import public
from campaign.states.as_at import parse_as_at
from campaign.states.queries import state_by_iso3

ISO3 = {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 3166 alpha-3"}
TEXT = {"type": "string"}
ENDORSEMENT = named(
    "Endorsement",
    {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "id",
            "state",
            "name",
            "office",
            "institution",
            "party",
            "statement",
            "proof_url",
            "verified_on",
        ],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "state": ISO3,
            "name": TEXT,
            "office": {**TEXT, "description": "For example Member of Parliament, Mayor"},
            "institution": TEXT,
            "party": {"oneOf": [TEXT, {"type": "null"}], "description": "Null when not given"},
            "statement": TEXT,
            "proof_url": {
                "type": "string",
                "format": "uri",
                "description": "An https page that shows the office, checked by a coordinator",
            },
            "verified_on": {**DATE, "description": "When a coordinator verified it (UTC)"},
        },
    },
)
COUNTS = named(
    "EndorsementCounts",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["total", "by_state"],
        "properties": {
            "total": {"type": "integer", "minimum": 0},
            "by_state": {
                "type": "object",
                "description": "Verified endorsements per state (ISO alpha-3); none left out",
                "additionalProperties": {"type": "integer", "minimum": 1},
            },
        },
    },
)
STATE = query(
    "state",
    "Only the endorsements of officials of this UN member state (ISO 3166 alpha-3, any case); "
    "anything else is a 400.",
    {"type": "string"},
)


def _state_param() -> str | None:
    """The `state` parameter: an ISO alpha-3 code of a member state (any case), or None; a
    400 for anything else."""
    value = request.args.get("state")
    if value is None:
        return None
    if len(value) != 3 or not value.isascii() or not value.isalpha():
        abort(400, "state must be an ISO 3166 alpha-3 code, such as MEX")
    state = state_by_iso3(value)
    if state is None:
        abort(400, "state is not a UN member state")
    return state.iso3


@bp.get("/endorsements")
@described(
    summary="Officials' endorsements of the Convention, verified by the campaign",
    description="Elected officials and office-holders who confirmed their endorsement by "
    "email and whose office a coordinator verified; by state, then oldest first.",
    tags=("endorsements",),
    parameters=(STATE, AS_AT, PAGE, PER_PAGE),
    responses={
        200: json_answer(
            "The verified endorsements (with `as_at`, those verified by that day)",
            {"type": "array", "items": ENDORSEMENT},
            paged=True,
        ),
        304: NOT_MODIFIED,
        400: BAD_REQUEST,
    },
)
def endorsements() -> Response:
    iso3 = _state_param()
    as_at = parse_as_at(request.args.get("as_at"))
    page = page_from_request()
    rows = [row for row in public.listed(iso3) if as_at is None or row.verified_on <= as_at]
    return cached_json([row.as_dict() for row in page.of(rows)], page.headers(len(rows)))


@bp.get("/endorsements/counts")
@described(
    summary="How many verified officials' endorsements each state has",
    tags=("endorsements",),
    parameters=(AS_AT,),
    responses={200: json_answer("The counts", COUNTS), 304: NOT_MODIFIED, 400: BAD_REQUEST},
)
def endorsement_counts() -> Response:
    counts = public.counts(verified_by=parse_as_at(request.args.get("as_at")))
    return cached_json({"total": sum(counts.values()), "by_state": counts})
