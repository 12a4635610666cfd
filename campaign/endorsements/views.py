"""The officials' endorsement form, its confirmation and its withdrawal: parse, call one
service, commit, respond (the public lists are in campaign/public and campaign/api)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from campaign.core.params import SAFE_METHODS
from campaign.endorsements import bp, services, tokens
from campaign.endorsements.forms import OfficialForm
from campaign.endorsements.models import Endorsement
from campaign.extensions import db
from campaign.i18n import current_language
from campaign.mail import guard
from campaign.pledges import queries as pledge_queries
from campaign.ratelimits import client_address, ratelimits

# Posts of the form per client, on top of the pledge limits (over which an endorsement is kept
# as suspect and its mail held): a flood is refused outright with the 429 page, nothing stored.
POST_LIMIT = "10 per minute; 100 per hour"


@bp.route("/pledge/official", methods=["GET", "POST"])
def sign() -> str | Response | tuple[str, int]:
    form = OfficialForm()
    form.set_states(pledge_queries.country_choices())
    if request.method in SAFE_METHODS:
        return render_template("endorsements/official.html", form=form)
    verdict = ratelimits.hit(POST_LIMIT, "endorsement", client_address())
    if not verdict.allowed:
        raise TooManyRequests(retry_after=verdict.retry_after)
    if not form.validate_on_submit():
        return render_template("endorsements/official.html", form=form), 400
    guard.screen(form.email.data or "")
    state = pledge_queries.state_for_choice(form.state.data or "")
    assert state is not None  # the form offers states only
    data = services.EndorsementData(
        name=form.name.data or "",
        office=form.office.data or "",
        institution=form.institution.data or "",
        state=state,
        party=form.party.data or "",
        statement=form.statement.data or "",
        proof_url=form.proof_url.data or "",
        email=form.email.data or "",
        locale=current_language().code,
    )
    services.sign_endorsement(data=data, ip=request.remote_addr, honeypot=bool(form.homepage.data))
    db.session.commit()
    return redirect(url_for("endorsements.check_email"))


@bp.get("/endorsement/check-your-email")
def check_email() -> str:
    return render_template("endorsements/check_email.html")


def _endorsement_from(purpose: str, token: str) -> tuple[Endorsement, bool]:
    checked = tokens.read_token(purpose, token)
    endorsement = db.session.get(Endorsement, checked.pledge_id) if checked else None
    if checked is None or endorsement is None or endorsement.withdrawn_at is not None:
        abort(404)
    return endorsement, checked.expired


@bp.get("/endorsement/confirm/<token>")
def confirm_page(token: str) -> str:
    """Only shows the Confirm button: mail scanners that follow links confirm nothing."""
    endorsement, expired = _endorsement_from(tokens.CONFIRM, token)
    template = "endorsements/expired.html" if expired else "endorsements/confirm.html"
    return render_template(template, endorsement=endorsement, token=token)


@bp.post("/endorsement/confirm/<token>")
def confirm(token: str) -> str | tuple[str, int]:
    endorsement, expired = _endorsement_from(tokens.CONFIRM, token)
    if expired:
        return render_template(
            "endorsements/expired.html", endorsement=endorsement, token=token
        ), 410
    services.confirm_endorsement(endorsement=endorsement)
    db.session.commit()
    manage = tokens.make_token(tokens.MANAGE, endorsement.id)
    return render_template("endorsements/confirmed.html", manage_token=manage)


@bp.post("/endorsement/resend/<token>")
def resend(token: str) -> Response:
    endorsement, _expired = _endorsement_from(tokens.CONFIRM, token)
    guard.screen(endorsement.email)
    services.resend_confirmation(endorsement=endorsement)
    db.session.commit()
    return redirect(url_for("endorsements.check_email"))


@bp.get("/endorsement/manage/<token>")
def manage_page(token: str) -> str:
    endorsement, _expired = _endorsement_from(tokens.MANAGE, token)
    return render_template("endorsements/manage.html", endorsement=endorsement, token=token)


@bp.post("/endorsement/manage/<token>")
def withdraw(token: str) -> Response | tuple[str, int]:
    endorsement, _expired = _endorsement_from(tokens.MANAGE, token)
    if request.form.get("action") != "withdraw":
        error = _("Please tick the box to withdraw your endorsement.")
        page = render_template(
            "endorsements/manage.html", endorsement=endorsement, token=token, error=error
        )
        return page, 400
    services.withdraw_endorsement(endorsement=endorsement)
    db.session.commit()
    flash(_("Your endorsement is withdrawn and your data erased."))
    return redirect(url_for("public.home"))
