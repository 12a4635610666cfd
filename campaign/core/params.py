"""Numbers, ids and dates from URLs and query strings, checked at the edge.

Ids are the tables' integer keys: 32-bit signed on PostgreSQL (INTEGER). A larger one in a
path is a 404 (the route does not match), never an "integer out of range" from the database.
Query-string numbers and dates are read strictly (ASCII digits only: `"²".isdigit()` is true,
`int("²")` fails) and within range; anything else is treated as absent, so a filter is ignored
rather than a 500. Search text loses its control characters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER, every table's key
# A page number beyond this is the last page of nothing: it keeps OFFSET far from overflow.
MAX_PAGE = 100_000
_DIGITS = re.compile(r"[0-9]{1,19}")


class IdConverter(IntegerConverter):
    """`<int:...>`: ASCII digits (Werkzeug's own rule), at least 0, at most MAX_ID."""

    def __init__(self, map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


def register_converters(url_map: Map) -> None:
    """Before any route is added: every `<int:...>` in the application is an id."""
    url_map.converters["int"] = IdConverter


def as_id(value: object) -> int | None:
    """*value* (a query argument, a select's choice) as an id, or None."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value)
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def as_page(value: object) -> int:
    """A page number from the query string: 1 unless a plain number from 1 to MAX_PAGE."""
    number = as_id(value)
    return number if number is not None and number <= MAX_PAGE else 1


def as_text(value: object, *, max_length: int) -> str:
    """Free text from the query string (a search): stripped, at most *max_length* characters,
    without control characters. Nothing stored contains one (the forms refuse them), and
    PostgreSQL refuses a NUL in any string it is sent: searching for one was a 500."""
    if not isinstance(value, str):
        return ""
    text = "".join(char for char in value if unicodedata.category(char) != "Cc")
    return text.strip()[:max_length]


def as_date(
    value: object, *, earliest: dt.date = dt.date(1900, 1, 1), latest: dt.date | None = None
) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) between *earliest* and *latest* (default: far enough ahead
    that a day can still be added), or None."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    latest = latest or dt.date(9000, 12, 31)
    return day if earliest <= day <= latest else None


# Methods that only read: HEAD answers like GET (Werkzeug drops the body).
SAFE_METHODS = frozenset({"GET", "HEAD"})
