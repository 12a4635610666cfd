"""Back office for pledges: moderation queue, paper counts, reconciliation, export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.audit.services import record_event
from campaign.core.csv import csv_response
from campaign.core.forms import form_errors
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.pledges import counters, export, queries
from campaign.pledges.forms import ModerationForm, OfflineCountForm
from campaign.pledges.moderation import moderate_pledge, moderation_queue


def _decision_message(organisation: str, moderation: str) -> str:
    if moderation == "approved":
        return _("%(organisation)s: approved.", organisation=organisation)
    if moderation == "rejected":
        return _("%(organisation)s: rejected.", organisation=organisation)
    return f"{organisation}: {moderation}."


@bp.get("/pledges/moderation")
@role_required("coordinator")
def moderation() -> str:
    return render_template(
        "admin/moderation.html", pledges=moderation_queue(), form=ModerationForm()
    )


@bp.post("/pledges/<int:pledge_id>/moderate")
@role_required("coordinator")
def moderate(pledge_id: int) -> str | Response | tuple[str, int]:
    pledge = queries.get_pledge(pledge_id)
    if pledge is None or pledge.kind != "organisation":
        abort(404)
    form = ModerationForm()
    error = None
    if form.validate_on_submit():
        try:
            moderate_pledge(
                pledge=pledge,
                approve=form.decision.data == "approve",
                reason=form.reason.data or "",
                actor=current_user,
            )
        except DomainError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(_decision_message(pledge.organisation_name or "", pledge.moderation or ""))
            return redirect(url_for("admin.moderation"))
    else:
        error = form_errors(form)
    return render_template(
        "admin/moderation.html",
        pledges=moderation_queue(),
        form=form,
        error=error,
        failed_id=pledge_id,
    ), 400


@bp.get("/pledges/export.csv")
@role_required("coordinator")
def export_pledges() -> Response:
    # Supporters' names and emails leave the system here: who took them is recorded first.
    record_event(
        actor=current_user, action="pledges.exported", entity_type="pledge", entity_id=None
    )
    db.session.commit()
    return csv_response("confirmed-pledges.csv", export.HEADER, export.confirmed_pledge_rows())


@bp.route("/pledges/counts", methods=["GET", "POST"])
@role_required("coordinator")
def pledge_counts() -> str | Response | tuple[str, int]:
    form = OfflineCountForm()
    form.state.choices = [("", _("Choose…")), *queries.country_choices()]
    if form.validate_on_submit():
        state = queries.state_for_choice(form.state.data)
        assert state is not None
        previous = counters.set_offline_count(state=state, count=form.count.data or 0)
        record_event(
            actor=current_user,
            action="pledges.offline_count",
            entity_type="state",
            entity_id=state.id,
            before={"offline": previous},
            after={"offline": form.count.data},
        )
        db.session.commit()
        flash(
            _(
                "%(state)s: %(count)s paper pledges recorded.",
                state=state.name,
                count=form.count.data,
            )
        )
        return redirect(url_for("admin.pledge_counts"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/pledge_counts.html",
        form=form,
        counters=counters.by_scope(),
        totals=counters.totals(),
        names=dict(queries.country_choices()),
    ), status


@bp.post("/pledges/reconcile")
@role_required("coordinator")
def reconcile() -> Response:
    drift = counters.reconcile()
    record_event(
        actor=current_user,
        action="pledges.reconciled",
        entity_type="pledge_counters",
        entity_id=None,
        after={"fixed": len(drift)},
    )
    db.session.commit()
    flash(
        _("Counters reconciled: %(fixed)s fixed.", fixed=len(drift))
        if drift
        else _("Counters were all correct.")
    )
    return redirect(url_for("admin.pledge_counts"))
