"""Pagination of the API's lists, the same everywhere: `?page=1&per_page=200`.

The body stays a plain JSON array; where it is in the whole list is told by headers, as
GitHub's API does: `X-Total-Count`, and a `Link` header (RFC 8288) with `first`, `prev`,
`next` and `last`. A page past the end is an empty array, not an error; a page or size that is
not a whole number in range is a 400 that says what is accepted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

from flask import abort, request
from flask_babel import gettext as _

from campaign.core.params import MAX_PAGE

DEFAULT_PER_PAGE = 200  # every state on one page
MAX_PER_PAGE = 500
_NUMBER = re.compile(r"[0-9]{1,7}")

T = TypeVar("T")


def _number(name: str, default: int, most: int) -> int:
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not _NUMBER.fullmatch(value) or not 1 <= int(value) <= most:
        abort(
            400,
            description=_(
                "%(name)s must be a whole number from 1 to %(most)s.", name=name, most=most
            ),
        )
    return int(value)


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def headers(self, total: int) -> dict[str, str]:
        """X-Total-Count and Link for a list of *total* items."""
        last = max(1, math.ceil(total / self.size))
        links = {"first": 1, "last": last}
        if self.number > 1:
            links["prev"] = min(self.number - 1, last)
        if self.number < last:
            links["next"] = self.number + 1
        return {
            "X-Total-Count": str(total),
            "Link": ", ".join(
                f'<{_url(number, self.size)}>; rel="{rel}"' for rel, number in links.items()
            ),
        }

    def of(self, items: Sequence[T]) -> list[T]:
        return list(items[self.offset : self.offset + self.size])


def _url(number: int, size: int) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "per_page")]
    args += [("page", str(number)), ("per_page", str(size))]
    return f"{request.base_url}?{urlencode(args)}"


def page_from_request(default_size: int = DEFAULT_PER_PAGE) -> Page:
    """The page asked for; a 400 for a page or size that is not a whole number in range."""
    return Page(
        number=_number("page", 1, MAX_PAGE), size=_number("per_page", default_size, MAX_PER_PAGE)
    )
