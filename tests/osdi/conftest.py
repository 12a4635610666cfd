"""Fixtures for the OSDI tests: an organisation, its keys (issued by the service, so the key
itself is known only here), and an OSDI body that the pledge form accepts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from campaign.apikeys import services
from campaign.extensions import db
from campaign.organisations.models import Organisation
from tests.factories import OrganisationFactory

API = "/api/osdi/v1"
HAL = "application/hal+json"
Issue = Callable[..., str]


@pytest.fixture
def organisation(app: Any) -> Organisation:
    org = OrganisationFactory(name="Red Migrante Norte")
    db.session.commit()
    return org


@pytest.fixture
def issue(app: Any) -> Issue:
    """Issue a key (default: read and write) for an organisation; the key itself."""

    def make(organisation: Organisation, scopes: tuple[str, ...] = ("read", "write")) -> str:
        _row, key = services.issue_key(
            organisation=organisation, name="Action Network", scopes=list(scopes), actor=None
        )
        db.session.commit()
        return key

    return make


@pytest.fixture
def key(organisation: Organisation, issue: Issue) -> str:
    return issue(organisation)


def auth(key: str) -> dict[str, str]:
    return {"OSDI-API-Token": key}


def person(
    email: str = "lucia.ramirez@example.org", country: str = "MX", **changes: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "person": {
            "given_name": "Lucía",
            "family_name": "Ramírez",
            "email_addresses": [{"address": email}],
            "postal_addresses": [{"country": country}],
        },
        "comments": "Por mi hermana, que trabaja en Texas.",
    }
    body.update(changes)
    return body


def organisation_body(email: str = "contact@sinfronteras.example.org") -> dict[str, Any]:
    return {
        **person(email=email, country="MEX"),
        "comments": "We support ratification by every state.",
        "organisation": {
            "name": "Sin Fronteras IAP",
            "kind": "ngo",
            "website": "https://sinfronteras.example.org",
            "role": "Director",
        },
    }
