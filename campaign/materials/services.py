"""Adding documents and versions to the library, and counting downloads. Functions add and
flush, never commit; storing the file is the caller's (see views.store_and_commit)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from campaign.audit.services import record_event
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.materials.checks import CheckedFile
from campaign.materials.models import Material, MaterialVersion
from campaign.materials.storage import new_key

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.states.models import State


@dataclasses.dataclass
class MaterialData:
    title: str
    kind: str
    language: str
    description: str
    state: State | None
    region: str | None


class MaterialError(DomainError):
    """A document or version that cannot be added; the message says why."""


def _version(material: Material, upload: CheckedFile, note: str, actor: User) -> MaterialVersion:
    number = db.session.scalar(
        select(func.coalesce(func.max(MaterialVersion.number), 0)).where(
            MaterialVersion.material_id == material.id
        )
    )
    version = MaterialVersion(
        material=material,
        number=int(number or 0) + 1,
        filename=upload.filename,
        content_type=upload.content_type,
        size_bytes=upload.size,
        sha256=upload.sha256,
        storage_key=new_key(upload.extension),
        note=note,
        downloads=0,
        uploaded_by=actor,
    )
    db.session.add(version)
    db.session.flush()
    record_event(
        actor=actor,
        action="material.version_added",
        entity_type="material",
        entity_id=material.id,
        after={"number": version.number, "filename": version.filename, "sha256": upload.sha256},
    )
    return version


def _same_document(data: MaterialData, sha256: str) -> Material | None:
    """The document already uploaded with this title, kind and language and this very file
    (a form sent twice)."""
    query = (
        select(Material)
        .join(MaterialVersion)
        .where(
            Material.title == data.title,
            Material.kind == data.kind,
            Material.language == data.language,
            MaterialVersion.sha256 == sha256,
        )
    )
    return db.session.scalars(query.limit(1)).first()


def add_material(
    *, data: MaterialData, upload: CheckedFile, actor: User
) -> tuple[Material, MaterialVersion | None]:
    """A new document with its first version; (the document, the version to store, or None
    when the same document and file were already there)."""
    if data.state is not None and data.region:
        raise MaterialError(_("Choose a state or a region, not both."))
    existing = _same_document(data, upload.sha256)
    if existing is not None:
        return existing, None
    material = Material(
        title=data.title,
        kind=data.kind,
        language=data.language,
        description=data.description,
        state=data.state,
        region=data.region or None,
        created_by=actor,
    )
    db.session.add(material)
    db.session.flush()
    record_event(
        actor=actor,
        action="material.created",
        entity_type="material",
        entity_id=material.id,
        after={"title": data.title, "kind": data.kind, "language": data.language},
    )
    return material, _version(material, upload, "", actor)


def add_version(
    *, material: Material, upload: CheckedFile, note: str, actor: User
) -> MaterialVersion:
    """A new version of *material*; the earlier ones stay listed."""
    latest = material.latest
    if latest is not None and latest.sha256 == upload.sha256:
        raise MaterialError(_("This file is already the latest version of this document."))
    return _version(material, upload, note, actor)


def count_download(version_id: int) -> None:
    """One more download, in one UPDATE (no read first, no row held between statements)."""
    db.session.execute(
        update(MaterialVersion)
        .where(MaterialVersion.id == version_id)
        .values(downloads=MaterialVersion.downloads + 1)
    )
