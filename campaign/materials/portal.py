"""The partners' portal's materials, under /partner/materials: what the library holds for the
organisation's states (and their regions, and everyone), in the reader's language or another."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from campaign.accounts.policy import role_required
from campaign.events.models import LANGUAGE_LABELS, LANGUAGES
from campaign.i18n.localised import language
from campaign.materials import queries
from campaign.outreach import queries as outreach_queries
from campaign.outreach.portal import bp


@bp.get("/materials")
@role_required("partner")
def materials() -> str:
    organisation_id = current_user.organisation_id
    if organisation_id is None:
        abort(403)
    states = [state for state, _role in outreach_queries.states_of_organisation(organisation_id)]
    chosen = request.args.get("language", language())
    chosen = chosen if chosen in LANGUAGES or chosen == "" else language()
    documents = queries.for_partner(
        [state.id for state in states], [state.region for state in states], chosen
    )
    return render_template(
        "materials/portal.html",
        documents=documents,
        states=states,
        chosen=chosen,
        language_options=LANGUAGE_LABELS,
    )
