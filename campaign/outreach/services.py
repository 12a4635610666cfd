"""Creating, editing and reporting on outreach tasks, one by one or in bulk. No commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.db import utcnow
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.outreach.models import (
    CANCELLED,
    TASK_KINDS,
    TASK_STATUSES,
    OutreachTask,
    TaskUpdate,
)
from campaign.outreach.queries import partners_of
from campaign.states.models import State


class OutreachError(DomainError):
    """The task or update is not acceptable."""


class DuplicateTask(OutreachError):
    """The same task (state, organisation, kind, title, due date) exists already."""


@dataclass(frozen=True)
class TaskData:
    """What a coordinator says a task is."""

    state: State
    organisation: Organisation
    kind: str
    title: str
    description: str = ""
    due_on: dt.date | None = None


@dataclass
class BulkResult:
    """What a bulk create did: tasks made, tasks that existed, states with no partner."""

    created: list[OutreachTask] = field(default_factory=list)
    existing: int = 0
    without_partners: list[State] = field(default_factory=list)


def snapshot(task: OutreachTask) -> dict[str, object]:
    return {
        "state": task.state.iso3,
        "organisation_id": task.organisation_id,
        "kind": task.kind,
        "title": task.title,
        "description": task.description,
        "due_on": task.due_on,
        "status": task.status,
        "outcome": task.outcome,
    }


def _same_due(due_on: dt.date | None) -> ColumnElement[bool]:
    if due_on is None:
        return OutreachTask.due_on.is_(None)
    return OutreachTask.due_on == due_on


def find_same_task(
    *, state_id: int, organisation_id: int, kind: str, title: str, due_on: dt.date | None
) -> OutreachTask | None:
    """The task with this key, if any (the key the database keeps unique)."""
    return db.session.scalars(
        select(OutreachTask).where(
            OutreachTask.state_id == state_id,
            OutreachTask.organisation_id == organisation_id,
            OutreachTask.kind == kind,
            OutreachTask.title == title,
            _same_due(due_on),
        )
    ).first()


def _check(data: TaskData) -> None:
    if data.kind not in TASK_KINDS:
        raise OutreachError(_("Unknown kind of task %(kind)s.", kind=repr(data.kind)))
    if data.organisation.merged_into_id is not None:
        raise OutreachError(
            _("%(name)s was merged into another organisation.", name=data.organisation.name)
        )


def _check_unique(data: TaskData, task: OutreachTask | None = None) -> None:
    same = find_same_task(
        state_id=data.state.id,
        organisation_id=data.organisation.id,
        kind=data.kind,
        title=data.title,
        due_on=data.due_on,
    )
    if same is not None and same is not task:
        raise DuplicateTask(
            _(
                "%(organisation)s already has this task for %(state)s (task %(task)s).",
                organisation=data.organisation.name,
                state=data.state.name,
                task=same.id,
            )
        )


def _flush_unique(task: OutreachTask) -> None:
    """Add and flush in a savepoint: a task a concurrent request just saved is a domain error."""
    try:
        with db.session.begin_nested():
            db.session.add(task)
            db.session.flush()
    except IntegrityError as error:
        message = _("The same task was saved a moment ago: nothing was added.")
        raise DuplicateTask(message) from error


def _audit(
    actor: User, action: str, task: OutreachTask, before: dict[str, object] | None, **extra: object
) -> None:
    record_event(
        actor=actor,
        action=action,
        entity_type="outreach_task",
        entity_id=task.id,
        before=before,
        after={**snapshot(task), **extra},
    )


def create_outreach_task(*, data: TaskData, actor: User) -> OutreachTask:
    """Add a task for a state, assigned to an organisation; refuse a duplicate."""
    _check(data)
    _check_unique(data)
    task = OutreachTask(
        state=data.state,
        organisation=data.organisation,
        kind=data.kind,
        title=data.title,
        description=data.description,
        due_on=data.due_on,
        status="open",
        outcome="",
        created_by=actor,
    )
    _flush_unique(task)
    _audit(actor, "outreach_task.created", task, None)
    return task


def _move(task: OutreachTask, status: str) -> None:
    """Set the status; done stamps completed_at, leaving done clears it."""
    if status not in TASK_STATUSES:
        raise OutreachError(_("Unknown status %(status)s.", status=repr(status)))
    if status == "done" and task.status != "done":
        task.completed_at = utcnow()
    elif status != "done":
        task.completed_at = None
    task.status = status


def update_outreach_task(
    *, task: OutreachTask, data: TaskData, status: str, outcome: str, actor: User
) -> bool:
    """Change a task's fields; a status change also enters the thread. False if unchanged."""
    _check(data)
    _check_unique(data, task)
    before = snapshot(task)
    old_status = task.status
    task.state, task.organisation = data.state, data.organisation
    task.kind, task.title, task.description = data.kind, data.title, data.description
    task.due_on, task.outcome = data.due_on, outcome
    _move(task, status)
    if snapshot(task) == before:
        return False
    if status != old_status:
        task.updates.append(TaskUpdate(author=actor, text="", new_status=status))
    task.updated_at = utcnow()
    _flush_unique(task)
    _audit(actor, "outreach_task.updated", task, before)
    return True


def _is_repeat(task: OutreachTask, author: User, text: str) -> bool:
    last = task.updates[-1] if task.updates else None
    return bool(text) and last is not None and last.author_id == author.id and last.text == text


def add_task_update(
    *,
    task: OutreachTask,
    author: User,
    text: str,
    new_status: str | None = None,
    outcome: str | None = None,
) -> TaskUpdate | None:
    """Add to the thread: text and a status change, and set the outcome when given.

    Moving to done stamps completed_at. Returns the thread entry (None when only the outcome
    changed); refuses an update that changes nothing or repeats the author's last one.
    """
    if new_status == task.status:
        new_status = None
    if outcome == task.outcome:
        outcome = None
    if not text and new_status is None and outcome is None:
        raise OutreachError(_("Write an update, or change the status or the outcome."))
    cancelling = new_status is not None and CANCELLED in (new_status, task.status)
    if author.role == "partner" and cancelling:
        raise OutreachError(_("Only a coordinator can cancel a task or reopen a cancelled one."))
    if _is_repeat(task, author, text):
        raise OutreachError(_("This update is already in the thread."))
    before = snapshot(task)
    entry = None
    if text or new_status is not None:
        entry = TaskUpdate(author=author, text=text, new_status=new_status)
        task.updates.append(entry)
    if new_status is not None:
        _move(task, new_status)
    if outcome is not None:
        task.outcome = outcome
    task.updated_at = utcnow()
    db.session.flush()
    update_id = entry.id if entry else None
    _audit(author, "outreach_task.update_added", task, before, update_id=update_id, text=text)
    return entry


def bulk_create_tasks(
    *,
    states: list[State],
    kind: str,
    title: str,
    actor: User,
    description: str = "",
    due_on: dt.date | None = None,
) -> BulkResult:
    """One task for every partner organisation of each state; a task that exists is skipped.

    Safe to repeat: the second run finds every task and adds none.
    """
    if kind not in TASK_KINDS:
        raise OutreachError(_("Unknown kind of task %(kind)s.", kind=repr(kind)))
    result = BulkResult()
    partners = partners_of(states)
    for state in sorted(states, key=lambda state: state.name):
        if not partners[state.id]:
            result.without_partners.append(state)
        for organisation in partners[state.id]:
            data = TaskData(state, organisation, kind, title, description, due_on)
            try:
                result.created.append(create_outreach_task(data=data, actor=actor))
            except DuplicateTask:
                result.existing += 1
    return result


def move_tasks_on_merge(*, duplicate: Organisation, keep: Organisation, actor: User) -> int:
    """Move the duplicate organisation's tasks to *keep*; the number moved.

    A task that *keep* already has under the same key keeps its data and thread, and gets a
    note of the duplicate's id added to its title, so the unique key holds and nothing is lost.
    """
    tasks = db.session.scalars(select(OutreachTask).filter_by(organisation_id=duplicate.id))
    moved = 0
    for task in list(tasks):
        before = snapshot(task)
        same = find_same_task(
            state_id=task.state_id,
            organisation_id=keep.id,
            kind=task.kind,
            title=task.title,
            due_on=task.due_on,
        )
        if same is not None:
            suffix = f" (from merged organisation {duplicate.id})"
            task.title = task.title[: 200 - len(suffix)] + suffix
        task.organisation = keep
        db.session.flush()
        _audit(actor, "outreach_task.updated", task, before, merged_from=duplicate.id)
        moved += 1
    return moved
