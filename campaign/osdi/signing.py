"""The Record Signature Helper's rules: an OSDI body becomes the pledge form's data and is
checked by the pledge form itself (WTForms, CSRF off), so OSDI has no second validator; and
what the answer may show."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from campaign.db import utcnow
from campaign.i18n import current_language
from campaign.osdi import queries, resources
from campaign.osdi.hal import hal_response, link
from campaign.osdi.mapping import form_errors, read_signature
from campaign.pledges import queries as pledge_queries
from campaign.pledges.forms import IndividualPledgeForm, OrganisationPledgeForm
from campaign.pledges.models import Pledge
from campaign.pledges.services import PledgeData
from campaign.pledges.views import KINDS

FORMS = {"individual": IndividualPledgeForm, "organisation": OrganisationPledgeForm}
TEXT = {"type": ["string", "null"]}
SIGNATURE_INPUT = {
    "type": "object",
    "required": ["person"],
    "properties": {
        "person": {
            "type": "object",
            "properties": {
                "given_name": TEXT,
                "family_name": TEXT,
                "email_addresses": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "address": TEXT,
                            "primary": {"type": "boolean"},
                            "status": {"enum": ["subscribed", "unsubscribed", None]},
                        },
                    },
                },
                "postal_addresses": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"country": TEXT}},
                },
                "languages_spoken": {"type": "array", "items": {"type": "string"}},
            },
        },
        "comments": TEXT,
        "listed_publicly": {"type": "boolean"},
        "organisation": {
            "type": "object",
            "description": "The organisation petition only: name, kind (ngo, trade_union, "
            "faith_based, academic, intergovernmental, other), website, role (the contact's).",
            "properties": {"name": TEXT, "kind": TEXT, "website": TEXT, "role": TEXT},
        },
    },
}


class SignatureRefused(Exception):
    """The body is not a signature the pledge form accepts; *fields* says where and why."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("signature refused")
        self.fields = fields


def pledge_data(body: Any, kind: str, organisation_id: int) -> PledgeData:
    """The pledge an OSDI *body* asks for, checked by the *kind* pledge form."""
    reading = read_signature(body, kind)
    if reading.errors:
        raise SignatureRefused(reading.errors)
    form = FORMS[kind](formdata=reading.formdata(), meta={"csrf": False})
    form.set_countries(pledge_queries.country_choices(), KINDS[kind][1])
    if not form.validate():
        raise SignatureRefused(form_errors(form.errors))
    data = form.data
    return PledgeData(
        kind=kind,
        name=data["name"],
        email=data["email"],
        country_id=pledge_queries.state_id_for_choice(data["country"]),
        message=data.get("message") or "",
        is_public=bool(data["is_public"]),
        wants_updates=bool(data["wants_updates"]),
        locale=reading.locale or current_language().code,
        organisation_name=data.get("organisation_name"),
        organisation_kind=data.get("organisation_kind"),
        website=data.get("website") or None,
        contact_role=data.get("contact_role"),
        source="osdi",
        source_organisation_id=organisation_id,
    )


def answer(
    pledge: Pledge | None, organisation_id: int, existed: bool, data: PledgeData
) -> Response:
    """201 for a new signature of this organisation's, 200 for one it posted before; 202 with
    only what was sent when the address's pledge is not this key's to read (it came another
    way, or was withdrawn): the key learns nothing about it."""
    if pledge is not None and queries.is_visible(pledge, organisation_id):
        person_id = queries.person_ids(organisation_id, [pledge.email_canonical])[
            pledge.email_canonical
        ]
        body = resources.signature(pledge, person_id)
        if existed:
            return hal_response(body, 200)
        return hal_response(body, 201, headers={"Location": body["_links"]["self"]["href"]})
    given, family = resources.split_name(data.name)
    return hal_response(
        {
            "identifiers": [],
            "origin_system": resources.ORIGIN_SYSTEM,
            "created_date": utcnow().isoformat().replace("+00:00", "Z"),
            "comments": data.message,
            "status": resources.PENDING,
            "_links": {"osdi:petition": link("osdi.petition", kind=data.kind)},
            "person": {
                "given_name": given,
                "family_name": family,
                "email_addresses": [{"address": data.email}],
            },
        },
        202,
    )
