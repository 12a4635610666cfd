"""The back office's screen of an organisation's API keys (/admin/organisations/<id>/api-keys):
issue one (shown once, on the page that answers the POST), change its scopes, revoke it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.apikeys import services
from campaign.apikeys.forms import SCOPE_LABELS, KeyActionForm, NewKeyForm, ScopesForm
from campaign.apikeys.models import ApiKey
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.organisations.models import Organisation

Page = str | tuple[str, int] | Response


def _organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.merged_into_id is not None:
        abort(404)
    return organisation


def _key(key_id: int) -> ApiKey:
    key = db.session.get(ApiKey, key_id)
    if key is None:
        abort(404)
    return key


def _page(organisation: Organisation, form: NewKeyForm, code: int = 200) -> tuple[str, int]:
    keys = services.keys_of(organisation.id)
    scopes_forms = {key.id: ScopesForm(formdata=None, scopes=key.scopes.split()) for key in keys}
    return render_template(
        "admin/apikeys/list.html",
        organisation=organisation,
        keys=keys,
        form=form,
        scopes_forms=scopes_forms,
        action_form=KeyActionForm(formdata=None),
        labels=SCOPE_LABELS,
    ), code


@bp.get("/organisations/<int:organisation_id>/api-keys")
@role_required("coordinator")
def api_keys(organisation_id: int) -> Page:
    return _page(_organisation(organisation_id), NewKeyForm(formdata=None, scopes=["read"]))


@bp.post("/organisations/<int:organisation_id>/api-keys")
@role_required("coordinator")
def issue_api_key(organisation_id: int) -> Page:
    organisation = _organisation(organisation_id)
    form = NewKeyForm()
    if not form.validate_on_submit():
        return _page(organisation, form, 400)
    try:
        row, key = services.issue_key(
            organisation=organisation,
            name=form.name.data or "",
            scopes=list(form.scopes.data or []),
            actor=current_user,
        )
    except DomainError as error:
        db.session.rollback()
        form.name.errors = [str(error)]
        return _page(_organisation(organisation_id), form, 400)
    db.session.commit()
    # The one page that shows the key: the answer to the POST, never stored or redirected to.
    return render_template("admin/apikeys/issued.html", api_key=row, key=key)


def _action(key_id: int, form: KeyActionForm | ScopesForm) -> ApiKey:
    key = _key(key_id)
    if not form.validate_on_submit():
        abort(400)
    return key


@bp.post("/api-keys/<int:key_id>/scopes")
@role_required("coordinator")
def scope_api_key(key_id: int) -> Response:
    form = ScopesForm()
    key = _action(key_id, form)
    if key.revoked_at is not None:
        abort(400)
    services.set_scopes(key=key, scopes=list(form.scopes.data or []), actor=current_user)
    db.session.commit()
    flash(_("The key's scopes are saved."))
    return redirect(url_for("admin.api_keys", organisation_id=key.organisation_id))


@bp.post("/api-keys/<int:key_id>/revoke")
@role_required("coordinator")
def revoke_api_key(key_id: int) -> Response:
    key = _action(key_id, KeyActionForm())
    services.revoke_key(key=key, actor=current_user)
    db.session.commit()
    flash(_("The key is revoked: it no longer works."))
    return redirect(url_for("admin.api_keys", organisation_id=key.organisation_id))
