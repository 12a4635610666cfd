"""The report's two dates from the query string: `as_at` (default today) and `since`."""

from __future__ import annotations

import datetime as dt

from flask import abort, request
from flask_babel import gettext as _

from campaign.states.as_at import parse_as_at


def _single(name: str) -> str | None:
    """The one value of *name*; the argument given twice (`?as_at=a&as_at=b`) is a 400, not
    a silent choice of one of them."""
    values = request.args.getlist(name)
    if len(values) > 1:
        abort(400, description=_("%(name)s may be given only once.", name=name))
    return values[0] if values else None


def report_dates() -> tuple[dt.date, dt.date | None]:
    """(as_at, since) from the request, or a 400 that says what is accepted."""
    as_at = parse_as_at(_single("as_at")) or dt.date.today()
    since = parse_as_at(_single("since"), name="since")
    if since is not None and since > as_at:
        abort(400, description=_("since must be a date on or before as_at."))
    return as_at, since
