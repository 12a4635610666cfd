"""Back office for events, under /admin/events: partners' events to review, every event, and
coordinators' own (published at once)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.events import queries, services
from campaign.events.display import when, where
from campaign.events.editing import form_for, read, show_error, with_choices
from campaign.events.forms import EventEditForm, EventForm, ReviewForm
from campaign.events.models import Event
from campaign.events.services import EventError
from campaign.extensions import db


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


def _list(
    form: ReviewForm | None = None, failed_id: int | None = None, code: int = 200
) -> tuple[str, int]:
    pending = queries.pending()
    page = render_template(
        "admin/events/list.html",
        pending=[(event, when(event), where(event)) for event in pending],
        events=[(event, when(event)) for event in queries.recent_for_admin()],
        form=form or ReviewForm(formdata=None),
        failed_id=failed_id,
    )
    return page, code


@bp.get("/events")
@role_required("coordinator")
def events() -> tuple[str, int]:
    return _list()


def _render_form(form: EventForm, event: Event | None, code: int = 200) -> tuple[str, int]:
    code = 400 if form.is_submitted() and code == 200 else code
    return render_template("admin/events/form.html", form=form, event=event), code


@bp.route("/events/new", methods=["GET", "POST"])
@role_required("coordinator")
def new_event() -> Response | tuple[str, int]:
    form = with_choices(EventForm())
    data = read(form)
    if data is None:
        return _render_form(form, None)
    try:
        event, created = services.create_event(data=data, actor=current_user, via="admin")
    except EventError as error:
        db.session.rollback()
        show_error(with_choices(form), error)
        return _render_form(form, None, 400)
    db.session.commit()
    flash(_("Event published.") if created else _("This event was already there: nothing added."))
    return redirect(url_for("events.event", event_id=event.id))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def edit_event(event_id: int) -> Response | tuple[str, int]:
    event = _event(event_id)
    form = with_choices(
        EventEditForm() if request.method == "POST" else form_for(event), keep=event
    )
    data = read(form)
    if data is None:
        return _render_form(form, event)
    try:
        services.update_event(event=event, data=data, actor=current_user)
    except EventError as error:
        db.session.rollback()
        show_error(with_choices(form, keep=_event(event_id)), error)
        return _render_form(form, _event(event_id), 400)
    db.session.commit()
    flash(_("Event saved."))
    return redirect(url_for("admin.events"))


@bp.post("/events/<int:event_id>/review")
@role_required("coordinator")
def review_event(event_id: int) -> Response | tuple[str, int]:
    event = _event(event_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _list(form, event_id, 400)
    try:
        services.review_event(
            event=event,
            approve=form.decision.data == "approve",
            reason=form.reason.data or "",
            actor=current_user,
        )
    except EventError as error:
        db.session.rollback()
        form.reason.errors = [str(error)]
        return _list(form, event_id, 400)
    db.session.commit()
    flash(_("Event approved.") if event.review == "approved" else _("Event rejected."))
    return redirect(url_for("admin.events"))
