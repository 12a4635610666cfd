"""Back office for organisations: list, create, edit, merge, steering seats, partners, import."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.core.addresses import normalise_email
from campaign.core.params import SAFE_METHODS, as_text
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.organisations import importer, services
from campaign.organisations.forms import (
    ImportForm,
    MergeForm,
    OrganisationForm,
    PartnershipForm,
    SteeringForm,
)
from campaign.organisations.models import Organisation
from campaign.states.queries import state_by_iso3, state_choices


def _organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _active() -> list[Organisation]:
    query = select(Organisation).where(Organisation.merged_into_id.is_(None))
    search = as_text(request.args.get("q"), max_length=100)
    if search:
        query = query.where(Organisation.name.ilike(f"%{search}%"))
    return list(db.session.scalars(query.order_by(Organisation.name)))


@bp.get("/organisations")
@role_required("coordinator")
def organisations() -> str:
    return render_template(
        "admin/organisations/list.html", organisations=_active(), q=request.args.get("q", "")
    )


def _form(obj: Organisation | None = None) -> OrganisationForm:
    form = OrganisationForm(obj=obj)
    form.country.choices = [("", _("International / none")), *state_choices()]
    if obj is not None and request.method in SAFE_METHODS:
        form.country.data = obj.country.iso3 if obj.country else ""
    return form


def _data(form: OrganisationForm) -> services.OrganisationData:
    return services.OrganisationData(
        name=form.name.data,
        kind=form.kind.data,
        country=state_by_iso3(form.country.data) if form.country.data else None,
        website=form.website.data or None,
        contact_name=form.contact_name.data or None,
        contact_email=normalise_email(form.contact_email.data) if form.contact_email.data else None,
        notes=form.notes.data or "",
    )


@bp.route("/organisations/new", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def edit_organisation(organisation_id: int | None) -> str | Response | tuple[str, int]:
    organisation = _organisation(organisation_id) if organisation_id else None
    form = _form(organisation)
    if form.validate_on_submit():
        try:
            saved = services.save_organisation(
                data=_data(form), actor=current_user, organisation=organisation
            )
        except DomainError as error:
            db.session.rollback()
            form.name.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Saved."))
            return redirect(url_for("admin.organisation", organisation_id=saved.id))
    code = 400 if form.is_submitted() else 200
    return render_template(
        "admin/organisations/form.html", form=form, organisation=organisation
    ), code


def _detail(organisation: Organisation, code: int = 200, **forms: object) -> tuple[str, int]:
    partnership = PartnershipForm(formdata=None)
    partnership.state.choices = state_choices()
    merge = MergeForm(formdata=None)
    merge.duplicate.choices = [(str(o.id), o.name) for o in _active() if o.id != organisation.id]
    membership = organisation.steering_membership
    steering = SteeringForm(formdata=None, obj=membership)
    context: dict[str, object] = {
        "partnership_form": partnership,
        "merge_form": merge,
        "steering_form": steering,
    }
    context.update(forms)
    return render_template(
        "admin/organisations/detail.html", organisation=organisation, **context
    ), code


@bp.get("/organisations/<int:organisation_id>")
@role_required("coordinator")
def organisation(organisation_id: int) -> tuple[str, int]:
    return _detail(_organisation(organisation_id))


@bp.post("/organisations/<int:organisation_id>/steering")
@role_required("coordinator")
def organisation_steering(organisation_id: int) -> Response | tuple[str, int]:
    organisation = _organisation(organisation_id)
    form = SteeringForm()
    if not form.validate_on_submit():
        return _detail(organisation, 400, steering_form=form)
    services.set_steering_membership(
        organisation=organisation,
        role=form.role.data or None,
        since_on=form.since_on.data,
        actor=current_user,
    )
    db.session.commit()
    flash(_("Steering committee seat saved."))
    return redirect(url_for("admin.organisation", organisation_id=organisation.id))


@bp.post("/organisations/<int:organisation_id>/partnerships")
@role_required("coordinator")
def organisation_partnership(organisation_id: int) -> Response | tuple[str, int]:
    organisation = _organisation(organisation_id)
    form = PartnershipForm()
    form.state.choices = state_choices()
    if not form.validate_on_submit():
        return _detail(organisation, 400, partnership_form=form)
    state = state_by_iso3(form.state.data)
    assert state is not None
    role = None if form.role.data == "end" else form.role.data
    services.set_partnership(organisation=organisation, state=state, role=role, actor=current_user)
    db.session.commit()
    flash(_("Partnership saved."))
    return redirect(url_for("admin.organisation", organisation_id=organisation.id))


@bp.post("/organisations/<int:organisation_id>/merge")
@role_required("coordinator")
def organisation_merge(organisation_id: int) -> Response | tuple[str, int]:
    keep = _organisation(organisation_id)
    form = MergeForm()
    form.duplicate.choices = [(str(o.id), o.name) for o in _active() if o.id != keep.id]
    if not form.validate_on_submit():
        return _detail(keep, 400, merge_form=form)
    try:
        services.merge_organisations(
            keep=keep, duplicate=_organisation(int(form.duplicate.data)), actor=current_user
        )
    except DomainError as error:
        db.session.rollback()
        form.duplicate.errors = [str(error)]
        return _detail(_organisation(organisation_id), 400, merge_form=form)
    db.session.commit()
    flash(_("Merged."))
    return redirect(url_for("admin.organisation", organisation_id=keep.id))


@bp.route("/organisations/import", methods=["GET", "POST"])
@role_required("coordinator")
def organisations_import() -> str | tuple[str, int]:
    form = ImportForm()
    if not form.validate_on_submit():
        code = 400 if form.is_submitted() else 200
        return render_template(
            "admin/organisations/import.html", form=form, columns=importer.COLUMNS
        ), code
    try:
        report = importer.read_import(form.file.data.read(importer.MAX_BYTES + 1))
    except importer.ImportRefused as error:
        form.file.errors = [str(error)]
        return render_template(
            "admin/organisations/import.html", form=form, columns=importer.COLUMNS
        ), 400
    applied = False
    if form.apply.data and not report.errors:
        importer.apply_import(report, current_user)
        db.session.commit()
        applied = True
    code = 400 if report.errors else 200
    return render_template(
        "admin/organisations/import.html",
        form=form,
        report=report,
        applied=applied,
        columns=importer.COLUMNS,
    ), code
