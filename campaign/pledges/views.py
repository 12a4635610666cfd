"""Signing, confirming and managing a pledge: parse, call one service, commit, respond."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from campaign.core.after_commit import commit_begun
from campaign.core.params import SAFE_METHODS
from campaign.extensions import db
from campaign.i18n import current_language
from campaign.mail import guard
from campaign.pledges import bp, queries, services, tokens
from campaign.pledges.forms import IndividualPledgeForm, OrganisationPledgeForm, PledgeForm
from campaign.pledges.models import Pledge

KINDS = {
    "individual": (IndividualPledgeForm, _l("Other country, or prefer not to say")),
    "organisation": (OrganisationPledgeForm, _l("International, or other")),
}


def _form(kind: str) -> PledgeForm:
    form_class, none_label = KINDS[kind]
    form = form_class()
    form.set_countries(queries.country_choices(), none_label)
    return form


@bp.route("/individual", methods=["GET", "POST"], defaults={"kind": "individual"})
@bp.route("/organisation", methods=["GET", "POST"], defaults={"kind": "organisation"})
def sign(kind: str) -> str | Response | tuple[str, int]:
    form = _form(kind)
    if request.method in SAFE_METHODS:
        return render_template(f"pledges/{kind}.html", form=form)
    if not form.validate_on_submit():
        return render_template(f"pledges/{kind}.html", form=form), 400
    services.sign_pledge(
        data=_pledge_data(kind, form), ip=request.remote_addr, honeypot=bool(form.homepage.data)
    )
    commit_begun()
    return redirect(url_for("pledges.check_email"))


def _pledge_data(kind: str, form: PledgeForm) -> services.PledgeData:
    data = form.data
    return services.PledgeData(
        kind=kind,
        name=data["name"],
        email=data["email"],
        country_id=queries.state_id_for_choice(data["country"]),
        message=data.get("message") or "",
        is_public=bool(data["is_public"]),
        wants_updates=bool(data["wants_updates"]),
        locale=current_language().code,
        organisation_name=data.get("organisation_name"),
        organisation_kind=data.get("organisation_kind"),
        website=data.get("website") or None,
        contact_role=data.get("contact_role"),
    )


@bp.get("/check-your-email")
def check_email() -> str:
    return render_template("pledges/check_email.html")


def _pledge_from(purpose: str, token: str, *, allow_expired: bool = False) -> tuple[Pledge, bool]:
    checked = tokens.read_token(purpose, token)
    if checked is None:
        abort(404)
    pledge = queries.get_pledge(checked.pledge_id)
    if pledge is None or pledge.erased_at is not None:
        abort(404)
    return pledge, checked.expired


@bp.get("/confirm/<token>")
def confirm_page(token: str) -> str:
    """Only shows the Confirm button: mail scanners that follow links confirm nothing."""
    pledge, expired = _pledge_from(tokens.CONFIRM, token)
    template = "pledges/expired.html" if expired else "pledges/confirm.html"
    return render_template(template, pledge=pledge, token=token)


@bp.post("/confirm/<token>")
def confirm(token: str) -> str | tuple[str, int]:
    pledge, expired = _pledge_from(tokens.CONFIRM, token)
    if expired:
        return render_template("pledges/expired.html", pledge=pledge, token=token), 410
    services.confirm_pledge(pledge=pledge)
    db.session.commit()
    manage = tokens.make_token(tokens.MANAGE, pledge.id)
    return render_template("pledges/confirmed.html", pledge=pledge, manage_token=manage)


@bp.post("/resend/<token>")
def resend(token: str) -> Response:
    pledge, _expired = _pledge_from(tokens.CONFIRM, token)
    guard.screen(pledge.email)
    services.resend_confirmation(pledge=pledge)
    db.session.commit()
    return redirect(url_for("pledges.check_email"))


@bp.get("/manage/<token>")
def manage_page(token: str) -> str:
    pledge, _expired = _pledge_from(tokens.MANAGE, token)
    return render_template("pledges/manage.html", pledge=pledge, token=token)


ACTIONS = {
    "withdraw": (services.withdraw_pledge, _l("Your pledge is withdrawn and no longer counted.")),
    "stop-updates": (services.stop_updates, _l("You will get no more campaign updates.")),
    "erase": (
        services.erase_pledge,
        _l("Your name and email are erased. Thank you for your support."),
    ),
}


@bp.post("/manage/<token>")
def manage(token: str) -> str | Response | tuple[str, int]:
    pledge, _expired = _pledge_from(tokens.MANAGE, token)
    action = ACTIONS.get(request.form.get("action", ""))
    if action is None:
        return render_template(
            "pledges/manage.html",
            pledge=pledge,
            token=token,
            error=_("Please choose one of the options."),
        ), 400
    action[0](pledge=pledge)
    db.session.commit()
    flash(str(action[1]))
    if pledge.erased_at is not None:
        return redirect(url_for("public.home"))
    return redirect(url_for("pledges.manage_page", token=token))


@bp.get("/privacy")
def privacy() -> str:
    return render_template("pledges/privacy.html")
