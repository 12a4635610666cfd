"""The people this key's organisation brought in: each address once, with the minimum OSDI
fields (names, email address, country); nobody else's."""

from __future__ import annotations

from flask import abort
from werkzeug.wrappers import Response

from campaign.api.paging import page_from_request
from campaign.api.spec import described, path
from campaign.osdi import bp, docs, queries, resources
from campaign.osdi.auth import organisation_id
from campaign.osdi.hal import collection, hal_response

PEOPLE = docs.collection_of("OsdiPeople", "osdi:people", docs.PERSON)


@bp.get("/people")
@described(
    summary="The people who signed through this key's organisation",
    description="Through its OSDI posts and its embeds; a withdrawn or erased pledge is gone.",
    tags=docs.TAGS,
    parameters=(docs.TOKEN, *docs.PAGING),
    responses={200: docs.hal("A page of people.", PEOPLE), 400: docs.BAD_PAGE, **docs.COMMON},
    security=docs.SECURITY,
)
def people() -> Response:
    page = page_from_request(default_size=25)
    pledges, total = queries.people(organisation_id(), page)
    items = [resources.person(pledge, pledge.id) for pledge in pledges]
    return hal_response(collection("osdi:people", items, page=page, total=total))


@bp.get("/people/<int:person_id>")
@described(
    summary="One person",
    tags=docs.TAGS,
    parameters=(
        docs.TOKEN,
        path("person_id", "The person's id.", {"type": "integer", "minimum": 0}),
    ),
    responses={200: docs.hal("The person.", docs.PERSON), 404: docs.NOT_FOUND, **docs.COMMON},
    security=docs.SECURITY,
)
def person(person_id: int) -> Response:
    pledge = queries.person(organisation_id(), person_id)
    if pledge is None:
        abort(404)
    return hal_response(resources.person(pledge, pledge.id))
