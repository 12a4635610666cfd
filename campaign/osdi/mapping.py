"""An OSDI signature (the Record Signature Helper's body) read into the pledge form's fields.

OSDI field (request body) -> pledge form field:

- `person.given_name` + " " + `person.family_name` -> `name` (an organisation's contact person)
- `person.email_addresses[]` (the one marked `primary`, else the first) `.address` -> `email`;
  its `status` `"subscribed"` -> `wants_updates`
- `person.postal_addresses[0].country` (ISO alpha-2 `MX` or alpha-3 `MEX`) -> `country`;
  absent or empty: "other, or prefer not to say"
- `person.languages_spoken[]` (the first of ar, en, es, fr, ru, zh) -> the pledge's language
- `comments` -> `message` (an organisation's statement of support)
- `listed_publicly` (true or false; our extension, default false) -> `is_public`
- the organisation petition's `organisation.name`, `.kind`, `.website`, `.role` ->
  `organisation_name`, `organisation_kind`, `website`, `contact_role`

The privacy notice is accepted on the signer's behalf by the partner's tool, which must show
it (/pledge/privacy); the signer confirms from the mail. The honeypot does not apply.
Only the shape is checked here (objects, lists, strings); every rule on the values is the form's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from campaign.extensions import db
from campaign.i18n import LANGUAGES
from campaign.states.models import State

# Where each form field came from, to name the OSDI field in an error.
FIELD_NAMES = {
    "name": "person.given_name",
    "email": "person.email_addresses.address",
    "country": "person.postal_addresses.country",
    "message": "comments",
    "organisation_name": "organisation.name",
    "organisation_kind": "organisation.kind",
    "website": "organisation.website",
    "contact_role": "organisation.role",
    "accept_privacy": "person",
    "is_public": "listed_publicly",
    "wants_updates": "person.email_addresses.status",
    "homepage": "person",
}
ORGANISATION_FIELDS = {
    "name": "organisation_name",
    "kind": "organisation_kind",
    "website": "website",
    "role": "contact_role",
}
NO_COUNTRY = "---"


@dataclass
class Reading:
    """The form's data read from the body, the shape errors met, and the pledge's language."""

    form: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    locale: str | None = None

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def formdata(self) -> MultiDict[str, str]:
        return MultiDict(self.form)


def _text(reading: Reading, value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        reading.fail(name, "must be a string")
        return ""
    return value


def _objects(reading: Reading, value: Any, name: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        reading.fail(name, "must be a list of objects")
        return []
    return value


def _object(reading: Reading, value: Any, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        reading.fail(name, "must be an object")
        return {}
    return value


def country_code(value: str) -> str:
    """ISO alpha-2 or alpha-3 as the form's alpha-3 choice; anything else as given (refused)."""
    code = value.strip().upper()
    if len(code) == 2 and code.isascii() and code.isalpha():
        iso3 = db.session.scalar(select(State.iso3).filter_by(iso2=code))
        return iso3 or value
    return code if len(code) == 3 and code.isascii() and code.isalpha() else value


def _email(reading: Reading, person: dict[str, Any]) -> None:
    addresses = _objects(reading, person.get("email_addresses"), "person.email_addresses")
    chosen = next((a for a in addresses if a.get("primary") is True), None) or (
        addresses[0] if addresses else {}
    )
    reading.form["email"] = _text(reading, chosen.get("address"), "person.email_addresses.address")
    status = _text(reading, chosen.get("status"), "person.email_addresses.status")
    if status == "subscribed":
        reading.form["wants_updates"] = "y"


def _country(reading: Reading, person: dict[str, Any]) -> None:
    addresses = _objects(reading, person.get("postal_addresses"), "person.postal_addresses")
    first = addresses[0] if addresses else {}
    value = _text(reading, first.get("country"), "person.postal_addresses.country")
    reading.form["country"] = country_code(value) if value.strip() else NO_COUNTRY


def _language(reading: Reading, person: dict[str, Any]) -> None:
    spoken = person.get("languages_spoken")
    if spoken is None:
        return
    if not isinstance(spoken, list) or not all(isinstance(code, str) for code in spoken):
        reading.fail("person.languages_spoken", "must be a list of strings")
        return
    reading.locale = next((code for code in spoken if code in LANGUAGES), None)


def read_signature(body: Any, kind: str) -> Reading:
    """The pledge form's fields from an OSDI signature for the *kind* petition."""
    reading = Reading()
    if not isinstance(body, dict):
        reading.fail("body", "must be a JSON object")
        return reading
    person = _object(reading, body.get("person"), "person")
    if not person and "person" not in reading.errors:
        reading.fail("person", "is required")
    given = _text(reading, person.get("given_name"), "person.given_name")
    family = _text(reading, person.get("family_name"), "person.family_name")
    reading.form["name"] = " ".join(part.strip() for part in (given, family) if part.strip())
    _email(reading, person)
    _country(reading, person)
    _language(reading, person)
    reading.form["message"] = _text(reading, body.get("comments"), "comments")
    public = body.get("listed_publicly")
    if public not in (None, True, False):
        reading.fail("listed_publicly", "must be true or false")
    if public is True:
        reading.form["is_public"] = "y"
    reading.form["accept_privacy"] = "y"  # shown by the partner's tool; see the module's note
    if kind == "organisation":
        organisation = _object(reading, body.get("organisation"), "organisation")
        for osdi_name, form_name in ORGANISATION_FIELDS.items():
            value = organisation.get(osdi_name)
            reading.form[form_name] = _text(reading, value, f"organisation.{osdi_name}")
    return reading


def form_errors(errors: dict[str, list[Any]]) -> dict[str, list[str]]:
    """The form's errors under the OSDI names of the fields they came from."""
    named: dict[str, list[str]] = {}
    for form_name, messages in errors.items():
        osdi_name = FIELD_NAMES.get(form_name, form_name)
        named.setdefault(osdi_name, []).extend(str(message) for message in messages)
    return named
