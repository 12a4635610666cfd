"""The partners' portal: a partner sees and reports on its own organisation's work, nothing else."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from campaign.accounts.models import User
from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.outreach.models import OutreachTask
from tests.factories import (
    OrganisationFactory,
    OutreachTaskFactory,
    PartnershipFactory,
    TaskUpdateFactory,
    state,
)
from tests.outreach.helpers import post_form, reload, written
from tests.support.auth import log_in, make_user

# Everything of organisation B that must never reach a partner of organisation A.
SECRETS = (
    "Bravo Migrant Network",
    "Bravo secret lobbying plan",
    "Bravo private description",
    "Bravo confidential note",
    "bravo.partner@example.org",
    "Nepal",
)


@dataclass
class World:
    a: Organisation
    b: Organisation
    a_task: OutreachTask
    b_task: OutreachTask
    a_user: User
    b_user: User


@pytest.fixture
def world(app: Flask) -> World:
    a = OrganisationFactory(name="Alpha Workers Centre")
    b = OrganisationFactory(name="Bravo Migrant Network")
    PartnershipFactory(organisation=a, state=state("MEX"), role="lead")
    PartnershipFactory(organisation=b, state=state("NPL"))
    a_task = OutreachTaskFactory(
        organisation=a,
        state=state("MEX"),
        title="Alpha letter to the Senate",
        description="Alpha description",
    )
    b_task = OutreachTaskFactory(
        organisation=b,
        state=state("NPL"),
        title="Bravo secret lobbying plan",
        description="Bravo private description",
    )
    db.session.commit()
    a_user = make_user("partner", "alpha.partner@example.org", organisation=a)
    b_user = make_user("partner", "bravo.partner@example.org", organisation=b)
    TaskUpdateFactory(task=b_task, author=b_user, text="Bravo confidential note")
    db.session.commit()
    return World(a, b, a_task, b_task, a_user, b_user)


@pytest.fixture
def alpha(client: FlaskClient, world: World) -> FlaskClient:
    log_in(client, world.a_user)
    return client


def _clean(response: TestResponse) -> str:
    page = response.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in page, secret
    return page


def test_index_shows_own_tasks_and_states_only(alpha: FlaskClient, world: World) -> None:
    page = _clean(alpha.get("/partner/"))
    assert "Alpha Workers Centre" in page and "Alpha letter to the Senate" in page
    assert "Mexico" in page and "(you lead)" in page
    for query in (
        "?status=open",
        "?state=NPL",
        f"?organisation={world.b.id}",
        "?page=2",
        "?overdue=1&week=1",
    ):
        _clean(alpha.get(f"/partner/{query}"))


def test_own_task_page_and_thread(alpha: FlaskClient, world: World) -> None:
    page = _clean(alpha.get(f"/partner/tasks/{world.a_task.id}"))
    assert "Alpha letter to the Senate" in page and "Alpha description" in page


@pytest.mark.parametrize("path", ["/partner/tasks/{b}", "/partner/tasks/999999"])
def test_another_organisations_task_is_404(alpha: FlaskClient, world: World, path: str) -> None:
    response = alpha.get(path.format(b=world.b_task.id))
    assert response.status_code == 404
    _clean(response)


def test_cannot_change_another_organisations_task(alpha: FlaskClient, world: World) -> None:
    own = f"/partner/tasks/{world.a_task.id}"
    before = written()
    response = post_form(
        alpha,
        f"/partner/tasks/{world.b_task.id}/updates",
        {"text": "Hijack", "new_status": "cancelled", "outcome": "Taken over"},
        own,
    )
    assert response.status_code == 404
    _clean(response)
    assert written() == before
    b_task = reload(world.b_task.id)
    assert (b_task.status, b_task.outcome) == ("open", "")


def test_partner_reports_progress_on_own_task(alpha: FlaskClient, world: World) -> None:
    path = f"/partner/tasks/{world.a_task.id}"
    data = {"text": "Met the Senate committee.", "new_status": "done", "outcome": "Hearing set"}
    response = post_form(alpha, f"{path}/updates", data, path)
    assert response.status_code == 302
    task = reload(world.a_task.id)
    assert (task.status, task.outcome) == ("done", "Hearing set")
    assert task.completed_at is not None
    [update] = task.updates
    assert update.author_id == world.a_user.id and update.new_status == "done"
    event = db.session.scalars(
        select(AuditEvent).filter_by(action="outreach_task.update_added")
    ).one()
    assert event.actor_label == "alpha.partner@example.org" and event.entity_id == task.id
    _clean(alpha.get(path))


def test_partner_can_neither_cancel_nor_reopen(alpha: FlaskClient, world: World) -> None:
    path = f"/partner/tasks/{world.a_task.id}"
    assert 'value="cancelled"' not in alpha.get(path).get_data(as_text=True)
    before = written()
    refused = post_form(alpha, f"{path}/updates", {"new_status": "cancelled"}, path)
    assert refused.status_code == 400 and written() == before
    assert reload(world.a_task.id).status == "open"
    world.a_task.status = "cancelled"
    db.session.commit()
    reopen = post_form(alpha, f"{path}/updates", {"text": "Back on", "new_status": "open"}, path)
    assert reopen.status_code == 400 and written() == before
    assert reload(world.a_task.id).status == "cancelled"
    note = post_form(alpha, f"{path}/updates", {"text": "We will try next year."}, path)
    assert note.status_code == 302  # a note on a cancelled task is still welcome


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "Write an update"),
        ({"new_status": "archived"}, "Not a valid choice"),
        ({"text": "T" * 5001}, "longer than 5000"),
        ({"text": "Report\u202e"}, "direction-control"),
    ],
)
def test_bad_progress_reports_write_nothing(
    alpha: FlaskClient, world: World, values: dict[str, str], message: str
) -> None:
    path = f"/partner/tasks/{world.a_task.id}"
    before = written()
    data = {"text": "", "new_status": "", "outcome": "", **values}
    response = post_form(alpha, f"{path}/updates", data, path)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    _clean(response)
    assert written() == before


def test_missing_csrf_writes_nothing(alpha: FlaskClient, world: World) -> None:
    before = written()
    response = alpha.post(f"/partner/tasks/{world.a_task.id}/updates", data={"text": "Hello"})
    assert response.status_code == 400
    assert written() == before


def test_a_reassigned_task_hides_the_previous_partner(alpha: FlaskClient, world: World) -> None:
    """A task moved from B to A keeps its thread, but B's user is not named to A."""
    world.b_task.organisation = world.a
    world.b_task.title = "Reassigned letter"
    world.b_task.description = ""
    world.b_task.state = state("MEX")
    db.session.commit()
    page = alpha.get(f"/partner/tasks/{world.b_task.id}").get_data(as_text=True)
    assert "A previously assigned partner" in page
    assert "bravo.partner@example.org" not in page


@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("coordinator", 403)])
def test_only_partners_use_the_portal(
    client: FlaskClient, world: World, role: str | None, expected: int
) -> None:
    if role:
        log_in(client, make_user(role))
    assert client.get("/partner/").status_code == expected
    assert client.get(f"/partner/tasks/{world.a_task.id}").status_code == expected


def test_partner_cannot_reach_the_back_office(alpha: FlaskClient, world: World) -> None:
    for path in (
        "/admin/",
        "/admin/outreach",
        f"/admin/outreach/{world.b_task.id}",
        "/admin/outreach/export.csv",
        "/admin/outreach/board",
    ):
        response = alpha.get(path)
        assert response.status_code == 403, path
        _clean(response)
