"""What one organisation's key may read: the pledges that came through that organisation (its
OSDI posts and its embeds), still standing: never withdrawn or erased ones, never another's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select

from campaign.api.paging import Page
from campaign.core.params import MAX_ID as MAX_ROW_ID  # larger ids never reach here (routes)
from campaign.extensions import db
from campaign.pledges.models import Pledge


def visible(organisation_id: int) -> ColumnElement[bool]:
    return and_(
        Pledge.source_organisation_id == organisation_id,
        Pledge.withdrawn_at.is_(None),
        Pledge.erased_at.is_(None),
    )


def is_visible(pledge: Pledge, organisation_id: int) -> bool:
    return (
        pledge.source_organisation_id == organisation_id
        and pledge.withdrawn_at is None
        and pledge.erased_at is None
    )


def _count(query: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def signatures(organisation_id: int, kind: str, page: Page) -> tuple[list[Pledge], int]:
    """One page of the organisation's signatures of the *kind* petition, and how many in all."""
    where = and_(visible(organisation_id), Pledge.kind == kind)
    total = _count(select(Pledge.id).where(where))
    query = select(Pledge).where(where).order_by(Pledge.id).offset(page.offset).limit(page.size)
    return list(db.session.scalars(query)), total


def signature(organisation_id: int, kind: str, pledge_id: int) -> Pledge | None:
    if pledge_id > MAX_ROW_ID:
        return None
    query = select(Pledge).where(
        visible(organisation_id), Pledge.kind == kind, Pledge.id == pledge_id
    )
    return db.session.scalars(query).first()


def person_ids(organisation_id: int, canonicals: Iterable[str]) -> dict[str, int]:
    """A person is an address: their id is that of the first of its pledges this key sees."""
    wanted = set(canonicals)
    if not wanted:
        return {}
    query = (
        select(Pledge.email_canonical, func.min(Pledge.id))
        .where(visible(organisation_id), Pledge.email_canonical.in_(wanted))
        .group_by(Pledge.email_canonical)
    )
    return {canonical: first for canonical, first in db.session.execute(query)}


def _first_pledges(organisation_id: int) -> Select[Any]:
    return (
        select(func.min(Pledge.id).label("id"))
        .where(visible(organisation_id))
        .group_by(Pledge.email_canonical)
    )


def people(organisation_id: int, page: Page) -> tuple[list[Pledge], int]:
    """One page of the people (each by the first pledge of theirs this key sees), and the total."""
    firsts = _first_pledges(organisation_id).subquery()
    total = db.session.scalar(select(func.count()).select_from(firsts)) or 0
    query = (
        select(Pledge)
        .join(firsts, firsts.c.id == Pledge.id)
        .order_by(Pledge.id)
        .offset(page.offset)
        .limit(page.size)
    )
    return list(db.session.scalars(query)), total


def person(organisation_id: int, person_id: int) -> Pledge | None:
    """The person whose id is *person_id*: only the first of their pledges answers to it."""
    if person_id > MAX_ROW_ID:
        return None
    pledge = db.session.scalars(
        select(Pledge).where(visible(organisation_id), Pledge.id == person_id)
    ).first()
    if pledge is None:
        return None
    first = person_ids(organisation_id, [pledge.email_canonical]).get(pledge.email_canonical)
    return pledge if first == pledge.id else None
