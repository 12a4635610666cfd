"""The OSDI resources: the two petitions, a signature and a person, as HAL+JSON objects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from campaign.osdi.hal import link
from campaign.pledges import counters
from campaign.pledges.models import Pledge

SYSTEM = "mwc-campaign"
ORIGIN_SYSTEM = "Migrant Workers Convention campaign"
# The petitions are the two pledge forms, which opened with the campaign system.
PETITIONS_CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PETITIONS: dict[str, dict[str, str]] = {
    "individual": {
        "title": "Pledge of support: individuals",
        "description": (
            "I support the ratification of the International Convention on the Protection of "
            "the Rights of All Migrant Workers and Members of Their Families (1990) by every "
            "state, and call on my government to ratify it."
        ),
    },
    "organisation": {
        "title": "Pledge of support: organisations",
        "description": (
            "Our organisation supports the ratification of the International Convention on the "
            "Protection of the Rights of All Migrant Workers and Members of Their Families (1990) "
            "by every state. Organisations are listed once a coordinator approves them."
        ),
    },
}
PENDING = "pending confirmation"
CONFIRMED = "confirmed"


def _when(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if moment else None


def petition(kind: str, totals: dict[str, int] | None = None) -> dict[str, Any]:
    """A petition; `total_signatures` counts confirmed pledges (organisations once approved)."""
    totals = totals if totals is not None else counters.totals()
    about = PETITIONS[kind]
    return {
        "identifiers": [f"{SYSTEM}:petition-{kind}"],
        "origin_system": ORIGIN_SYSTEM,
        "created_date": _when(PETITIONS_CREATED),
        "title": about["title"],
        "description": about["description"],
        "petition_text": about["description"],
        "total_signatures": totals[kind],
        "browser_url": link("pledges.sign", kind=kind)["href"],
        "_links": {
            "self": link("osdi.petition", kind=kind),
            "osdi:signatures": link("osdi.signatures", kind=kind),
            "osdi:record_signature_helper": link("osdi.signatures", kind=kind),
        },
    }


def status(pledge: Pledge) -> str:
    """Pending until the signer confirms from the mail; a suspect pledge looks the same."""
    return CONFIRMED if pledge.confirmed_at is not None else PENDING


def split_name(name: str) -> tuple[str, str]:
    """The stored name back into OSDI's two: the first word, and the rest."""
    given, _, family = name.strip().partition(" ")
    return given, family.strip()


def person(pledge: Pledge, person_id: int) -> dict[str, Any]:
    given, family = split_name(pledge.name)
    country = pledge.country
    return {
        "identifiers": [f"{SYSTEM}:person-{person_id}"],
        "origin_system": ORIGIN_SYSTEM,
        "created_date": _when(pledge.created_at),
        "modified_date": _when(pledge.confirmed_at or pledge.created_at),
        "given_name": given,
        "family_name": family,
        "languages_spoken": [pledge.locale],
        "email_addresses": [
            {
                "address": pledge.email,
                "primary": True,
                "status": "subscribed" if pledge.wants_updates else "unsubscribed",
            }
        ],
        "postal_addresses": (
            [{"primary": True, "country": country.iso2}] if country is not None else []
        ),
        "_links": {"self": link("osdi.person", person_id=person_id)},
    }


def signature(pledge: Pledge, person_id: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "identifiers": [f"{SYSTEM}:signature-{pledge.id}"],
        "origin_system": ORIGIN_SYSTEM,
        "created_date": _when(pledge.created_at),
        "modified_date": _when(pledge.confirmed_at or pledge.created_at),
        "comments": pledge.message,
        "status": status(pledge),
        "confirmed_date": _when(pledge.confirmed_at),
        "_links": {
            "self": link("osdi.signature", kind=pledge.kind, signature_id=pledge.id),
            "osdi:petition": link("osdi.petition", kind=pledge.kind),
            "osdi:person": link("osdi.person", person_id=person_id),
        },
        "_embedded": {"osdi:person": person(pledge, person_id)},
    }
    if pledge.kind == "organisation":
        body["organisation"] = {
            "name": pledge.organisation_name,
            "kind": pledge.organisation_kind,
            "website": pledge.website,
            "role": pledge.contact_role,
            "moderation": pledge.moderation,
        }
    return body
