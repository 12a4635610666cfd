"""The back office's screen of an organisation's embeds: the origins allowed to frame them and
the snippets to paste, under /admin/organisations/<id>/embed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip
from campaign.embed.origins import MAX_LENGTH, InvalidOrigin, add_origin, origins_of, remove_origin
from campaign.extensions import db
from campaign.organisations.models import Organisation


class OriginForm(CampaignForm):
    origin = StringField(
        _l("Origin of the partner's site"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the origin, such as https://partner.example.")),
            Length(max=MAX_LENGTH),
            PlainText(),
        ],
    )


class RemoveOriginForm(CampaignForm):
    origin = HiddenField(validators=[DataRequired(), Length(max=MAX_LENGTH)])


def _organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.merged_into_id is not None:
        abort(404)
    return organisation


def _page(organisation: Organisation, form: OriginForm, code: int = 200) -> tuple[str, int]:
    return render_template(
        "admin/embed/origins.html",
        organisation=organisation,
        origins=origins_of(organisation.id),
        form=form,
        remove_form=RemoveOriginForm(formdata=None),
    ), code


@bp.get("/organisations/<int:organisation_id>/embed")
@role_required("coordinator")
def embed_origins(organisation_id: int) -> tuple[str, int]:
    return _page(_organisation(organisation_id), OriginForm(formdata=None))


@bp.post("/organisations/<int:organisation_id>/embed")
@role_required("coordinator")
def embed_origin_add(organisation_id: int) -> Response | tuple[str, int]:
    organisation = _organisation(organisation_id)
    form = OriginForm()
    if not form.validate_on_submit():
        return _page(organisation, form, 400)
    try:
        origin = add_origin(
            organisation=organisation, text=form.origin.data or "", actor=current_user
        )
    except InvalidOrigin as error:
        db.session.rollback()
        form.origin.errors = [str(error)]
        return _page(_organisation(organisation_id), form, 400)
    db.session.commit()
    flash(_("%(origin)s may now frame this organisation's embeds.", origin=origin))
    return redirect(url_for("admin.embed_origins", organisation_id=organisation.id))


@bp.post("/organisations/<int:organisation_id>/embed/remove")
@role_required("coordinator")
def embed_origin_remove(organisation_id: int) -> Response | tuple[str, int]:
    organisation = _organisation(organisation_id)
    form = RemoveOriginForm()
    if not form.validate_on_submit() or not remove_origin(
        organisation=organisation, origin=form.origin.data or "", actor=current_user
    ):
        db.session.rollback()
        return _page(organisation, OriginForm(formdata=None), 400)
    db.session.commit()
    flash(_("Origin removed."))
    return redirect(url_for("admin.embed_origins", organisation_id=organisation.id))
