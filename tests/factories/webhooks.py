"""Factories for webhook endpoints, their deliveries and the deliveries' attempts."""

from __future__ import annotations

import factory

from campaign.webhooks import signing
from campaign.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.factories.base import Factory
from tests.factories.organisations import OrganisationFactory


class WebhookEndpointFactory(Factory):
    class Meta:
        model = WebhookEndpoint

    organisation = factory.SubFactory(OrganisationFactory)
    url = factory.Sequence(lambda n: f"https://hooks.example.org/campaign/{n}")
    events = factory.LazyFunction(lambda: ["status.changed", "pledge.confirmed"])
    secret_salt = factory.LazyFunction(signing.new_salt)


class WebhookDeliveryFactory(Factory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    event = "status.changed"
    event_key = factory.Sequence(str)
    event_id = factory.Sequence(lambda n: f"00000000-0000-4000-8000-{n:012d}")
    body = '{"event":"status.changed"}'
    attempt_limit = 3


class WebhookAttemptFactory(Factory):
    class Meta:
        model = WebhookAttempt

    delivery = factory.SubFactory(WebhookDeliveryFactory, attempts=1)
    number = 1
    status_code = 500
    error = "HTTP 500 INTERNAL SERVER ERROR"
