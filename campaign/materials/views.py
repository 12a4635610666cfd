"""The public pages of the materials library: the list (by language and kind, each document
with its versions and downloads) and the files themselves."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from campaign.events.models import LANGUAGE_LABELS
from campaign.extensions import db
from campaign.materials import bp, queries
from campaign.materials.files import file_response
from campaign.materials.models import KIND_LABELS, Material, MaterialVersion
from campaign.materials.queries import MaterialFilters
from campaign.materials.services import count_download

# The screens that take an upload, and what their form may add to the file's size.
UPLOAD_ENDPOINTS = frozenset({"admin.new_material", "admin.material"})
FORM_OVERHEAD = 64 * 1024


def limit_uploads() -> None:
    """Before anything reads the body (the CSRF check does): an upload screen's request may
    be at most MATERIALS_MAX_BYTES and its form's fields, anything larger is a 413."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        limit = int(current_app.config["MATERIALS_MAX_BYTES"]) + FORM_OVERHEAD
        request.max_content_length = limit


@bp.record_once
def _first_before_request(state: BlueprintSetupState) -> None:
    state.app.before_request_funcs.setdefault(None, []).insert(0, limit_uploads)


@bp.get("/materials")
def materials() -> str:
    filters = MaterialFilters.from_args(request.args)
    page = queries.library(filters)
    return render_template(
        "materials/list.html",
        page=page,
        filters=filters,
        kinds=KIND_LABELS,
        language_options=LANGUAGE_LABELS,
    )


@bp.get("/materials/<int:material_id>/latest")
def latest(material_id: int) -> Response:
    material = db.session.get(Material, material_id)
    if material is None or material.latest is None:
        abort(404)
    return redirect(url_for("materials.download", version_id=material.latest.id))


@bp.get("/materials/files/<int:version_id>")
def download(version_id: int) -> Response:
    version = db.session.get(MaterialVersion, version_id)
    if version is None:
        abort(404)
    response = file_response(version)
    if request.method == "GET" and response.status_code == 200:
        count_download(version.id)
        db.session.commit()
    return response
