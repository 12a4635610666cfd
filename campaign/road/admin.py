"""Back office of the road to ratification: a coordinator records a change on a state's page
and confirms or rejects the partners' proposals; admins edit the stages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.road import queries, services, stages
from campaign.road.forms import ActionForm, RejectForm, StageChangeForm, StageNameForm
from campaign.road.models import RoadStage, StageChange
from campaign.states.admin import _render_state, _state


def change_form(*, submitted: bool = False) -> StageChangeForm:
    """The change form with the open stages: the request's, or empty for a page shown."""
    form = StageChangeForm() if submitted else StageChangeForm(formdata=None)
    form.set_stages(stages.open_stages())
    return form


def read_move(form: StageChangeForm) -> services.Move | None:
    """The move a valid submitted form describes; None with the reasons on the form."""
    valid = form.validate_on_submit()
    stage = form.chosen_stage() if form.stage.data else None
    if not valid or stage is None:
        return None
    return services.Move(
        stage=stage,
        effective_on=form.effective_on.data,
        source=form.source.data or "",
        source_url=form.source_url.data or None,
    )


@bp.post("/states/<iso3>/road")
@role_required("coordinator")
def record_stage(iso3: str) -> Response | tuple[str, int]:
    state = _state(iso3)
    form = change_form(submitted=True)
    move = read_move(form)
    if move is None:
        return _render_state(state, 400, road_form=form)
    try:
        _change, changed = services.record_stage_change(state=state, move=move, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        form.stage.errors = [str(error)]
        return _render_state(_state(iso3), 400, road_form=form)
    db.session.commit()
    flash(_("Stage recorded.") if changed else _("That change was already recorded."))
    return redirect(url_for("admin.state", iso3=state.iso3) + "#road")


def _queue_page(code: int = 200, **forms: object) -> tuple[str, int]:
    context: dict[str, object] = {
        "reject_form": RejectForm(formdata=None),
        "action_form": ActionForm(formdata=None),
    }
    context.update(forms)
    page = render_template("road/admin_queue.html", proposals=queries.waiting(), **context)
    return page, code


@bp.get("/road/")
@role_required("coordinator")
def road_queue() -> tuple[str, int]:
    return _queue_page()


def _change(change_id: int) -> StageChange:
    change = db.session.get(StageChange, change_id)
    if change is None:
        abort(404)
    return change


def _decided_already(error: DomainError) -> tuple[str, int]:
    db.session.rollback()
    flash(str(error))
    return _queue_page(409 if isinstance(error, services.AlreadyDecided) else 400)


@bp.post("/road/changes/<int:change_id>/confirm")
@role_required("coordinator")
def confirm_stage(change_id: int) -> Response | tuple[str, int]:
    change = _change(change_id)
    if not ActionForm().validate_on_submit():
        return _queue_page(400)
    try:
        services.confirm_stage_change(change=change, actor=current_user)
    except DomainError as error:
        return _decided_already(error)
    db.session.commit()
    flash(_("Confirmed: the change shows on the state's page."))
    return redirect(url_for("admin.road_queue"))


@bp.post("/road/changes/<int:change_id>/reject")
@role_required("coordinator")
def reject_stage(change_id: int) -> Response | tuple[str, int]:
    change = _change(change_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _queue_page(400, reject_form=form, failed=change_id)
    try:
        services.reject_stage_change(change=change, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        return _decided_already(error)
    db.session.commit()
    flash(_("Rejected; the partner sees your reason."))
    return redirect(url_for("admin.road_queue"))


def _stages_page(code: int = 200, **forms: object) -> tuple[str, int]:
    context: dict[str, object] = {
        "name_form": StageNameForm(formdata=None),
        "action_form": ActionForm(formdata=None),
    }
    context.update(forms)
    page = render_template("road/admin_stages.html", stages=stages.all_stages(), **context)
    return page, code


@bp.get("/road/stages")
@role_required("admin")
def road_stages() -> tuple[str, int]:
    return _stages_page()


def _stage(stage_id: int) -> RoadStage:
    stage = db.session.get(RoadStage, stage_id)
    if stage is None:
        abort(404)
    return stage


def _stage_done(message: str) -> Response:
    db.session.commit()
    flash(message)
    return redirect(url_for("admin.road_stages"))


def _stage_refused(error: DomainError, form: StageNameForm | None = None) -> tuple[str, int]:
    db.session.rollback()
    if form is not None:
        form.name.errors = [str(error)]
        return _stages_page(400, name_form=form)
    flash(str(error))
    return _stages_page(400)


@bp.post("/road/stages")
@role_required("admin")
def add_road_stage() -> Response | tuple[str, int]:
    form = StageNameForm()
    if not form.validate_on_submit():
        return _stages_page(400, name_form=form)
    try:
        stages.add_stage(name=form.name.data, actor=current_user)
    except DomainError as error:
        return _stage_refused(error, form)
    return _stage_done(_("Stage added, last in the list."))


@bp.post("/road/stages/<int:stage_id>/rename")
@role_required("admin")
def rename_road_stage(stage_id: int) -> Response | tuple[str, int]:
    stage = _stage(stage_id)
    form = StageNameForm()
    if not form.validate_on_submit():
        return _stages_page(400, name_form=form, failed=stage_id)
    try:
        stages.rename_stage(stage=stage, name=form.name.data, actor=current_user)
    except DomainError as error:
        return _stage_refused(error)
    return _stage_done(_("Stage renamed."))


@role_required("admin")
def change_road_stage(stage_id: int, action: str) -> Response | tuple[str, int]:
    """Move a stage earlier or later, retire it or use it again (one route per action)."""
    stage = _stage(stage_id)
    if not ActionForm().validate_on_submit():
        return _stages_page(400)
    try:
        if action in ("up", "down"):
            stages.move_stage(stage=stage, offset=-1 if action == "up" else 1, actor=current_user)
        elif action == "retire":
            stages.retire_stage(stage=stage, actor=current_user)
        else:
            stages.restore_stage(stage=stage, actor=current_user)
    except DomainError as error:
        return _stage_refused(error)
    return _stage_done(_("Saved."))


for _action in ("up", "down", "retire", "restore"):
    bp.add_url_rule(
        f"/road/stages/<int:stage_id>/{_action}",
        endpoint=f"road_stage_{_action}",
        view_func=change_road_stage,
        methods=["POST"],
        defaults={"action": _action},
    )
