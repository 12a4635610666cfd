"""Statements that write into the outbox, built once per dialect (their values are
parameters): on the pledge path, building an ORM statement per call cost more than running it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from sqlalchemy import String, Table, Text, bindparam, case, select
from sqlalchemy.dialects import postgresql, sqlite

from campaign.mail.models import OutboundEmail, Suppression
from campaign.mail.suppression import SUPPRESSED


@lru_cache(maxsize=2)
def queue_statement(dialect: str) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING rather than a savepoint: a concurrent unit of work that
    queued the same key first simply wins, and no savepoint is released in the middle of a
    fan-out (the session's after_commit event also fires for a released savepoint). Built
    once: the values are parameters."""
    table = cast(Table, OutboundEmail.__table__)
    suppressed = (
        select(Suppression.address_key)
        .where(
            Suppression.address_key == bindparam("match_key"),
            Suppression.suppressed_at.is_not(None),
        )
        .exists()
    )
    columns: tuple[str, ...] = ("idempotency_key", "to_address", "subject", "body_text")
    columns += ("body_html", "headers", "attempts", "created_at", "template", "template_ref")
    values: dict[str, Any] = {name: bindparam(name, type_=table.c[name].type) for name in columns}
    values["status"] = case((suppressed, "failed"), else_=bindparam("wanted_status"))
    values["last_error"] = case(
        (suppressed, SUPPRESSED), else_=bindparam("wanted_error", type_=Text())
    )
    values["held_for"] = case((suppressed, None), else_=bindparam("wanted_held", type_=String()))
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table).values(values)
    return insert.on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(
        table.c.id, table.c.status
    )
