"""Factories for subscriptions, digests with their send ledger, and alert fan-outs."""

from __future__ import annotations

import datetime as dt

import factory

from campaign.core.addresses import matching_key
from campaign.db import utcnow
from campaign.notifications.models import AlertRun, Digest, DigestDelivery, Subscription
from tests.factories.base import Factory, days_from
from tests.factories.mail import OutboundEmailFactory
from tests.factories.states import StatusChangeFactory


class SubscriptionFactory(Factory):
    """A confirmed subscription with the model's defaults (monthly, followed states' alerts);
    pass states=[...] for the states it follows."""

    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    email_canonical = factory.LazyAttribute(lambda o: matching_key(o.email))
    confirmed_at = factory.LazyFunction(utcnow)


class DigestFactory(Factory):
    """A weekly digest; each opens on its own Monday and covers the week before."""

    class Meta:
        model = Digest

    kind = "weekly"
    starts_on = days_from(dt.date(2026, 1, 5), step=7)
    since_on = factory.LazyAttribute(lambda o: o.starts_on - dt.timedelta(days=7))
    content = factory.LazyFunction(dict)


class DigestDeliveryFactory(Factory):
    """A ledger row, written with its outbox row to the subscriber, as the fan-out writes it."""

    class Meta:
        model = DigestDelivery

    class Params:
        subscription = factory.SubFactory(SubscriptionFactory)
        message = factory.SubFactory(
            OutboundEmailFactory, to_address=factory.SelfAttribute("..subscription.email")
        )

    digest = factory.SubFactory(DigestFactory)
    subscription_id = factory.SelfAttribute("subscription.id")
    message_id = factory.LazyAttribute(lambda o: o.message.id if o.message else None)


class AlertRunFactory(Factory):
    class Meta:
        model = AlertRun

    class Params:
        change = factory.SubFactory(StatusChangeFactory)

    change_id = factory.SelfAttribute("change.id")
    recipients = 0
