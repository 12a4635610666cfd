"""Back office for the registry: record and correct status changes, priority and notes."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.road import queries as road_queries
from campaign.road.filters import road_filter, road_matches
from campaign.road.stages import all_stages
from campaign.states import queries, services
from campaign.states.forms import CorrectionForm, StateProfileForm, StatusChangeForm
from campaign.states.models import REGIONS, STATUSES, State, StatusChange
from campaign.states.treaty import ADOPTED_ON


def _state(iso3: str) -> State:
    state = queries.get_state(iso3) if len(iso3) == 3 and iso3.isalpha() else None
    if state is None:
        abort(404)
    return state


@bp.get("/states")
@role_required("coordinator")
def states() -> str:
    status, region = request.args.get("status"), request.args.get("region")
    listed = queries.list_states(status=status, region=region)
    if request.args.get("priority") == "1":
        listed = [state for state in listed if state.is_priority]
    current = road_queries.current_changes()
    stage = road_filter(request.args.get("stage"))
    if stage is not None:
        listed = [state for state in listed if road_matches(current.get(state.id), stage)]
    return render_template(
        "admin/states.html",
        states=listed,
        statuses=STATUSES,
        regions=REGIONS,
        status=status if status in STATUSES else None,
        region=region if region in REGIONS else None,
        stages=all_stages(),
        stage=stage,
        current={state_id: change.stage for state_id, change in current.items()},
    )


def _render_state(state: State, code: int = 200, **forms: object) -> tuple[str, int]:
    from campaign.road.admin import change_form

    context = {
        "change_form": StatusChangeForm(formdata=None),
        "correction_form": CorrectionForm(formdata=None),
        "profile_form": StateProfileForm(formdata=None, obj=state),
        "road_form": change_form(),
        "road_changes": road_queries.all_of_state(state.id),
        "road_current": road_queries.current_changes().get(state.id),
        **forms,
    }
    return render_template("admin/state.html", state=state, changes=state.changes, **context), code


@bp.get("/states/<iso3>")
@role_required("coordinator")
def state(iso3: str) -> tuple[str, int]:
    return _render_state(_state(iso3))


def _check_date(form: StatusChangeForm | CorrectionForm) -> bool:
    when = form.effective_on.data
    if when is not None and not ADOPTED_ON <= when <= dt.date.today():
        form.effective_on.errors = [
            _("The date must be between %(adopted)s and today.", adopted=ADOPTED_ON.isoformat())
        ]
        return False
    return True


@bp.post("/states/<iso3>/changes")
@role_required("coordinator")
def record_change(iso3: str) -> Response | tuple[str, int]:
    state = _state(iso3)
    form = StatusChangeForm()
    if not (form.validate_on_submit() and _check_date(form)):
        return _render_state(state, 400, change_form=form)
    act = services.Act(
        act=form.act.data,
        effective_on=form.effective_on.data,
        source=form.source.data or form.source_url.data,
        source_url=form.source_url.data,
        note=form.note.data or "",
    )
    try:
        change = services.record_status_change(state=state, act=act, recorded_by=current_user)
    except DomainError as error:
        db.session.rollback()
        form.act.errors = [str(error)]
        return _render_state(_state(iso3), 400, change_form=form)
    db.session.commit()
    flash(_("Recorded.") if change else _("That act was already recorded: nothing changed."))
    return redirect(url_for("admin.state", iso3=state.iso3))


@bp.post("/states/<iso3>/changes/<int:change_id>/correct")
@role_required("coordinator")
def correct_change(iso3: str, change_id: int) -> Response | tuple[str, int]:
    state = _state(iso3)
    change = db.session.get(StatusChange, change_id)
    if change is None or change.state_id != state.id:
        abort(404)
    form = CorrectionForm()
    if not (form.validate_on_submit() and _check_date(form)):
        return _render_state(state, 400, correction_form=form, failed_change=change_id)
    try:
        services.correct_status_change(
            change=change,
            source=form.source.data,
            recorded_by=current_user,
            effective_on=form.effective_on.data,
            method=form.method.data or None,
            retract=form.retract.data,
            note=form.note.data or "",
        )
    except DomainError as error:
        db.session.rollback()
        form.source.errors = [str(error)]
        return _render_state(_state(iso3), 400, correction_form=form, failed_change=change_id)
    db.session.commit()
    flash(_("Correction recorded; the earlier entry is kept in the history."))
    return redirect(url_for("admin.state", iso3=state.iso3))


@bp.post("/states/<iso3>/profile")
@role_required("coordinator")
def state_profile(iso3: str) -> Response | tuple[str, int]:
    state = _state(iso3)
    form = StateProfileForm()
    if not form.validate_on_submit():
        return _render_state(state, 400, profile_form=form)
    services.set_state_profile(
        state=state,
        is_priority=form.is_priority.data,
        notes=form.notes.data or "",
        actor=current_user,
    )
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for("admin.state", iso3=state.iso3))


from campaign.road import admin as _road_admin  # noqa: E402,F401  (its screens use _render_state)
