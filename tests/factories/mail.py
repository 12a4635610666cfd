"""Outbox and bounce factories: a queued message unique by its idempotency key, a bounce report
unique by its report key, and an address on the suppression list."""

from __future__ import annotations

import factory

from campaign.core.addresses import matching_key
from campaign.db import utcnow
from campaign.mail.models import BounceReport, OutboundEmail, Suppression
from tests.factories.base import Factory


class OutboundEmailFactory(Factory):
    class Meta:
        model = OutboundEmail

    idempotency_key = factory.Sequence(lambda n: f"test-mail:{n}")
    to_address = factory.Sequence(lambda n: f"recipient{n}@example.org")
    subject = "Ratify the Migrant Workers Convention"
    body_text = "Thank you for supporting the campaign."
    headers = factory.LazyFunction(dict)
    status = "queued"


class BounceReportFactory(Factory):
    """A hard bounce reported by mail; the row only (the suppression list is not updated:
    suppression.record_bounce_report does that)."""

    class Meta:
        model = BounceReport

    report_key = factory.Sequence(lambda n: f"dsn:<report-{n}@mx.example.net>")
    address = factory.Sequence(lambda n: f"bounced{n}@example.org")
    address_key = factory.LazyAttribute(lambda o: matching_key(o.address))
    kind = "hard"
    source = "dsn"
    detail = "5.1.1: smtp; 550 5.1.1 no such user"


class SuppressionFactory(Factory):
    """An address on the suppression list since now (`suppressed_at=None`: counted, not yet)."""

    class Meta:
        model = Suppression

    address = factory.Sequence(lambda n: f"suppressed{n}@example.org")
    address_key = factory.LazyAttribute(lambda o: matching_key(o.address))
    suppressed_at = factory.LazyFunction(utcnow)
    reason = "hard bounce reported by mail"
