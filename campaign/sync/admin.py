"""The back-office screens of the treaty sync, under /admin/sync: runs, proposals, approve and
reject."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.core.forms import CampaignForm
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.sync import queries, review
from campaign.sync.forms import ApproveForm, RejectForm
from campaign.sync.models import ProposedChange, SyncRun


def _proposal(proposal_id: int) -> ProposedChange:
    proposal = db.session.get(ProposedChange, proposal_id)
    if proposal is None:
        abort(404)
    return proposal


def _render_index(code: int = 200, failed: int | None = None, message: str = "") -> tuple[str, int]:
    page = render_template(
        "sync/index.html",
        proposals=queries.pending_proposals(),
        runs=queries.recent_runs(),
        approve_form=ApproveForm(formdata=None),
        reject_form=RejectForm(formdata=None),
        failed=failed,
        message=message,
    )
    return page, code


def _first_error(form: CampaignForm) -> str:
    for messages in form.errors.values():
        return str(messages[0])
    return _("Please check the form.")


@bp.get("/sync/")
@role_required("coordinator")
def sync() -> tuple[str, int]:
    return _render_index()


@bp.get("/sync/runs/<int:run_id>")
@role_required("coordinator")
def sync_run(run_id: int) -> str:
    run = db.session.get(SyncRun, run_id)
    if run is None:
        abort(404)
    return render_template("sync/run.html", run=run, proposals=run.proposals)


@bp.post("/sync/proposals/<int:proposal_id>/approve")
@role_required("coordinator")
def sync_approve(proposal_id: int) -> Response | tuple[str, int]:
    proposal = _proposal(proposal_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        return _render_index(400, proposal_id, _first_error(form))
    try:
        done = review.approve_proposal(
            proposal=proposal, reviewer=current_user, note=form.note.data or ""
        )
    except DomainError as error:
        db.session.rollback()
        return _render_index(409, proposal_id, str(error))
    db.session.commit()
    flash(
        _("Approved and recorded for %(state)s.", state=proposal.state.name)
        if done
        else _("This proposal was already reviewed: nothing changed.")
    )
    return redirect(url_for("admin.sync"))


@bp.post("/sync/proposals/<int:proposal_id>/reject")
@role_required("coordinator")
def sync_reject(proposal_id: int) -> Response | tuple[str, int]:
    proposal = _proposal(proposal_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _render_index(400, proposal_id, _first_error(form))
    try:
        done = review.reject_proposal(
            proposal=proposal, reviewer=current_user, note=form.note.data or ""
        )
    except DomainError as error:
        db.session.rollback()
        return _render_index(400, proposal_id, str(error))
    db.session.commit()
    flash(
        _("Closed without change for %(state)s.", state=proposal.state.name)
        if done
        else _("This proposal was already reviewed: nothing changed.")
    )
    return redirect(url_for("admin.sync"))
