"""The API's description: /api/v1/openapi.json (OpenAPI 3.1) and /api/v1/docs, a page of it.

Both are put together from the descriptions beside each view (campaign/api/spec.py) and the
application's own routes. A route under /api/ without a description is left out and logged;
tests/api/test_openapi.py fails on it, so the document cannot fall behind the code.
The page is rendered on the server from the same document: no script, nothing from a CDN.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from typing import Any

from flask import Flask, current_app, render_template, request
from werkzeug.wrappers import Response

from campaign.api import bp
from campaign.api.spec import OPERATIONS, SCHEMAS
from campaign.api.views import cached_json

log = logging.getLogger(__name__)
API_PREFIXES = ("/api/",)
IGNORED_METHODS = {"HEAD", "OPTIONS"}
_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _paths(app: Flask) -> dict[str, dict[str, Any]]:
    paths: dict[str, dict[str, Any]] = {}
    missing = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(API_PREFIXES) or rule.endpoint in SELF:
            continue
        operations = OPERATIONS.get(app.view_functions[rule.endpoint], {})
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            operation = operations.get(method.lower())
            if operation is None:
                missing.append(f"{method} {rule.rule}")
                continue
            paths.setdefault(_PARAMETER.sub(r"{\1}", rule.rule), {})[method.lower()] = operation
    if missing:
        log.error("API routes without a description, left out of openapi.json: %s", missing)
    return paths


@cache
def _document(app: Flask) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Migrant Workers Convention campaign API",
            "version": "1",
            "summary": "The treaty registry, its figures and the campaign's public lists.",
            "description": (
                "Read-only JSON, free to use. Every answer has a strong ETag (send "
                "If-None-Match for a 304) and Cache-Control. Lists are JSON arrays, paged "
                "with `page` and `per_page`, with `X-Total-Count` and an RFC 8288 `Link` "
                'header. Errors are JSON: `{"error": "..."}`. Dates are ISO 8601.'
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "paths": _paths(app),
        "components": {
            "schemas": dict(sorted(SCHEMAS.items())),
            # The OSDI routes' keys (campaign/osdi): Action Network's header, or a bearer token.
            "securitySchemes": {
                "OsdiApiToken": {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"},
                "BearerApiKey": {"type": "http", "scheme": "bearer"},
            },
        },
    }


def document() -> dict[str, Any]:
    """The whole description, with the server this request reached."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return {**_document(app), "servers": [{"url": request.script_root or "/"}]}


@bp.get("/openapi.json")
def openapi() -> Response:
    return cached_json(document())


@bp.get("/docs")
def docs() -> str:
    described = document()
    return render_template(
        "api/docs.html",
        document=described,
        pretty=lambda value: json.dumps(value, indent=2, ensure_ascii=False),
    )


SELF = {"api.openapi", "api.docs"}
