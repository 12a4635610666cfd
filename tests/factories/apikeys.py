"""Factories for organisations' API keys (the row only: the key itself is not kept)."""

from __future__ import annotations

import secrets

import factory

from campaign.apikeys.models import ApiKey
from campaign.apikeys.services import KEY_START, hash_key
from tests.factories.base import Factory
from tests.factories.organisations import OrganisationFactory


class ApiKeyFactory(Factory):
    class Meta:
        model = ApiKey

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Action Network sync {n}")
    prefix = factory.LazyFunction(lambda: KEY_START + secrets.token_hex(4))
    key_hash = factory.LazyAttribute(lambda o: hash_key(f"{o.prefix}_{secrets.token_urlsafe(32)}"))
    scopes = "read write"
