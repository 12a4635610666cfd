"""The review screen for the treaty sync: runs, proposals, approve and reject."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.core.forms import CampaignForm
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.sync import bp, queries, review
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


@bp.get("/")
@role_required("coordinator")
def index() -> tuple[str, int]:
    return _render_index()


@bp.get("/runs/<int:run_id>")
@role_required("coordinator")
def run(run_id: int) -> str:
    sync_run = db.session.get(SyncRun, run_id)
    if sync_run is None:
        abort(404)
    return render_template("sync/run.html", run=sync_run, proposals=sync_run.proposals)


@bp.post("/proposals/<int:proposal_id>/approve")
@role_required("coordinator")
def approve(proposal_id: int) -> Response | tuple[str, int]:
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
    return redirect(url_for("sync.index"))


@bp.post("/proposals/<int:proposal_id>/reject")
@role_required("coordinator")
def reject(proposal_id: int) -> Response | tuple[str, int]:
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
    return redirect(url_for("sync.index"))
