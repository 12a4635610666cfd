"""The materials library's tables: a document, and its uploaded versions (none is ever lost)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow
from campaign.events.models import LANGUAGE_LABELS, LANGUAGES
from campaign.states.models import REGIONS

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.states.models import State

MATERIAL_KINDS = ("summary", "flyer", "guide", "letter_template", "report")
KIND_LABELS: dict[str, LazyString] = {
    "summary": _l("Summary of the Convention"),
    "flyer": _l("Flyer"),
    "guide": _l("Guide"),
    "letter_template": _l("Letter template"),
    "report": _l("Report"),
}
# The types a file may be, as its content shows: MIME type -> the extension it is stored with.
CONTENT_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
}
# Shown in the browser (inline); everything else is downloaded (attachment).
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/webp")


class Material(Base):
    """A document of the library (a flyer, a guide ...), in one language, for everyone or for
    one state or region."""

    __tablename__ = "materials"
    __table_args__ = (
        CheckConstraint(in_list("kind", MATERIAL_KINDS), name="kind"),
        CheckConstraint(in_list("language", LANGUAGES), name="language"),
        CheckConstraint(f"region IS NULL OR {in_list('region', REGIONS)}", name="region"),
        CheckConstraint("state_id IS NULL OR region IS NULL", name="state_or_region"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    language: Mapped[str] = mapped_column(String(2), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    state_id: Mapped[int | None] = mapped_column(ForeignKey("states.id"), index=True)
    region: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    state: Mapped[State | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    versions: Mapped[list[MaterialVersion]] = relationship(
        back_populates="material",
        order_by="MaterialVersion.number.desc()",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Material {self.id} {self.kind} {self.language}>"

    @property
    def latest(self) -> MaterialVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def downloads(self) -> int:
        return sum(version.downloads for version in self.versions)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def language_label(self) -> str:
        return str(LANGUAGE_LABELS.get(self.language, self.language))


class MaterialVersion(Base):
    """One uploaded file of a document: its checked type, its size and digest, where it is
    stored (a key that never derives from the uploaded name), and how often it was downloaded."""

    __tablename__ = "material_versions"
    __table_args__ = (
        UniqueConstraint("material_id", "number"),
        CheckConstraint(in_list("content_type", tuple(CONTENT_TYPES)), name="content_type"),
        CheckConstraint("size_bytes > 0", name="not_empty"),
        CheckConstraint("downloads >= 0", name="downloads"),
        CheckConstraint("number > 0", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    filename: Mapped[str] = mapped_column(String(160))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    downloads: Mapped[int] = mapped_column(BigInteger, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    material: Mapped[Material] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<MaterialVersion {self.material_id}.{self.number} {self.content_type}>"

    @property
    def is_inline(self) -> bool:
        return self.content_type in INLINE_TYPES
