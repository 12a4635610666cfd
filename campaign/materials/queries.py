"""Reading the library: the public list and its filters, and a partner's materials."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from campaign.core.params import as_page
from campaign.events.models import LANGUAGES
from campaign.extensions import db
from campaign.materials.models import MATERIAL_KINDS, Material

PER_PAGE = 30


@dataclasses.dataclass(frozen=True)
class MaterialFilters:
    language: str = ""
    kind: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> MaterialFilters:
        language, kind = args.get("language"), args.get("kind")
        return cls(
            language=language if language in LANGUAGES else "",
            kind=kind if kind in MATERIAL_KINDS else "",
            page=as_page(args.get("page")),
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        values = {"language": self.language, "kind": self.kind, "page": self.page, **changes}
        return {key: value for key, value in values.items() if value not in ("", None, 1)}


def _documents() -> Select[Material]:
    """Documents that have a file, with their versions and state loaded."""
    return (
        select(Material)
        .where(Material.versions.any())
        .options(selectinload(Material.versions), selectinload(Material.state))
    )


def library(filters: MaterialFilters) -> Pagination:
    query = _documents()
    if filters.language:
        query = query.where(Material.language == filters.language)
    if filters.kind:
        query = query.where(Material.kind == filters.kind)
    query = query.order_by(Material.updated_at.desc(), Material.id.desc())
    return db.paginate(query, page=filters.page, per_page=PER_PAGE, error_out=False)


def documents(language: str, kind: str) -> Sequence[Material]:
    """Every document with a file, in *language* and of *kind* (any when empty)."""
    query = _documents()
    if language:
        query = query.where(Material.language == language)
    if kind:
        query = query.where(Material.kind == kind)
    query = query.order_by(Material.updated_at.desc(), Material.id.desc())
    return db.session.scalars(query).all()


def for_partner(
    state_ids: Iterable[int], regions: Iterable[str], language: str
) -> Sequence[Material]:
    """Materials for a partner: for everyone, for one of its states, or for one of their
    regions; in *language* (any when empty)."""
    ids, names = sorted(set(state_ids)), sorted(set(regions))
    scope = or_(
        (Material.state_id.is_(None)) & (Material.region.is_(None)),
        Material.state_id.in_(ids),
        Material.region.in_(names),
    )
    query = _documents().where(scope)
    if language:
        query = query.where(Material.language == language)
    return db.session.scalars(query.order_by(Material.kind, Material.title)).all()


def all_documents() -> Sequence[Material]:
    query = select(Material).options(selectinload(Material.versions), selectinload(Material.state))
    return db.session.scalars(query.order_by(Material.updated_at.desc(), Material.id.desc())).all()
