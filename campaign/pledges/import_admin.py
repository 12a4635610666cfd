"""Back office for pledge imports (/admin/pledges/imports): upload a CSV, map its columns, see
the dry run, run the import in the worker and watch it, or discard it."""

from __future__ import annotations

from itertools import islice

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.core.forms import form_errors
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.i18n import current_language
from campaign.pledges import import_files, imports
from campaign.pledges.import_forms import ActionForm, RunForm, UploadForm, mapping_form
from campaign.pledges.import_mapping import FIELDS, guess_mapping
from campaign.pledges.import_models import OUTCOMES, PledgeImport, PledgeImportNote

UPLOAD_ENDPOINT = "admin.pledge_imports"
FORM_OVERHEAD = 64 * 1024
PREVIEW_ROWS = 5
PREVIEW_CELL = 80
MAX_ROW_ID = 2**31 - 1


def limit_upload() -> Response | tuple[str, int] | None:
    """Before anything reads the body (the CSRF check does): the upload may be at most
    PLEDGE_IMPORT_MAX_BYTES and its form; a larger declared body is refused at once."""
    if request.endpoint != UPLOAD_ENDPOINT or request.method != "POST":
        return None
    limit = int(current_app.config["PLEDGE_IMPORT_MAX_BYTES"])
    request.max_content_length = limit + FORM_OVERHEAD
    if (request.content_length or 0) > limit + FORM_OVERHEAD:
        return render_template(
            "admin/pledge_imports/too_large.html", message=import_files.too_large(limit)
        ), 413
    return None


@bp.record_once
def _first_before_request(state: BlueprintSetupState) -> None:
    state.app.before_request_funcs.setdefault(None, []).insert(0, limit_upload)


def _import(import_id: int) -> PledgeImport:
    # The id column is a 32-bit integer on PostgreSQL: a larger id is no import (not an error).
    if import_id > MAX_ROW_ID:
        abort(404)
    pledge_import = db.session.get(PledgeImport, import_id)
    if pledge_import is None:
        abort(404)
    return pledge_import


def _list(form: UploadForm, status: int = 200) -> tuple[str, int]:
    recent = db.session.scalars(
        select(PledgeImport).order_by(PledgeImport.id.desc()).limit(50)
    ).all()
    return render_template("admin/pledge_imports/list.html", form=form, imports=recent), status


@bp.route("/pledges/imports", methods=["GET", "POST"])
@role_required("coordinator")
def pledge_imports() -> Response | tuple[str, int]:
    form = UploadForm()
    if not form.validate_on_submit():
        return _list(form, 400 if form.is_submitted() else 200)
    upload = form.file.data
    try:
        pledge_import = imports.create_import(
            stream=upload.stream,
            filename=upload.filename or "",
            actor=current_user,
            locale=current_language().code,
        )
    except import_files.FileRefused as refusal:
        form.file.errors = [str(refusal)]
        return _list(form, 400)
    db.session.commit()
    return redirect(url_for("admin.pledge_import_mapping", import_id=pledge_import.id))


def _preview(pledge_import: PledgeImport) -> list[list[str]]:
    rows = import_files.read_rows(
        pledge_import.stored_name,
        delimiter=pledge_import.delimiter,
        offset=pledge_import.data_offset,
        row_number=pledge_import.header_row,
    )
    try:
        return [
            [cell[:PREVIEW_CELL] for cell in cells[: len(pledge_import.header)]]
            for _row, cells, _end in islice(rows, PREVIEW_ROWS)
        ]
    except (OSError, import_files.FileRefused):  # removed (done, discarded) or unreadable
        return []
    finally:
        rows.close()


@bp.route("/pledges/imports/<int:import_id>/mapping", methods=["GET", "POST"])
@role_required("coordinator")
def pledge_import_mapping(import_id: int) -> Response | tuple[str, int]:
    pledge_import = _import(import_id)
    guessed = pledge_import.mapping or guess_mapping(pledge_import.header)
    defaults = {k: "" if v is None else str(v) for k, v in guessed.items()}
    form = mapping_form(pledge_import.header, data=defaults)
    error = None
    if form.validate_on_submit():
        try:
            imports.check_with_mapping(pledge_import=pledge_import, mapping=form.mapping())
        except DomainError as refusal:
            db.session.rollback()
            error = str(refusal)
        else:
            db.session.commit()
            return redirect(url_for("admin.pledge_import", import_id=import_id))
    elif form.is_submitted():
        error = form_errors(form)
    preview = _preview(pledge_import)
    return render_template(
        "admin/pledge_imports/mapping.html",
        pledge_import=pledge_import,
        form=form,
        fields=list(FIELDS),
        preview=preview,
        error=error,
    ), 400 if form.is_submitted() else 200


def _notes(pledge_import: PledgeImport) -> dict[str, list[PledgeImportNote]]:
    found = db.session.scalars(
        select(PledgeImportNote)
        .filter_by(import_id=pledge_import.id, phase=pledge_import.phase)
        .order_by(PledgeImportNote.outcome, PledgeImportNote.line)
    )
    notes: dict[str, list[PledgeImportNote]] = {outcome: [] for outcome in OUTCOMES}
    for note in found:
        notes[note.outcome].append(note)
    return notes


@bp.get("/pledges/imports/<int:import_id>")
@role_required("coordinator")
def pledge_import(import_id: int) -> Response | str:
    return _show(_import(import_id), RunForm(locale=None), 200)


def _show(pledge_import: PledgeImport, run_form: RunForm, status: int) -> Response:
    if request.method == "GET" and not run_form.locale.data:
        run_form.locale.data = pledge_import.locale
    response = current_app.make_response(
        (
            render_template(
                "admin/pledge_imports/show.html",
                pledge_import=pledge_import,
                notes=_notes(pledge_import),
                run_form=run_form,
                action_form=ActionForm(),
            ),
            status,
        )
    )
    if pledge_import.is_working:  # the progress bar refreshes without a script
        response.headers["Refresh"] = "2"
    return response


@bp.post("/pledges/imports/<int:import_id>/run")
@role_required("coordinator")
def pledge_import_run(import_id: int) -> Response:
    pledge_import = _import(import_id)
    form = RunForm()
    if not form.validate_on_submit():
        return _show(pledge_import, form, 400)
    try:
        imports.start_run(
            pledge_import=pledge_import,
            send_mail=bool(form.send_mail.data),
            locale=form.locale.data or "en",
            actor=current_user,
        )
    except DomainError as refusal:
        db.session.rollback()
        form.send_mail.errors = [str(refusal)]
        return _show(_import(import_id), form, 400)
    db.session.commit()
    return redirect(url_for("admin.pledge_import", import_id=import_id))


@bp.post("/pledges/imports/<int:import_id>/discard")
@role_required("coordinator")
def pledge_import_discard(import_id: int) -> Response:
    return _act(import_id, "discard")


@bp.post("/pledges/imports/<int:import_id>/resume")
@role_required("coordinator")
def pledge_import_resume(import_id: int) -> Response:
    return _act(import_id, "resume")


def _act(import_id: int, action: str) -> Response:
    pledge_import = _import(import_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if action == "discard":
            imports.discard(pledge_import=pledge_import, actor=current_user)
        else:
            imports.resume(pledge_import=pledge_import)
    except DomainError as refusal:
        db.session.rollback()
        flash(str(refusal))
        return _show(_import(import_id), RunForm(), 409)
    db.session.commit()
    flash(_("The import is discarded.") if action == "discard" else _("The import goes on."))
    return redirect(url_for("admin.pledge_import", import_id=import_id))
