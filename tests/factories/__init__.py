"""factory-boy factories, one per model; FACTORIES lists them all (a test checks it is whole)."""

from __future__ import annotations

from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.apikeys import ApiKeyFactory
from tests.factories.audit import AuditEventFactory
from tests.factories.base import Factory, state
from tests.factories.embed import EmbedOriginFactory
from tests.factories.endorsements import EndorsementFactory
from tests.factories.events import EventFactory
from tests.factories.mail import BounceReportFactory, OutboundEmailFactory, SuppressionFactory
from tests.factories.materials import MaterialFactory, MaterialVersionFactory
from tests.factories.notifications import (
    AlertRunFactory,
    DigestDeliveryFactory,
    DigestFactory,
    SubscriptionFactory,
)
from tests.factories.organisations import (
    OrganisationFactory,
    PartnershipFactory,
    SteeringMembershipFactory,
)
from tests.factories.outreach import OutreachTaskFactory, TaskUpdateFactory
from tests.factories.pledge_imports import (
    ImportedPledgeFactory,
    PledgeImportAddressFactory,
    PledgeImportFactory,
    PledgeImportNoteFactory,
)
from tests.factories.pledges import PledgeCounterFactory, PledgeFactory
from tests.factories.road import RoadStageFactory, StageChangeFactory
from tests.factories.settings import SettingFactory
from tests.factories.states import StateFactory, StatusChangeFactory
from tests.factories.sync import ProposedChangeFactory, SyncRunFactory
from tests.factories.webhooks import (
    WebhookAttemptFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)

FACTORIES: tuple[type[Factory], ...] = (
    AlertRunFactory,
    ApiKeyFactory,
    AuditEventFactory,
    BounceReportFactory,
    DigestDeliveryFactory,
    DigestFactory,
    EmbedOriginFactory,
    EndorsementFactory,
    EventFactory,
    ImportedPledgeFactory,
    MaterialFactory,
    MaterialVersionFactory,
    OrganisationFactory,
    OutboundEmailFactory,
    OutreachTaskFactory,
    PartnershipFactory,
    PledgeCounterFactory,
    PledgeFactory,
    PledgeImportAddressFactory,
    PledgeImportFactory,
    PledgeImportNoteFactory,
    ProposedChangeFactory,
    RoadStageFactory,
    SettingFactory,
    StageChangeFactory,
    StateFactory,
    StatusChangeFactory,
    SteeringMembershipFactory,
    SubscriptionFactory,
    SuppressionFactory,
    SyncRunFactory,
    TaskUpdateFactory,
    UserFactory,
    WebhookAttemptFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)

__all__ = [
    "FACTORIES",
    "PASSWORD",
    *(factory.__name__ for factory in FACTORIES),
    "state",
]
