"""A small world of every kind of record, with a user of each role, for tests that visit
every route (authorisation, HTML validity, fuzzing)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.mail.services import queue_email
from campaign.materials.storage import storage
from campaign.notifications.models import Digest
from campaign.organisations.models import Organisation
from campaign.outreach.models import OutreachTask
from tests.factories import (
    ApiKeyFactory,
    EndorsementFactory,
    EventFactory,
    MaterialVersionFactory,
    OrganisationFactory,
    OutreachTaskFactory,
    PartnershipFactory,
    PledgeImportFactory,
    RoadStageFactory,
    StageChangeFactory,
    TaskUpdateFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
    state,
)
from tests.materials.samples import pdf
from tests.pledges.helpers import signed
from tests.support.auth import make_user
from tests.sync.support import SIXTY, retire_zimbabwe, sync_bytes


@dataclass
class World:
    a: Organisation
    b: Organisation
    a_task: OutreachTask
    users: dict[str, User]
    values: dict[str, object]
    # Where one name means different things in different rules (`change_id` is a status
    # change under /admin/states and a stage change under /admin/road): rule -> name -> value.
    by_rule: dict[str, dict[str, object]]

    def values_for(self, rule: str) -> dict[str, object]:
        return {**self.values, **self.by_rule.get(rule, {})}


def build_world() -> World:
    """Two partner organisations (A on Mexico, B on Nepal) with a task each, a user of every
    role, an organisational pledge, a sync run with proposals, a queued mail, a paused digest,
    partner B's webhook with a delivery and API key, an unconfirmed endorsement, an added road
    stage and partner A's proposed change of stage, an event, a material with its file, an
    uploaded pledge import; `values` fills every path parameter of the back office and the
    portal with a real id (`by_rule` where a name means another record in another rule)."""
    a = OrganisationFactory(name="Alpha Workers Centre")
    b = OrganisationFactory(name="Bravo Migrant Network")
    PartnershipFactory(organisation=a, state=state("MEX"), role="lead")
    PartnershipFactory(organisation=b, state=state("NPL"))
    a_task = OutreachTaskFactory(organisation=a, state=state("MEX"), title="Alpha letter")
    b_task = OutreachTaskFactory(
        organisation=b, state=state("NPL"), title="Bravo secret lobbying plan"
    )
    db.session.commit()
    users = {
        "partner_a": make_user("partner", "alpha.partner@example.org", organisation=a),
        "partner_b": make_user("partner", "bravo.partner@example.org", organisation=b),
        "coordinator": make_user("coordinator", "coordinator@example.org"),
        "admin": make_user("admin", "admin@example.org"),
    }
    TaskUpdateFactory(task=b_task, author=users["partner_b"], text="Bravo confidential note")
    pledge = signed("organisation", email="contact@kafaa.example.org")
    retire_zimbabwe()
    run = sync_bytes(SIXTY).run
    message = queue_email(key="authz-test", to="someone@example.org", subject="Hi", text="Hi")
    today = dt.date.today()
    digest = Digest(
        kind="weekly",
        starts_on=today,
        since_on=today - dt.timedelta(days=7),
        paused_at=dt.datetime.now(dt.UTC),
        pause_reason="Too many failures",
    )
    db.session.add(digest)
    db.session.commit()
    assert message is not None
    mex = state("MEX")
    features = _features(a, b, users)
    road_change = {"change_id": features.pop("road_change_id")}
    values: dict[str, object] = {
        "iso3": "MEX",
        "change_id": mex.changes[0].id,
        "organisation_id": a.id,
        "name": "states",
        "pledge_id": pledge.id,
        "key": "pledge_limit_burst",
        "task_id": a_task.id,
        "message_id": message.id,
        "digest_id": digest.id,
        "user_id": users["partner_a"].id,
        "run_id": run.id,
        "proposal_id": run.proposals[0].id,
        **features,
    }
    by_rule = {
        "/admin/road/changes/<int:change_id>/confirm": road_change,
        "/admin/road/changes/<int:change_id>/reject": road_change,
    }
    return World(a, b, a_task, users, values, by_rule)


def _features(a: Organisation, b: Organisation, users: dict[str, User]) -> dict[str, object]:
    """A record of each of the later features, committed; the ids that fill their paths."""
    hook = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(organisation=b))
    key = ApiKeyFactory(organisation=b, name="Bravo secret lobbying plan sync")
    endorsement = EndorsementFactory()
    stage = RoadStageFactory()
    proposal = StageChangeFactory(
        status="proposed",
        recorded_via="portal",
        proposed_by=users["partner_a"],
        organisation=a,
        decided_by=None,
        decided_at=None,
    )
    event = EventFactory(organisations=[a])
    document = pdf()
    version = MaterialVersionFactory(
        size_bytes=len(document), sha256=hashlib.sha256(document).hexdigest()
    )
    storage().save(version.storage_key, document, version.content_type)
    upload = PledgeImportFactory(created_by=users["coordinator"])
    db.session.commit()
    return {
        "endpoint_id": hook.endpoint_id,
        "delivery_id": hook.id,
        "key_id": key.id,
        "endorsement_id": endorsement.id,
        "stage_id": stage.id,
        "road_change_id": proposal.id,
        "event_id": event.id,
        "material_id": version.material_id,
        "version_id": version.id,
        "import_id": upload.id,
    }
