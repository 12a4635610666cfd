"""/embed/pledge and /embed/count: pages a partner frames on its own site.

`?org=<id>` names the organisation whose registered origins may frame the page (its
Content-Security-Policy's frame-ancestors; every other page of the site stays unframeable).
The pledge is the individual pledge of /pledge/individual: the same form, checks, limits,
dedupe and confirmation mail, with the cookieless form token of campaign/embed/tokens.py.
Nothing here sets a cookie.
"""

from __future__ import annotations

from dataclasses import replace

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from campaign.core.after_commit import commit_begun
from campaign.core.params import SAFE_METHODS, as_id
from campaign.core.security import allow_framing_by
from campaign.embed import bp, tokens
from campaign.embed.origins import origins_of
from campaign.extensions import csrf, db
from campaign.organisations.models import Organisation
from campaign.pledges import counters, queries, services
from campaign.pledges.forms import IndividualPledgeForm
from campaign.pledges.views import KINDS, _pledge_data
from campaign.states.queries import state_by_iso3


def _organisation() -> Organisation | None:
    """The organisation of `?org=`: None when absent; a 404 for anything that names none."""
    value = request.args.get("org")
    if value is None or value == "":
        allow_framing_by([])
        return None
    organisation_id = as_id(value)
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or organisation.merged_into_id is not None:
        abort(404)
    allow_framing_by(origins_of(organisation.id))
    return organisation


def _form() -> IndividualPledgeForm:
    form = IndividualPledgeForm(meta={"csrf": False})
    form.set_countries(queries.country_choices(), KINDS["individual"][1])
    return form


@bp.route("/pledge", methods=["GET", "POST"])
@csrf.exempt
def pledge() -> str | Response | tuple[str, int]:
    organisation = _organisation()
    org_id = organisation.id if organisation else None
    form = _form()
    if request.method in SAFE_METHODS:
        return _page(form, organisation)
    if not tokens.from_this_site() or not tokens.token_is_valid(
        request.form.get("embed_token"), org_id
    ):
        error = _("This form expired or was sent from elsewhere. Please reload it and try again.")
        return _page(form, organisation, error=error), 400
    if not form.validate():
        return _page(form, organisation), 400
    services.sign_pledge(
        data=replace(
            _pledge_data("individual", form), source="embed", source_organisation_id=org_id
        ),
        ip=request.remote_addr,
        honeypot=bool(form.homepage.data),
    )
    commit_begun()
    return redirect(url_for("embed.thanks", org=org_id))


def _page(
    form: IndividualPledgeForm, organisation: Organisation | None, error: str | None = None
) -> str:
    return render_template(
        "embed/pledge.html",
        form=form,
        organisation=organisation,
        token=tokens.form_token(organisation.id if organisation else None),
        error=error,
        totals=counters.totals(),
    )


@bp.get("/pledge/thanks")
def thanks() -> str:
    return render_template("embed/thanks.html", organisation=_organisation())


@bp.get("/count")
def count() -> str:
    organisation = _organisation()
    value = request.args.get("state")
    state = None
    if value:
        state = state_by_iso3(value) if len(value) == 3 and value.isascii() else None
        if state is None:
            abort(404)
    return render_template(
        "embed/count.html",
        organisation=organisation,
        state=state,
        totals=counters.totals(),
        in_state=counters.for_state(state.iso3) if state else None,
    )
