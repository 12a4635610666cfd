"""Factories for events (approved by default: what the public pages list)."""

from __future__ import annotations

import datetime as dt

import factory

from campaign.events.models import Event
from tests.factories.base import Factory, seeded

FIRST = dt.datetime(2030, 12, 18, 15, 0, tzinfo=dt.UTC)


class EventFactory(Factory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Migrants Day panel {n}")
    kind = "panel"
    starts_at = factory.Sequence(lambda n: FIRST + dt.timedelta(hours=n))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + dt.timedelta(hours=2))
    timezone = "Africa/Dakar"
    city = "Dakar"
    state = seeded("SEN")
    language = "fr"
    description = ""
    contact = "events@example.org"
    review = "approved"
    review_reason = ""
    published_at = factory.LazyAttribute(lambda event: event.starts_at - dt.timedelta(days=30))
    created_via = "admin"
