"""The partners' portal's road to ratification, under /partner/road: a national partner
proposes changes of stage for its own states, and sees what became of its proposals."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.errors import DomainError, NotPermitted
from campaign.extensions import db
from campaign.outreach.portal import bp
from campaign.road import queries, services
from campaign.road.admin import change_form, read_move
from campaign.road.forms import StageChangeForm
from campaign.states import queries as state_queries
from campaign.states.models import State


def _own_state(iso3: str) -> State:
    """The state if the user's organisation partners on it: 404 for no such state, 403 for
    another organisation's."""
    state = state_queries.get_state(iso3.upper()) if len(iso3) == 3 and iso3.isalpha() else None
    if state is None:
        abort(404)
    if not services.is_partner_of(current_user, state):
        abort(403)
    return state


def _page(state: State, form: StageChangeForm, code: int = 200) -> tuple[str, int]:
    page = render_template(
        "partner/road.html",
        state=state,
        form=form,
        current=queries.current_changes().get(state.id),
        proposals=[c for c in queries.all_of_state(state.id) if c.recorded_via == "portal"],
    )
    return page, code


@bp.get("/road/<iso3>")
@role_required("partner")
def road(iso3: str) -> tuple[str, int]:
    return _page(_own_state(iso3), change_form())


@bp.post("/road/<iso3>")
@role_required("partner")
def propose_stage(iso3: str) -> Response | tuple[str, int]:
    state = _own_state(iso3)
    form = change_form(submitted=True)
    move = read_move(form)
    if move is None:
        return _page(state, form, 400)
    try:
        change, created = services.propose_stage_change(
            state=state, move=move, partner=current_user
        )
    except NotPermitted:
        db.session.rollback()
        abort(403)
    except DomainError as error:
        db.session.rollback()
        form.stage.errors = [str(error)]
        return _page(_own_state(iso3), form, 400)
    db.session.commit()
    if created:
        flash(_("Proposed: a coordinator will confirm it before it shows."))
    elif change.status == "confirmed":
        flash(_("That change is already confirmed: nothing was added."))
    else:
        flash(_("You had already proposed this change: it is the same proposal."))
    return redirect(url_for("partner.road", iso3=state.iso3))
