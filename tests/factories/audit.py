"""The audit event factory: a coordinator changing a setting, as set_setting records it."""

from __future__ import annotations

import factory

from campaign.audit.models import AuditEvent
from tests.factories.accounts import UserFactory
from tests.factories.base import Factory


class AuditEventFactory(Factory):
    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(UserFactory)
    actor_label = factory.LazyAttribute(lambda o: o.actor.email if o.actor else "system")
    action = "setting.changed"
    entity_type = "setting"
    entity_id = None
    before = factory.LazyFunction(lambda: {"key": "pledge_limit_burst", "value": "5 per minute"})
    after = factory.LazyFunction(lambda: {"key": "pledge_limit_burst", "value": "10 per minute"})
