"""Statements that write into the outbox, built once per dialect (their values are
parameters): on the pledge path, building an ORM statement per call cost more than running it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from sqlalchemy import String, Table, Text, bindparam, case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from campaign.core.addresses import matching_key
from campaign.core.many import among_param
from campaign.mail.guard import HELD_REASON
from campaign.mail.models import OutboundEmail, Suppression
from campaign.mail.suppression import SUPPRESSED

_GIVEN: tuple[str, ...] = ("idempotency_key", "to_address", "subject", "body_text", "body_html")
_GIVEN += ("headers", "attempts", "created_at", "template", "template_ref")


def queued_values() -> dict[str, Any]:
    """A queued row's columns as SQL: the given values as parameters; its status, error and
    group worked out from the suppression list (a suppressed address's row is kept failed, so
    the outbox shows why it got nothing) and the wanted ones (queue_params)."""
    table = cast(Table, OutboundEmail.__table__)
    suppressed = (
        select(Suppression.address_key)
        .where(
            Suppression.address_key == bindparam("match_key"),
            Suppression.suppressed_at.is_not(None),
        )
        .exists()
    )
    values: dict[str, Any] = {name: bindparam(name, type_=table.c[name].type) for name in _GIVEN}
    values["status"] = case((suppressed, "failed"), else_=bindparam("wanted_status"))
    values["last_error"] = case(
        (suppressed, SUPPRESSED), else_=bindparam("wanted_error", type_=Text())
    )
    values["held_for"] = case((suppressed, None), else_=bindparam("wanted_held", type_=String()))
    return values


def queue_params(
    row: dict[str, Any], *, template: str | None, template_ref: int | None, held: str | None
) -> dict[str, Any]:
    """The parameters of queued_values() for a draft's *row*: held under *held*, if a group."""
    params = {name: value for name, value in row.items() if name != "status"}
    params.update(
        template=template,
        template_ref=template_ref,
        match_key=matching_key(row["to_address"]),
        wanted_status="held" if held else "queued",
        wanted_error=HELD_REASON if held else None,
        wanted_held=held,
    )
    return params


@lru_cache(maxsize=2)
def queue_statement(dialect: str) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING rather than a savepoint: a concurrent unit of work that
    queued the same key first simply wins, and no savepoint is released in the middle of a
    fan-out (the session's after_commit event also fires for a released savepoint). Built
    once: the values are parameters."""
    table = cast(Table, OutboundEmail.__table__)
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    return (
        insert.values(queued_values())
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(table.c.id, table.c.status)
    )


@lru_cache(maxsize=8)
def claim_statement(columns: tuple[str, ...], dialect: str) -> Any:
    """Claim the due messages among the parameter `ids` in one UPDATE ... RETURNING *columns*:
    due is queued, or claimed (`sending`) before the parameter `stale`; claimed at the
    parameter `now`. Rows another worker holds locked are skipped. Built once per column list
    and dialect (building it per batch cost more than its own execution)."""
    table = cast(Table, OutboundEmail.__table__)
    claimable = or_(
        table.c.status == "queued",
        (table.c.status == "sending")
        & (table.c.claimed_at < bindparam("stale", type_=table.c.claimed_at.type)),
    )
    due = (
        select(table.c.id)
        .where(among_param(table.c.id, "ids", dialect), claimable)
        .with_for_update(skip_locked=True)
    )
    return (
        update(table)
        .where(table.c.id.in_(due.scalar_subquery()), claimable)
        .values(
            status="sending",
            claimed_at=bindparam("now", type_=table.c.claimed_at.type),
            attempts=table.c.attempts + 1,
        )
        .returning(*(table.c[name] for name in columns))
    )
