"""HAL+JSON for OSDI: the answer, its links, the paged collections and the errors."""

from __future__ import annotations

import json
import math
from typing import Any

from flask import request, url_for
from werkzeug.wrappers import Response

from campaign.api.paging import Page

HAL = "application/hal+json"
CURIES = [
    {"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}", "templated": True}
]


def link(endpoint: str, **values: Any) -> dict[str, str]:
    return {"href": url_for(endpoint, _external=True, **values)}


def hal_response(
    body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """*body* as HAL+JSON; never cached (what a key reads is its organisation's alone)."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    response = Response(text, status=status, mimetype=HAL, headers=headers)
    response.headers["Cache-Control"] = "no-store"
    return response


def error_response(
    status: int,
    message: str,
    *,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An error as the rest of the API gives it (`{"error": ...}`), with the OSDI fields at
    fault under `fields` (their OSDI names: `person.email_addresses.address`)."""
    body: dict[str, Any] = {"error": message}
    if fields:
        body["fields"] = fields
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    response = Response(text, status=status, mimetype="application/json", headers=headers)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_link(page: Page, number: int) -> dict[str, str]:
    values = {**(request.view_args or {}), "page": number, "per_page": page.size}
    return link(str(request.endpoint), **values)


def collection(rel: str, items: list[dict[str, Any]], *, page: Page, total: int) -> dict[str, Any]:
    """An OSDI collection: the page's items embedded under *rel*, linked, and OSDI's paging."""
    pages = max(1, math.ceil(total / page.size))
    links: dict[str, Any] = {"self": _page_link(page, page.number)}
    if page.number < pages:
        links["next"] = _page_link(page, page.number + 1)
    if page.number > 1:
        links["prev"] = _page_link(page, min(page.number - 1, pages))
    links[rel] = [item["_links"]["self"] for item in items]
    links["curies"] = CURIES
    return {
        "total_pages": pages,
        "per_page": page.size,
        "page": page.number,
        "total_records": total,
        "_links": links,
        "_embedded": {rel: items},
    }
