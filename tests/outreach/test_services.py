"""Outreach services: create, edit, the thread of updates, and bulk creation for many states."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from campaign.accounts.models import User
from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.outreach import services
from campaign.outreach.models import OutreachTask, TaskUpdate
from tests.factories import (
    OrganisationFactory,
    OutreachTaskFactory,
    PartnershipFactory,
    state,
)
from tests.support.auth import make_user
from tests.support.rows import count

MIGRANTS_DAY = dt.date(2026, 12, 18)


@pytest.fixture
def coordinator(app: Flask) -> User:
    return make_user("coordinator")


def _data(**changes: object) -> services.TaskData:
    values: dict[str, object] = {
        "state": state("BRA"),
        "organisation": OrganisationFactory(),
        "kind": "letter",
        "title": "Letter to the Minister of Labour",
        "description": "Ask for a date.",
        "due_on": MIGRANTS_DAY,
        **changes,
    }
    return services.TaskData(**values)  # type: ignore[arg-type]


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action)))


def test_create_task_is_open_and_audited(coordinator: User) -> None:
    task = services.create_outreach_task(data=_data(), actor=coordinator)
    assert (task.status, task.state.iso3, task.created_by) == ("open", "BRA", coordinator)
    assert task.completed_at is None and task.updates == []
    [event] = _events("outreach_task.created")
    assert event.entity_id == task.id and event.before is None
    assert event.after is not None and event.after["title"] == "Letter to the Minister of Labour"


@pytest.mark.parametrize("due_on", [MIGRANTS_DAY, None])
def test_the_same_task_twice_is_refused(coordinator: User, due_on: dt.date | None) -> None:
    data = _data(due_on=due_on)
    services.create_outreach_task(data=data, actor=coordinator)
    with pytest.raises(services.DuplicateTask, match="already has this task"):
        services.create_outreach_task(data=data, actor=coordinator)
    assert count(OutreachTask) == 1 and len(_events("outreach_task.created")) == 1


@pytest.mark.parametrize("due_on", [MIGRANTS_DAY, None])
def test_the_database_refuses_the_same_task_twice(app: Flask, due_on: dt.date | None) -> None:
    organisation = OrganisationFactory()
    for _ in range(2):
        db.session.add(
            OutreachTask(
                state=state("BRA"),
                organisation=organisation,
                kind="media",
                title="Op-ed",
                due_on=due_on,
            )
        )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_merged_organisation_gets_no_task(coordinator: User) -> None:
    keep = OrganisationFactory()
    gone = OrganisationFactory(merged_into_id=keep.id)
    with pytest.raises(services.OutreachError, match="merged"):
        services.create_outreach_task(data=_data(organisation=gone), actor=coordinator)


def test_update_changes_fields_audits_and_threads_a_status_change(coordinator: User) -> None:
    task = services.create_outreach_task(data=_data(), actor=coordinator)
    changed = services.update_outreach_task(
        task=task,
        data=_data(organisation=task.organisation, title="Letter to the Prime Minister"),
        status="in_progress",
        outcome="",
        actor=coordinator,
    )
    assert changed and (task.title, task.status) == ("Letter to the Prime Minister", "in_progress")
    assert [(u.new_status, u.text) for u in task.updates] == [("in_progress", "")]
    [event] = _events("outreach_task.updated")
    assert event.before is not None and event.after is not None
    assert (event.before["title"], event.after["title"]) == (
        "Letter to the Minister of Labour",
        "Letter to the Prime Minister",
    )
    unchanged = services.update_outreach_task(
        task=task,
        data=_data(organisation=task.organisation, title="Letter to the Prime Minister"),
        status="in_progress",
        outcome="",
        actor=coordinator,
    )
    assert not unchanged and len(_events("outreach_task.updated")) == 1


def test_update_onto_another_task_is_refused(coordinator: User) -> None:
    first = services.create_outreach_task(data=_data(), actor=coordinator)
    second = services.create_outreach_task(
        data=_data(organisation=first.organisation, title="Second letter"), actor=coordinator
    )
    with pytest.raises(services.DuplicateTask):
        services.update_outreach_task(
            task=second,
            data=_data(organisation=first.organisation),
            status="open",
            outcome="",
            actor=coordinator,
        )


def test_thread_in_order_and_done_sets_completed_at(coordinator: User) -> None:
    task = services.create_outreach_task(data=_data(), actor=coordinator)
    partner = make_user("partner", "partner@example.org", organisation=task.organisation)
    moment = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    services.add_task_update(task=task, author=partner, text="Letter drafted.")
    with time_machine.travel(moment, tick=False):
        done = services.add_task_update(
            task=task,
            author=partner,
            text="Sent and acknowledged.",
            new_status="done",
            outcome="The ministry will reply by January.",
        )
    assert done is not None and done.new_status == "done"
    assert task.status == "done" and task.completed_at == moment
    assert task.outcome == "The ministry will reply by January."
    assert [u.text for u in task.updates] == ["Letter drafted.", "Sent and acknowledged."]
    services.add_task_update(task=task, author=coordinator, text="", new_status="in_progress")
    assert task.completed_at is None
    events = _events("outreach_task.update_added")
    assert [e.actor_label for e in events] == [
        "partner@example.org",
        "partner@example.org",
        "coordinator@example.org",
    ]
    assert events[1].before is not None and events[1].before["status"] == "open"
    assert events[1].after is not None and events[1].after["status"] == "done"
    assert events[1].after["text"] == "Sent and acknowledged." and events[1].after["update_id"]


def test_update_that_changes_nothing_or_repeats_is_refused(coordinator: User) -> None:
    task = services.create_outreach_task(data=_data(), actor=coordinator)
    with pytest.raises(services.OutreachError, match="Write an update"):
        services.add_task_update(task=task, author=coordinator, text="", new_status="open")
    services.add_task_update(task=task, author=coordinator, text="Called the ministry.")
    with pytest.raises(services.OutreachError, match="already in the thread"):
        services.add_task_update(task=task, author=coordinator, text="Called the ministry.")
    assert count(TaskUpdate) == 1


def test_outcome_alone_changes_the_task_without_a_thread_entry(coordinator: User) -> None:
    task = services.create_outreach_task(data=_data(), actor=coordinator)
    entry = services.add_task_update(task=task, author=coordinator, text="", outcome="Met.")
    assert entry is None and task.outcome == "Met." and task.updates == []
    assert len(_events("outreach_task.update_added")) == 1


def test_bulk_makes_one_task_per_partner_per_state_and_is_safe_to_repeat(
    coordinator: User,
) -> None:
    mexico, philippines, brazil = state("MEX"), state("PHL"), state("BRA")
    one, two = OrganisationFactory(), OrganisationFactory()
    PartnershipFactory(organisation=one, state=mexico)
    PartnershipFactory(organisation=two, state=mexico, role="lead")
    PartnershipFactory(organisation=one, state=philippines)
    merged = OrganisationFactory(merged_into_id=one.id)
    PartnershipFactory(organisation=merged, state=philippines)
    arguments = {
        "states": [mexico, philippines, brazil],
        "kind": "migrants_day",
        "title": "International Migrants Day event",
        "due_on": MIGRANTS_DAY,
        "actor": coordinator,
    }
    result = services.bulk_create_tasks(**arguments)  # type: ignore[arg-type]
    made = sorted((t.state.iso3, t.organisation.name) for t in result.created)
    assert made == sorted([("MEX", one.name), ("MEX", two.name), ("PHL", one.name)])
    assert result.existing == 0 and result.without_partners == [brazil]
    assert len(_events("outreach_task.created")) == 3

    again = services.bulk_create_tasks(**arguments)  # type: ignore[arg-type]
    assert (again.created, again.existing) == ([], 3)
    assert count(OutreachTask) == 3
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutreachTask).filter_by(state_id=brazil.id)
        )
        == 0
    )


def test_bulk_refuses_an_unknown_kind(coordinator: User) -> None:
    with pytest.raises(services.OutreachError, match="Unknown kind"):
        services.bulk_create_tasks(
            states=[state("MEX")], kind="petition", title="x", actor=coordinator
        )


def test_factory_task_is_valid(app: Flask) -> None:
    task = OutreachTaskFactory(due_on=MIGRANTS_DAY)
    assert task.id and task.status == "open"
    assert task.is_overdue(MIGRANTS_DAY + dt.timedelta(days=1))
    assert not task.is_overdue(MIGRANTS_DAY)


def test_merging_organisations_keeps_both_copies_of_a_task(coordinator: User) -> None:
    keep = OrganisationFactory(name="Kept network")
    duplicate = OrganisationFactory(name="Kept network (old entry)")
    OutreachTaskFactory(organisation=keep, title="Same letter", state=state("MEX"))
    OutreachTaskFactory(organisation=duplicate, title="Same letter", state=state("MEX"))
    OutreachTaskFactory(organisation=duplicate, title="Only theirs", state=state("MEX"))
    moved = services.move_tasks_on_merge(duplicate=duplicate, keep=keep, actor=coordinator)
    assert moved == 2
    titles = db.session.scalars(
        select(OutreachTask.title).filter_by(organisation_id=keep.id).order_by(OutreachTask.title)
    ).all()
    assert titles == [
        "Only theirs",
        "Same letter",
        f"Same letter (from merged organisation {duplicate.id})",
    ]
    assert len(_events("outreach_task.updated")) == 2
