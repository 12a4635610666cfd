"""Back office for officials' endorsements: the verification queue and the export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.audit.services import record_event
from campaign.core.csv import csv_response
from campaign.core.forms import form_errors
from campaign.endorsements.forms import ReviewForm
from campaign.endorsements.models import Endorsement
from campaign.endorsements.services import ReviewError, review_endorsement, review_queue
from campaign.extensions import db
from campaign.states.models import State


@bp.get("/endorsements")
@role_required("coordinator")
def endorsements() -> str:
    return render_template("admin/endorsements.html", queue=review_queue(), form=ReviewForm())


@bp.post("/endorsements/<int:endorsement_id>/review")
@role_required("coordinator")
def review(endorsement_id: int) -> str | Response | tuple[str, int]:
    endorsement = db.session.get(Endorsement, endorsement_id)
    if endorsement is None:
        abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            review_endorsement(
                endorsement=endorsement,
                verify=form.decision.data == "verify",
                reason=form.reason.data or "",
                actor=current_user,
            )
        except ReviewError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            if endorsement.review == "verified":
                flash(_("%(name)s: verified.", name=endorsement.name))
            else:
                flash(_("%(name)s: rejected.", name=endorsement.name))
            return redirect(url_for("admin.endorsements"))
    else:
        error = form_errors(form)
    page = render_template(
        "admin/endorsements.html",
        queue=review_queue(),
        form=form,
        error=error,
        failed_id=endorsement_id,
    )
    return page, 400


HEADER = [
    "id",
    "state",
    "name",
    "office",
    "institution",
    "party",
    "statement",
    "proof_url",
    "email",
    "review",
    "review_reason",
    "confirmed_at",
    "reviewed_at",
]


def _rows() -> Iterator[list[Any]]:
    query = (
        select(Endorsement, State.iso3)
        .join(State, Endorsement.state_id == State.id)
        .where(Endorsement.confirmed_at.is_not(None), Endorsement.withdrawn_at.is_(None))
        .order_by(Endorsement.id)
        .execution_options(yield_per=500)
    )
    for row, iso3 in db.session.execute(query):
        yield [
            row.id,
            iso3,
            row.name,
            row.office,
            row.institution,
            row.party,
            row.statement,
            row.proof_url,
            row.email,
            row.review,
            row.review_reason,
            row.confirmed_at,
            row.reviewed_at,
        ]


@bp.get("/endorsements/export.csv")
@role_required("coordinator")
def export_endorsements() -> Response:
    # Officials' addresses leave the system here: who took them is recorded first.
    record_event(
        actor=current_user,
        action="endorsements.exported",
        entity_type="endorsement",
        entity_id=None,
    )
    db.session.commit()
    return csv_response("confirmed-endorsements.csv", HEADER, _rows())
