"""The partners' portal's events, under /partner/events: a national partner posts events for
its own states (a coordinator approves them before they show) and sees what became of them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.errors import NotPermitted
from campaign.events import queries, services
from campaign.events.display import when
from campaign.events.editing import read, show_error, with_choices
from campaign.events.forms import EventForm
from campaign.events.services import EventError
from campaign.extensions import db
from campaign.outreach import queries as outreach_queries
from campaign.outreach.portal import bp


def _organisation_id() -> int:
    organisation_id: int | None = current_user.organisation_id
    if organisation_id is None:
        abort(403)
    return organisation_id


def _own_states() -> list[tuple[str, str]]:
    states = outreach_queries.states_of_organisation(_organisation_id())
    return [(state.iso3, state.name) for state, _role in states]


@bp.get("/events")
@role_required("partner")
def events() -> str:
    rows = queries.of_organisation(_organisation_id())
    return render_template(
        "events/portal_list.html",
        rows=[(event, when(event)) for event in rows],
        has_states=bool(_own_states()),
    )


def _page(form: EventForm, code: int = 200) -> tuple[str, int]:
    return render_template("events/portal_form.html", form=form), code


@bp.route("/events/new", methods=["GET", "POST"])
@role_required("partner")
def new_event() -> Response | tuple[str, int]:
    states = _own_states()
    form = with_choices(EventForm(), states, any_state=False, organisation_id=_organisation_id())
    data = read(form)
    if data is None:
        return _page(form, 400 if form.is_submitted() else 200)
    try:
        _event, created = services.create_event(data=data, actor=current_user, via="portal")
    except NotPermitted as error:
        db.session.rollback()
        form.state.errors = [str(error)]
        return _page(
            with_choices(form, states, any_state=False, organisation_id=_organisation_id()), 403
        )
    except EventError as error:
        db.session.rollback()
        show_error(
            with_choices(form, states, any_state=False, organisation_id=_organisation_id()), error
        )
        return _page(form, 400)
    db.session.commit()
    flash(
        _("Sent: a coordinator will review your event before it is published.")
        if created
        else _("You had already sent this event: it is the same event.")
    )
    return redirect(url_for("partner.events"))
