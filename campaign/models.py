"""Imports every feature's models, for Alembic and the shell; nothing else."""

from campaign.accounts.models import User
from campaign.apikeys.models import ApiKey
from campaign.audit.models import AuditEvent
from campaign.embed.models import EmbedOrigin
from campaign.endorsements import models as _endorsements  # noqa: F401  (officials)
from campaign.events import models as _events  # noqa: F401  (Migrants Day events)
from campaign.mail.models import BounceReport, OutboundEmail, Suppression
from campaign.materials import models as _materials  # noqa: F401  (the library)
from campaign.notifications.models import Subscription, subscription_states
from campaign.organisations.models import Organisation, Partnership, SteeringMembership
from campaign.outreach.models import OutreachTask, TaskUpdate
from campaign.pledges import import_models as _pledge_imports  # noqa: F401  (CSV imports)
from campaign.pledges.models import Pledge, PledgeCounter
from campaign.road import models as _road  # noqa: F401  (stages of the road to ratification)
from campaign.settings.models import Setting
from campaign.states.models import State, StatusChange
from campaign.sync import models as _sync  # noqa: F401  (treaty sync runs and proposals)
from campaign.webhooks import models as _webhooks  # noqa: F401  (endpoints, deliveries)

__all__ = [
    "ApiKey",
    "AuditEvent",
    "BounceReport",
    "EmbedOrigin",
    "Organisation",
    "OutboundEmail",
    "OutreachTask",
    "Partnership",
    "Pledge",
    "PledgeCounter",
    "Setting",
    "State",
    "StatusChange",
    "SteeringMembership",
    "Subscription",
    "Suppression",
    "TaskUpdate",
    "User",
    "subscription_states",
]
