"""A new pledge and its confirmation written by one statement, on PostgreSQL.

The pledge's INSERT ... ON CONFLICT DO NOTHING and the outbox's INSERT (the suppression list
looked up inside it, mail/statements.py) are two data-modifying parts of one WITH: the mail is
written only when the pledge was, its key and reference made from the new pledge's id. One
statement is atomic by itself, so when the request has begun nothing else it runs on a
connection of its own in autocommit: one round trip for the whole write, where a transaction
costs three more (BEGIN, the second INSERT, COMMIT). SQLite has no data-modifying WITH: there
the pledge and its mail are two statements in the session's transaction.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Engine, String, Table, bindparam, literal, select, true
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql

from campaign.core.after_commit import transaction_begun
from campaign.core.inserts import insert_new
from campaign.extensions import db
from campaign.mail import guard
from campaign.mail.models import OutboundEmail
from campaign.mail.services import send_after_commit
from campaign.mail.statements import queued_values
from campaign.pledges.mail import CONFIRM_KEY, first_confirmation, queue_confirmation
from campaign.pledges.models import Pledge

UNIQUE = ("email_canonical", "kind")  # one pledge of each kind per mailbox
Written = tuple[int, int | None, str | None]  # the pledge's id, its mail's id and status


@lru_cache(maxsize=4)
def new_pledge_statement(columns: tuple[str, ...]) -> Any:
    """WITH the pledge inserted (given *columns*), its first confirmation queued: the new
    pledge's id, the mail's id and status; no row when the address had signed already."""
    pledges, outbox = cast(Table, Pledge.__table__), cast(Table, OutboundEmail.__table__)
    values = {name: bindparam(name, type_=pledges.c[name].type) for name in columns}
    pledge = (
        postgresql.insert(pledges)
        .values(values)
        .on_conflict_do_nothing(index_elements=list(UNIQUE))
        .returning(pledges.c.id)
        .cte("new_pledge")
    )
    mail = queued_values()
    mail["idempotency_key"] = literal(CONFIRM_KEY) + sql_cast(pledge.c.id, String) + literal(":1")
    mail["template_ref"] = pledge.c.id
    queued = (
        postgresql.insert(outbox)
        .from_select(list(mail), select(*mail.values()).select_from(pledge))
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(outbox.c.id, outbox.c.status)
        .cte("new_mail")
    )
    return select(pledge.c.id, queued.c.id, queued.c.status).select_from(
        pledge.outerjoin(queued, true())
    )


def insert_with_mail(
    pledge: dict[str, Any], mail: dict[str, Any], *, alone: bool
) -> Written | None:
    """Write the new *pledge* and its confirmation (*mail*: queue_params without its key and
    reference) in one statement; (pledge id, mail id, mail status), or None if the address
    had signed already. *alone*: committed at once, on a connection of its own."""
    statement = new_pledge_statement(tuple(pledge))
    params = {**pledge, **mail}
    if not alone:
        found = db.session.connection().execute(statement, params).first()
    else:
        engine = cast(Engine, db.session.get_bind())
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            found = connection.execute(statement, params).first()
    return None if found is None else cast(Written, tuple(found))


def _alone() -> bool:
    """Whether the request has begun nothing: then the new pledge is written by itself."""
    return not transaction_begun() and isinstance(db.session.get_bind(), Engine)


def store_new_pledge(values: dict[str, Any], held: str | None) -> int | None:
    """Store the new pledge *values* and queue its first confirmation (held under *held*, if a
    group, with anything more this request queues); the pledge's id, or None if the address
    had signed already (nothing written, nothing held)."""
    if db.session.get_bind().dialect.name != "postgresql":
        pledge_id = insert_new(Pledge, values, list(UNIQUE))
        if pledge_id is not None:
            if held:
                guard.hold(held)  # this mail, and anything more this request queues
            queue_confirmation(
                pledge_id=pledge_id,
                email=str(values["email"]),
                locale=str(values["locale"]),
                template="pledge_confirm",
                number=1,
            )
        return cast(int | None, pledge_id)
    mail = first_confirmation(
        email=str(values["email"]),
        locale=str(values["locale"]),
        created_at=cast(dt.datetime, values["created_at"]),
        held=held,
    )
    alone = _alone()
    found = insert_with_mail(values, mail, alone=alone)
    if found is None:
        return None
    pledge_id, message_id, status = found
    if held:
        guard.hold(held)  # anything more this request queues, as on SQLite
    if status == "queued" and message_id is not None:
        send_after_commit(message_id, committed=alone)  # written alone: committed already
    return pledge_id
