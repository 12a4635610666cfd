"""The API Entry Point, the two petitions and their signatures (read, and the Record Signature
Helper): parse, check the key's organisation, call one service, commit once, answer HAL."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, request
from werkzeug.wrappers import Response

from campaign.api.paging import page_from_request
from campaign.api.spec import described, path
from campaign.core.addresses import canonical_email
from campaign.extensions import db
from campaign.osdi import bp, docs, queries, resources, signing
from campaign.osdi.auth import organisation_id
from campaign.osdi.hal import CURIES, collection, error_response, hal_response, link
from campaign.pledges import counters, services
from campaign.pledges.models import PLEDGE_KINDS, Pledge

MAX_BODY = 64 * 1024
ENTRY = docs.schema("OsdiEntryPoint", {"type": "object", "required": ["motd", "_links"]})
PETITIONS = docs.collection_of("OsdiPetitions", "osdi:petitions", docs.PETITION)
SIGNATURES = docs.collection_of("OsdiSignatures", "osdi:signatures", docs.SIGNATURE)


def _kind(kind: str) -> str:
    if kind not in PLEDGE_KINDS:
        abort(404)
    return kind


@bp.get("/")
@described(
    summary="The OSDI API Entry Point",
    description="Links to the petitions and the people this key may read.",
    tags=docs.TAGS,
    parameters=(docs.TOKEN,),
    responses={200: docs.hal("Links to the collections.", ENTRY), **docs.COMMON},
    security=docs.SECURITY,
)
def entry_point() -> Response:
    key_organisation = organisation_id()
    return hal_response(
        {
            "motd": "Migrant Workers Convention campaign: OSDI 1.x for partners' tools.",
            "vendor_name": resources.ORIGIN_SYSTEM,
            "product_name": "campaign",
            "osdi_version": "1.2",
            "_links": {
                "self": link("osdi.entry_point"),
                "osdi:petitions": link("osdi.petitions"),
                "osdi:people": link("osdi.people"),
                "curies": CURIES,
            },
            "organisation_id": key_organisation,
        }
    )


@bp.get("/petitions")
@described(
    summary="The two petitions: the individual pledge and the organisation pledge",
    tags=docs.TAGS,
    parameters=(docs.TOKEN, *docs.PAGING),
    responses={200: docs.hal("The petitions.", PETITIONS), 400: docs.BAD_PAGE, **docs.COMMON},
    security=docs.SECURITY,
)
def petitions() -> Response:
    page = page_from_request(default_size=25)
    totals = counters.totals()
    items = [resources.petition(kind, totals) for kind in PLEDGE_KINDS]
    return hal_response(collection("osdi:petitions", page.of(items), page=page, total=len(items)))


@bp.get("/petitions/<kind>")
@described(
    summary="One petition, with its total of confirmed signatures",
    tags=docs.TAGS,
    parameters=(docs.TOKEN, docs.KIND),
    responses={200: docs.hal("The petition.", docs.PETITION), 404: docs.NOT_FOUND, **docs.COMMON},
    security=docs.SECURITY,
)
def petition(kind: str) -> Response:
    return hal_response(resources.petition(_kind(kind)))


def signature_items(pledges: list[Pledge], organisation: int) -> list[dict[str, Any]]:
    ids = queries.person_ids(organisation, (p.email_canonical for p in pledges))
    return [resources.signature(p, ids.get(p.email_canonical, p.id)) for p in pledges]


@bp.get("/petitions/<kind>/signatures")
@described(
    summary="The signatures of a petition that came through this key's organisation",
    description="Its OSDI posts and its embeds (`/embed/pledge?org=<id>`); never withdrawn or "
    "erased pledges, never anyone else's.",
    tags=docs.TAGS,
    parameters=(docs.TOKEN, docs.KIND, *docs.PAGING),
    responses={
        200: docs.hal("A page of signatures.", SIGNATURES),
        400: docs.BAD_PAGE,
        404: docs.NOT_FOUND,
        **docs.COMMON,
    },
    security=docs.SECURITY,
)
def signatures(kind: str) -> Response:
    kind = _kind(kind)
    page = page_from_request(default_size=25)
    organisation = organisation_id()
    pledges, total = queries.signatures(organisation, kind, page)
    items = signature_items(pledges, organisation)
    return hal_response(collection("osdi:signatures", items, page=page, total=total))


@bp.get("/petitions/<kind>/signatures/<int:signature_id>")
@described(
    summary="One signature",
    tags=docs.TAGS,
    parameters=(
        docs.TOKEN,
        docs.KIND,
        path("signature_id", "The signature's id.", {"type": "integer", "minimum": 0}),
    ),
    responses={
        200: docs.hal("The signature.", docs.SIGNATURE),
        404: docs.NOT_FOUND,
        **docs.COMMON,
    },
    security=docs.SECURITY,
)
def signature(kind: str, signature_id: int) -> Response:
    organisation = organisation_id()
    pledge = queries.signature(organisation, _kind(kind), signature_id)
    if pledge is None:
        abort(404)
    return hal_response(signature_items([pledge], organisation)[0])


def _body() -> Any:
    if (request.content_length or 0) > MAX_BODY:
        abort(413)
    data = request.get_data(cache=False)
    if len(data) > MAX_BODY:
        abort(413)
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        raise signing.SignatureRefused({"body": ["must be JSON (UTF-8)"]}) from None


@bp.post("/petitions/<kind>/signatures")
@described(
    summary="Record a signature (the OSDI Record Signature Helper)",
    description="The same checks, dedupe, limits and confirmation mail as the pledge form. The "
    "signature is `pending confirmation` until the signer follows the link mailed to them. "
    "201: a new signature of this organisation's; 200: one it had posted already; 202: "
    "accepted for an address whose pledge is not this key's to read (it came another way).",
    tags=docs.TAGS,
    parameters=(docs.TOKEN, docs.KIND),
    request_body={
        "required": True,
        "content": {
            media: {"schema": signing.SIGNATURE_INPUT} for media in ("application/json", docs.HAL)
        },
    },
    responses={
        200: docs.hal("Posted before by this organisation.", docs.SIGNATURE),
        201: docs.hal("Recorded, pending confirmation.", docs.SIGNATURE),
        202: docs.hal("Accepted, pending confirmation (not this key's to read).", docs.SIGNATURE),
        400: docs.error("Not JSON, or a field is missing, malformed or refused (`fields`)."),
        404: docs.NOT_FOUND,
        413: docs.error("The body is over 64 KiB."),
        **docs.COMMON,
    },
    security=docs.SECURITY,
    method="post",
)
def record(kind: str) -> Response:
    kind = _kind(kind)
    organisation = organisation_id()
    try:
        data = signing.pledge_data(_body(), kind, organisation)
    except signing.SignatureRefused as refused:
        db.session.rollback()
        return error_response(400, "The signature was not recorded.", fields=refused.fields)
    canonical = canonical_email(data.email)
    existed = services.find_pledge(canonical, kind) is not None
    services.sign_pledge(data=data, ip=request.remote_addr)
    db.session.commit()
    return signing.answer(services.find_pledge(canonical, kind), organisation, existed, data)
