"""Factories for the origins allowed to frame an organisation's embeds."""

from __future__ import annotations

import factory

from campaign.embed.models import EmbedOrigin
from tests.factories.base import Factory
from tests.factories.organisations import OrganisationFactory


class EmbedOriginFactory(Factory):
    class Meta:
        model = EmbedOrigin

    organisation = factory.SubFactory(OrganisationFactory)
    origin = factory.Sequence(lambda n: f"https://partner{n}.example")
