"""A small world of every kind of record, with a user of each role, for tests that visit
every route (authorisation, HTML validity, fuzzing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.mail.services import queue_email
from campaign.notifications.models import Digest
from campaign.organisations.models import Organisation
from campaign.outreach.models import OutreachTask
from tests.factories import (
    OrganisationFactory,
    OutreachTaskFactory,
    PartnershipFactory,
    TaskUpdateFactory,
    state,
)
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


def build_world() -> World:
    """Two partner organisations (A on Mexico, B on Nepal) with a task each, a user of every
    role, an organisational pledge, a sync run with proposals, a queued mail, a paused digest;
    `values` fills every path parameter of the back office and the portal with a real id."""
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
    }
    return World(a, b, a_task, users, values)
