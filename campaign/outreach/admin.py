"""Back office for outreach tasks: list, board, detail with its thread, create, edit, bulk, CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.core.csv import csv_response
from campaign.db import utcnow
from campaign.events.queries import event_for_task
from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.outreach import queries, services
from campaign.outreach.forms import (
    BulkTaskForm,
    TaskEditForm,
    TaskForm,
    TaskUpdateForm,
    with_choices,
)
from campaign.outreach.models import KIND_LABELS, STATUS_LABELS, OutreachTask
from campaign.outreach.queries import SORTS, TaskFilters
from campaign.outreach.views import save_task_update
from campaign.road.stages import all_stages
from campaign.states.queries import state_by_iso3, state_choices


def _today() -> dt.date:
    return utcnow().date()


def _task(task_id: int) -> OutreachTask:
    task = db.session.get(OutreachTask, task_id)
    if task is None:
        abort(404)
    return task


def _filter_context(filters: TaskFilters, endpoint: str) -> dict[str, Any]:
    """What the filter form and the sort and page links of a task list need."""
    sort_links = {
        key: url_for(
            endpoint,
            **filters.args(
                sort=key, descending=filters.sort == key and not filters.descending, page=1
            ),
        )
        for key in SORTS
    }
    return {
        "filters": filters,
        "today": _today(),
        "sort_links": sort_links,
        "state_options": state_choices(),
        "organisation_options": queries.organisation_choices(),
        "kinds": KIND_LABELS,
        "statuses": STATUS_LABELS,
        "stage_options": [(str(stage.id), stage) for stage in all_stages()],
    }


@bp.get("/outreach")
@role_required("coordinator")
def outreach_tasks() -> str:
    filters = TaskFilters.from_args(request.args)
    page = queries.list_tasks(filters, _today())
    return render_template(
        "admin/outreach/list.html", page=page, **_filter_context(filters, "admin.outreach_tasks")
    )


@bp.get("/outreach/board")
@role_required("coordinator")
def outreach_board() -> str:
    filters = TaskFilters.from_args(request.args)
    return render_template(
        "admin/outreach/board.html",
        columns=queries.board(filters, _today()),
        counts=queries.count_by_status(filters, _today()),
        **_filter_context(filters, "admin.outreach_board"),
    )


@bp.get("/outreach/export.csv")
@role_required("coordinator")
def outreach_export() -> Response:
    filters = TaskFilters.from_args(request.args)
    rows = queries.export_rows(filters, _today())
    return csv_response("outreach_tasks.csv", queries.EXPORT_HEADER, rows)


def _data(form: TaskForm) -> services.TaskData:
    state = state_by_iso3(form.state.data)
    organisation = db.session.get(Organisation, int(form.organisation.data))
    if state is None or organisation is None:
        abort(400)  # the form's choices were checked a moment ago
    return services.TaskData(
        state=state,
        organisation=organisation,
        kind=form.kind.data,
        title=form.title.data,
        description=form.description.data or "",
        due_on=form.due_on.data,
    )


def _render_form(form: TaskForm, task: OutreachTask | None) -> tuple[str, int]:
    code = 400 if form.is_submitted() else 200
    return render_template("admin/outreach/form.html", form=form, task=task), code


@bp.route("/outreach/new", methods=["GET", "POST"])
@role_required("coordinator")
def new_outreach_task() -> Response | tuple[str, int]:
    form = with_choices(TaskForm())
    if not form.is_submitted():
        form.state.data = request.args.get("state", "")
        form.organisation.data = request.args.get("organisation", "")
    if not form.validate_on_submit():
        return _render_form(form, None)
    try:
        task = services.create_outreach_task(data=_data(form), actor=current_user)
    except services.OutreachError as error:
        db.session.rollback()
        form.title.errors = [str(error)]
        return _render_form(form, None)
    db.session.commit()
    flash(_("Task created."))
    return redirect(url_for("admin.outreach_task", task_id=task.id))


@bp.route("/outreach/<int:task_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def edit_outreach_task(task_id: int) -> Response | tuple[str, int]:
    task = _task(task_id)
    form = with_choices(TaskEditForm(obj=task))
    form.keep_due_on = task.due_on
    if not form.is_submitted():
        form.state.data, form.organisation.data = task.state.iso3, str(task.organisation_id)
    if not form.validate_on_submit():
        return _render_form(form, task)
    try:
        changed = services.update_outreach_task(
            task=task,
            data=_data(form),
            status=form.status.data,
            outcome=form.outcome.data or "",
            actor=current_user,
        )
    except services.OutreachError as error:
        db.session.rollback()
        form.title.errors = [str(error)]
        return _render_form(form, _task(task_id))
    db.session.commit()
    flash(_("Saved.") if changed else _("Nothing changed."))
    return redirect(url_for("admin.outreach_task", task_id=task_id))


def _render_task(
    task: OutreachTask, form: TaskUpdateForm | None = None, code: int = 200
) -> tuple[str, int]:
    if form is None:
        form = TaskUpdateForm(formdata=None, outcome=task.outcome)
    updates = task.updates
    return render_template(
        "admin/outreach/task.html",
        task=task,
        updates=updates,
        authors={update.id: update.author_label() for update in updates},
        form=form,
        today=_today(),
        task_event=event_for_task(task.id),
    ), code


@bp.get("/outreach/<int:task_id>")
@role_required("coordinator")
def outreach_task(task_id: int) -> tuple[str, int]:
    return _render_task(_task(task_id))


@bp.post("/outreach/<int:task_id>/updates")
@role_required("coordinator")
def outreach_task_update(task_id: int) -> Response | tuple[str, int]:
    task = _task(task_id)
    form = TaskUpdateForm()
    if not save_task_update(form, task=task, author=current_user):
        return _render_task(_task(task_id), form, 400)
    flash(_("Update added."))
    return redirect(url_for("admin.outreach_task", task_id=task_id))


def _render_bulk(form: BulkTaskForm) -> tuple[str, int]:
    code = 400 if form.is_submitted() else 200
    priority = queries.priority_states()
    return render_template("admin/outreach/bulk.html", form=form, priority=priority), code


def _bulk_message(result: services.BulkResult) -> str:
    created, existing = len(result.created), result.existing
    parts = [ngettext("Created %(num)d task.", "Created %(num)d tasks.", created)]
    if existing:
        parts.append(
            ngettext(
                "%(num)d existed already and was kept.",
                "%(num)d existed already and were kept.",
                existing,
            )
        )
    if result.without_partners:
        names = ", ".join(state.name for state in result.without_partners)
        parts.append(_("No partner organisation works on: %(names)s.", names=names))
    return " ".join(parts)


@bp.route("/outreach/bulk", methods=["GET", "POST"])
@role_required("coordinator")
def bulk_outreach_tasks() -> Response | tuple[str, int]:
    form = with_choices(BulkTaskForm())
    if not form.validate_on_submit():
        return _render_bulk(form)
    states = queries.states_for_bulk(form.states.data or [], form.priority.data)
    result = services.bulk_create_tasks(
        states=states,
        kind=form.kind.data,
        title=form.title.data,
        description=form.description.data or "",
        due_on=form.due_on.data,
        actor=current_user,
    )
    if not result.created:
        db.session.rollback()
        form.states.errors = [
            " ".join((_bulk_message(result), _("Nothing was created.")))
            if states
            else _("There are no priority states yet: choose states from the list.")
        ]
        return _render_bulk(form)
    db.session.commit()
    flash(_bulk_message(result))
    return redirect(
        url_for("admin.outreach_tasks", kind=form.kind.data, sort="updated", dir="desc")
    )
