"""The national partners' portal, under /partner/: their own organisation's tasks and states,
nothing else."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.db import utcnow
from campaign.events.queries import event_for_task
from campaign.outreach import queries
from campaign.outreach.forms import TaskUpdateForm
from campaign.outreach.models import CANCELLED, STATUS_LABELS, OutreachTask
from campaign.outreach.queries import TaskFilters
from campaign.outreach.views import save_task_update
from campaign.road import queries as road_queries

bp = Blueprint("partner", __name__, url_prefix="/partner")


def _organisation_id() -> int:
    organisation_id: int | None = current_user.organisation_id
    if organisation_id is None:  # the database forbids it; refuse rather than show everything
        abort(403)
    return organisation_id


def _own_task(task_id: int) -> OutreachTask:
    """The task if it belongs to the user's organisation; 404 otherwise, so nothing leaks."""
    task = queries.task_for_organisation(task_id, _organisation_id())
    if task is None:
        abort(404)
    return task


@bp.get("/")
@role_required("partner")
def index() -> str:
    organisation_id = _organisation_id()
    filters = dataclasses.replace(
        TaskFilters.from_args(request.args), organisation_id=organisation_id
    )
    today = utcnow().date()
    return render_template(
        "partner/index.html",
        organisation=current_user.organisation,
        states=queries.states_of_organisation(organisation_id),
        stages={sid: change.stage for sid, change in road_queries.current_changes().items()},
        page=queries.list_tasks(filters, today),
        filters=dataclasses.replace(filters, organisation_id=None),
        statuses=STATUS_LABELS,
        today=today,
    )


def _partner_choices(form: TaskUpdateForm) -> TaskUpdateForm:
    """Partners report progress; cancelling (or reopening) a task is a coordinator's call."""
    form.new_status.choices = [
        choice for choice in form.new_status.choices or [] if choice[0] != CANCELLED
    ]
    return form


def _render_task(
    task: OutreachTask, form: TaskUpdateForm | None = None, code: int = 200
) -> tuple[str, int]:
    if form is None:
        form = TaskUpdateForm(formdata=None, outcome=task.outcome)
    _partner_choices(form)
    updates = task.updates
    authors = {update.id: update.author_label(task.organisation_id) for update in updates}
    return render_template(
        "partner/task.html",
        task=task,
        updates=updates,
        authors=authors,
        form=form,
        today=utcnow().date(),
        task_event=event_for_task(task.id),
    ), code


@bp.get("/tasks/<int:task_id>")
@role_required("partner")
def task(task_id: int) -> tuple[str, int]:
    return _render_task(_own_task(task_id))


@bp.post("/tasks/<int:task_id>/updates")
@role_required("partner")
def task_update(task_id: int) -> Response | tuple[str, int]:
    task = _own_task(task_id)
    form = _partner_choices(TaskUpdateForm())
    if not save_task_update(form, task=task, author=current_user):
        return _render_task(_own_task(task_id), form, 400)
    flash(_("Update added."))
    return redirect(url_for("partner.task", task_id=task_id))


from campaign.road import portal as _road_portal  # noqa: E402,F401  (/partner/road, on this blueprint)
