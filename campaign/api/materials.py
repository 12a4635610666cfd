"""GET /api/v1/materials: the library's documents (`?language=` and `?kind=`), each with its
versions, their files' addresses and download counts; cacheable with an ETag."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from werkzeug.wrappers import Response

from campaign.api import bp
from campaign.api.paging import page_from_request
from campaign.api.spec import (
    BAD_REQUEST,
    NOT_MODIFIED,
    PAGE,
    PER_PAGE,
    described,
    json_answer,
    query,
)
from campaign.api.spec import schema as named
from campaign.api.views import cached_json
from campaign.events.models import LANGUAGES
from campaign.i18n import site_url
from campaign.materials import queries
from campaign.materials.models import CONTENT_TYPES, MATERIAL_KINDS, Material
from campaign.states.models import REGIONS

COUNT = {"type": "integer", "minimum": 0}
VERSION = named(
    "MaterialVersion",
    {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "number",
            "filename",
            "content_type",
            "size_bytes",
            "sha256",
            "uploaded_at",
            "downloads",
            "url",
        ],
        "properties": {
            "number": {"type": "integer", "minimum": 1},
            "filename": {"type": "string"},
            "content_type": {"type": "string", "enum": list(CONTENT_TYPES)},
            "size_bytes": {"type": "integer", "minimum": 1},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "uploaded_at": {"type": "string", "format": "date-time"},
            "downloads": COUNT,
            "url": {"type": "string", "format": "uri"},
        },
    },
)
MATERIAL = named(
    "Material",
    {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "id",
            "title",
            "kind",
            "language",
            "state",
            "region",
            "description",
            "downloads",
            "versions",
        ],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "title": {"type": "string"},
            "kind": {"type": "string", "enum": list(MATERIAL_KINDS)},
            "language": {"type": "string", "enum": list(LANGUAGES)},
            "state": {"oneOf": [{"type": "string", "pattern": "^[A-Z]{3}$"}, {"type": "null"}]},
            "region": {"oneOf": [{"type": "string", "enum": list(REGIONS)}, {"type": "null"}]},
            "description": {"type": "string"},
            "downloads": {**COUNT, "description": "Of every version"},
            "versions": {"type": "array", "items": VERSION, "description": "The latest first"},
        },
    },
)


def material_json(material: Material) -> dict[str, Any]:
    return {
        "id": material.id,
        "title": material.title,
        "kind": material.kind,
        "language": material.language,
        "state": material.state.iso3 if material.state else None,
        "region": material.region,
        "description": material.description,
        "downloads": material.downloads,
        "versions": [
            {
                "number": version.number,
                "filename": version.filename,
                "content_type": version.content_type,
                "size_bytes": version.size_bytes,
                "sha256": version.sha256,
                "uploaded_at": version.uploaded_at.isoformat(),
                "downloads": version.downloads,
                "url": site_url(f"/materials/files/{version.id}"),
            }
            for version in material.versions
        ],
    }


@bp.get("/materials")
@described(
    summary="The campaign's materials library",
    description="Documents that have a file, the latest changed first, with every version.",
    tags=("materials",),
    parameters=(
        query(
            "language", "One of the six UN languages.", {"type": "string", "enum": list(LANGUAGES)}
        ),
        query("kind", "The kind of document.", {"type": "string", "enum": list(MATERIAL_KINDS)}),
        PAGE,
        PER_PAGE,
    ),
    responses={
        200: json_answer("The documents", {"type": "array", "items": MATERIAL}, paged=True),
        304: NOT_MODIFIED,
        400: BAD_REQUEST,
    },
)
def materials() -> Response:
    for name, accepted in (("language", LANGUAGES), ("kind", MATERIAL_KINDS)):
        value = request.args.get(name)
        if value is not None and value not in accepted:
            abort(400, f"{name} must be one of: {', '.join(accepted)}")
    page = page_from_request()
    rows = queries.documents(request.args.get("language", ""), request.args.get("kind", ""))
    return cached_json([material_json(row) for row in page.of(rows)], page.headers(len(rows)))
