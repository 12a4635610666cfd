"""GET /api/v1/endorsements (verified officials' endorsements, `?state=ISO3` for one state)
and /api/v1/endorsements/counts (per state), cacheable with an ETag. Public fields only:
never an address, never an endorsement that is unconfirmed, unverified or withdrawn."""

from __future__ import annotations

from flask import abort, request
from werkzeug.wrappers import Response

from campaign.api import bp
from campaign.api.views import _cached_json
from campaign.endorsements import public
from campaign.states.queries import state_by_iso3


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
def endorsements() -> Response:
    iso3 = _state_param()
    rows = public.listed(iso3)
    return _cached_json(
        {
            "state": iso3,
            "count": len(rows),
            "endorsements": [row.as_dict() for row in rows],
        }
    )


@bp.get("/endorsements/counts")
def endorsement_counts() -> Response:
    counts = public.counts()
    return _cached_json({"total": sum(counts.values()), "by_state": counts})
