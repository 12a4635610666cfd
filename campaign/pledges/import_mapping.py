"""From a CSV row to a pledge: which column holds which field (guessed from the header), the
cells read as the pledge form's answers, and the pledge form itself as the only validator."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from campaign.core.addresses import canonical_email, normalise_email
from campaign.core.forms import form_errors
from campaign.extensions import db
from campaign.pledges import queries
from campaign.pledges.forms import (
    ORGANISATION_KINDS,
    IndividualPledgeForm,
    OrganisationPledgeForm,
    PledgeForm,
)
from campaign.pledges.models import NO_COUNTRY, PLEDGE_KINDS
from campaign.states.models import State

# The pledge's fields a column can fill, in the mapping page's order, with their labels.
FIELDS: dict[str, Any] = {
    "name": _l("Name (or first name)"),
    "name_2": _l("Joined to the name (last name)"),
    "email": _l("Email"),
    "country": _l("Country (ISO code or English name)"),
    "kind": _l("Individual or organisation"),
    "organisation_name": _l("Organisation"),
    "organisation_kind": _l("Kind of organisation"),
    "website": _l("Website"),
    "contact_role": _l("Role of the contact"),
    "message": _l("Message or statement of support"),
    "is_public": _l("List publicly (yes/no)"),
    "wants_updates": _l("Wants campaign updates (yes/no)"),
}
# Header names (folded: lower case, letters and digits only) each field is guessed from:
# common spellings, Action Network's and CiviCRM's export headers, this site's own export.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "fullname",
        "yourname",
        "contactperson",
        "contactname",
        "displayname",
        "signer",
    ),
    "first_name": ("firstname", "givenname", "forename", "prenom", "nombre"),
    "name_2": ("lastname", "surname", "familyname", "nom", "apellido", "apellidos"),
    "email": (
        "email",
        "emailaddress",
        "mail",
        "primaryemail",
        "contactemail",
        "courriel",
        "correo",
        "correoelectronico",
    ),
    "country": ("country", "countrycode", "can2country", "pays", "pais", "iso3"),
    "kind": ("kind", "type", "pledgekind", "pledgetype", "contacttype"),
    "organisation_name": ("organisation", "organization", "organisationname", "organizationname"),
    "organisation_kind": (
        "organisationkind",
        "organizationkind",
        "organisationtype",
        "organizationtype",
        "kindoforganisation",
        "kindoforganization",
        "typeoforganisation",
        "typeoforganization",
    ),
    "website": ("website", "web", "url", "homepage", "site", "websiteurl"),
    "contact_role": ("contactrole", "role", "jobtitle", "position"),
    "message": ("message", "comment", "comments", "statement", "can2comment", "why"),
    "is_public": ("ispublic", "public", "listpublicly", "listed", "publish"),
    "wants_updates": (
        "wantsupdates",
        "updates",
        "subscribe",
        "subscribed",
        "optin",
        "emailoptin",
        "newsletter",
        "can2subscriptionstatus",
        "subscriptionstatus",
    ),
}
YES = frozenset({"y", "yes", "true", "1", "x", "on", "oui", "si", "sí", "ja", "subscribed"})
NO = frozenset({"", "n", "no", "false", "0", "off", "non", "nein", "unsubscribed"})
KIND_WORDS = {
    "individual": ("individual", "person", "personal", "individu", "particulier", "persona"),
    "organisation": ("organisation", "organization", "org", "organisational", "organización"),
}


def fold(text: str) -> str:
    """Lower case, accents dropped, letters and digits only: how headers and words compare."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def guess_mapping(header: list[str]) -> dict[str, Any]:
    """A mapping {field: column index} from the header's names; kind "individual" unless a
    column says; "First name" + "Last name" make the name when no column holds it whole."""
    folded = [fold(name) for name in header]
    found: dict[str, int] = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in folded and field not in found:
                found[field] = folded.index(alias)
    first = found.pop("first_name", None)
    if "name" not in found and first is not None:
        found["name"] = first
    elif "name" in found:
        found.pop("name_2", None)
    mapping: dict[str, Any] = {field: found.get(field) for field in FIELDS}
    mapping["kind_fixed"] = "" if "kind" in found else "individual"
    return mapping


FORMS: dict[str, type[PledgeForm]] = {
    "individual": IndividualPledgeForm,
    "organisation": OrganisationPledgeForm,
}
NONE_LABELS = {
    "individual": _l("Other country, or prefer not to say"),
    "organisation": _l("International, or other"),
}


@dataclass(frozen=True)
class Countries:
    """Every way a cell can name a member state: ISO alpha-3, alpha-2, English names."""

    codes: dict[str, str]
    ids: dict[str, int]
    choices: Sequence[tuple[str, str]]
    none_labels: dict[str, str]

    @classmethod
    def load(cls) -> Countries:
        codes: dict[str, str] = {}
        ids: dict[str, int] = {}
        for state_id, iso3, iso2, name, un_name in db.session.execute(
            select(State.id, State.iso3, State.iso2, State.name, State.un_name)
        ):
            ids[iso3] = state_id
            for key in (iso3, iso2, name, un_name):
                codes[fold(key)] = iso3
        labels = {kind: str(label) for kind, label in NONE_LABELS.items()}
        return cls(codes, ids, queries.country_choices(), labels)

    def code_of(self, cell: str) -> str | None:
        """The ISO alpha-3 code for *cell*; NO_COUNTRY for an empty cell; None if unknown."""
        if not cell.strip() or cell.strip() == NO_COUNTRY:
            return NO_COUNTRY
        return self.codes.get(fold(cell))


class RowRefused(ValueError):
    """This row cannot be imported; the message says why."""


@dataclass(frozen=True)
class CheckedRow:
    """A row the pledge form accepted: the pledge's columns and its dedupe key."""

    line: int
    kind: str
    canonical: str
    values: dict[str, Any]


def _cell(cells: list[str], index: Any) -> str:
    if index is None or index == "":
        return ""
    return cells[int(index)] if int(index) < len(cells) else ""


def _yes_no(label: Any, cell: str) -> str:
    word = cell.strip().casefold()
    if word in YES:
        return "y"
    if word in NO:
        return ""
    raise RowRefused(_("%(field)s: “%(value)s” is not yes or no.", field=label, value=word[:40]))


def _kind(mapping: dict[str, Any], cells: list[str]) -> str:
    if mapping.get("kind_fixed") in PLEDGE_KINDS:
        return str(mapping["kind_fixed"])
    word = fold(_cell(cells, mapping.get("kind")))
    for kind, words in KIND_WORDS.items():
        if word in {fold(w) for w in words}:
            return kind
    raise RowRefused(_("The kind must be individual or organisation."))


def form_data(mapping: dict[str, Any], cells: list[str], countries: Countries) -> MultiDict:
    """The row as the pledge form would have been posted, the privacy notice accepted (the
    coordinator confirms it for the whole file when running the import)."""
    first, last = _cell(cells, mapping.get("name")), _cell(cells, mapping.get("name_2"))
    country = countries.code_of(_cell(cells, mapping.get("country")))
    if country is None:
        shown = _cell(cells, mapping.get("country")).strip()[:60]
        raise RowRefused(_("Unknown country “%(country)s”.", country=shown))
    data = MultiDict({"name": f"{first.strip()} {last.strip()}".strip(), "country": country})
    for field in ("email", "message", "organisation_name", "website", "contact_role"):
        data[field] = _cell(cells, mapping.get(field))
    kind_cell = _cell(cells, mapping.get("organisation_kind"))
    kind_folded = "_".join(kind_cell.casefold().replace("-", " ").split())
    data["organisation_kind"] = kind_folded if kind_folded in ORGANISATION_KINDS else kind_cell
    for field in ("is_public", "wants_updates"):
        if _yes_no(FIELDS[field], _cell(cells, mapping.get(field))):
            data[field] = "y"
    data["accept_privacy"] = "y"
    return data


def check_row(
    line: int, cells: list[str], *, mapping: dict[str, Any], width: int, countries: Countries
) -> CheckedRow:
    """The row validated by exactly the pledge form its kind uses (CSRF off), or RowRefused."""
    if len(cells) > width:
        raise RowRefused(_("The row has more cells than the header."))
    kind = _kind(mapping, cells)
    form = FORMS[kind](formdata=form_data(mapping, cells, countries), meta={"csrf": False})
    form.set_countries(countries.choices, countries.none_labels[kind])
    if not form.validate():
        raise RowRefused(form_errors(form))
    data = form.data
    values = {
        "kind": kind,
        "name": data["name"],
        "email": normalise_email(data["email"]),
        "country_id": countries.ids.get(data["country"]),
        "message": data.get("message") or "",
        "is_public": bool(data["is_public"]),
        "wants_updates": bool(data["wants_updates"]),
        "organisation_name": data.get("organisation_name"),
        "organisation_kind": data.get("organisation_kind"),
        "website": data.get("website") or None,
        "contact_role": data.get("contact_role"),
        "scope": data["country"],  # an ISO alpha-3 code or NO_COUNTRY: the counter's scope
    }
    return CheckedRow(line, kind, canonical_email(data["email"]), values)
