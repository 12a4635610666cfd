"""Helpers for the materials tests: uploading through the back office, rows and files."""

from __future__ import annotations

import io
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from campaign.extensions import db
from campaign.materials.models import Material, MaterialVersion
from tests.support.auth import csrf_from

NEW = "/admin/materials/new"
FIELDS = {
    "title": "Flyer for Migrants Day",
    "kind": "flyer",
    "language": "fr",
    "state": "",
    "region": "",
    "description": "",
}


def upload(
    client: FlaskClient,
    data: bytes,
    name: str = "flyer.pdf",
    *,
    path: str = NEW,
    csrf: bool = True,
    declared: str = "application/pdf",
    **changes: str,
) -> TestResponse:
    form: dict[str, object] = {**(FIELDS if path == NEW else {"note": ""}), **changes}
    if csrf:
        form["csrf_token"] = csrf_from(client, path)
    form["file"] = (io.BytesIO(data), name, declared)
    return client.post(path, data=form, content_type="multipart/form-data")


def rows() -> tuple[int, int]:
    db.session.expire_all()
    materials = db.session.scalar(select(func.count()).select_from(Material)) or 0
    versions = db.session.scalar(select(func.count()).select_from(MaterialVersion)) or 0
    return int(materials), int(versions)


def files_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def versions() -> list[MaterialVersion]:
    db.session.expire_all()
    return list(db.session.scalars(select(MaterialVersion).order_by(MaterialVersion.id)))
