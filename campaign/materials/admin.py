"""Back office for the materials library, under /admin/materials: upload a document, and new
versions of it (the earlier ones stay listed)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.materials import queries, services
from campaign.materials.checks import CheckedFile, check_upload
from campaign.materials.files import StorageUnavailable, store_and_commit
from campaign.materials.forms import FILE_HINT, MaterialForm, VersionForm
from campaign.materials.models import Material
from campaign.states.queries import state_by_iso3, state_choices

STORAGE_DOWN = 503


def _checked(file: FileStorage) -> CheckedFile:
    limit = int(current_app.config["MATERIALS_MAX_BYTES"])
    return check_upload(file.filename or "", file.stream.read(limit + 1), limit)


@bp.get("/materials")
@role_required("coordinator")
def materials() -> str:
    return render_template("admin/materials/list.html", documents=queries.all_documents())


def _new_page(form: MaterialForm, code: int = 200) -> tuple[str, int]:
    return render_template("admin/materials/new.html", form=form, hint=FILE_HINT), code


@bp.route("/materials/new", methods=["GET", "POST"])
@role_required("coordinator")
def new_material() -> Response | tuple[str, int]:
    form = MaterialForm().with_choices(state_choices())
    if not form.validate_on_submit():
        return _new_page(form, 400 if form.is_submitted() else 200)
    data = services.MaterialData(
        title=form.title.data,
        kind=form.kind.data,
        language=form.language.data,
        description=form.description.data or "",
        state=state_by_iso3(form.state.data) if form.state.data else None,
        region=form.region.data or None,
    )
    try:
        upload = _checked(form.file.data)
        material, version = services.add_material(data=data, upload=upload, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        form.file.errors = [str(error)]
        return _new_page(form, 400)
    if version is None:
        db.session.rollback()
        flash(_("This document and file were already in the library: nothing added."))
        return redirect(url_for("admin.material", material_id=material.id))
    try:
        store_and_commit(version, upload)
    except StorageUnavailable:
        form.file.errors = [
            _("The file could not be stored just now: nothing was saved. Please try again.")
        ]
        return _new_page(form, STORAGE_DOWN)
    flash(_("Uploaded."))
    return redirect(url_for("admin.material", material_id=material.id))


def _material(material_id: int) -> Material:
    material = db.session.get(Material, material_id)
    if material is None:
        abort(404)
    return material


def _page(material: Material, form: VersionForm, code: int = 200) -> tuple[str, int]:
    page = render_template(
        "admin/materials/material.html", material=material, form=form, hint=FILE_HINT
    )
    return page, code


@bp.route("/materials/<int:material_id>", methods=["GET", "POST"])
@role_required("coordinator")
def material(material_id: int) -> Response | tuple[str, int]:
    item = _material(material_id)
    form = VersionForm()
    if not form.validate_on_submit():
        return _page(item, form, 400 if form.is_submitted() else 200)
    try:
        upload = _checked(form.file.data)
        version = services.add_version(
            material=item, upload=upload, note=form.note.data or "", actor=current_user
        )
    except DomainError as error:
        db.session.rollback()
        form.file.errors = [str(error)]
        return _page(_material(material_id), form, 400)
    try:
        store_and_commit(version, upload)
    except StorageUnavailable:
        form.file.errors = [
            _("The file could not be stored just now: nothing was saved. Please try again.")
        ]
        return _page(_material(material_id), form, STORAGE_DOWN)
    flash(_("Version %(number)s uploaded.", number=version.number))
    return redirect(url_for("admin.material", material_id=material_id))
