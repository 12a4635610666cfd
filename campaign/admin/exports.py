"""The exports index: the back office's CSV exports by name, at /admin/export/<name>.csv.

The rows come from each feature's own `export.py`. The pledges' export, whose download is
audited, has its route with the pledges' screens (`campaign.pledges.admin`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import abort
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.core.csv import csv_response
from campaign.organisations import export as organisations
from campaign.states import export as states

EXPORTS: dict[str, tuple[list[str], Callable[[], Iterator[list[Any]]]]] = {
    "states": (states.HEADER, states.state_rows),
    "organisations": (organisations.ORGANISATION_HEADER, organisations.organisation_rows),
    "partnerships": (organisations.PARTNERSHIP_HEADER, organisations.partnership_rows),
}


@bp.get("/export/<name>.csv")
@role_required("coordinator")
def export(name: str) -> Response:
    if name not in EXPORTS:
        abort(404)
    header, rows = EXPORTS[name]
    return csv_response(f"{name}.csv", header, rows())
