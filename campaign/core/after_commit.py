"""Run callbacks only after the current transaction has committed."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from campaign.extensions import db

_KEY = "campaign.after_commit"


def transaction_begun() -> bool:
    """Whether this request's session has begun a transaction; it makes no session to say no."""
    return db.session.registry.has() and db.session().in_transaction()


def commit_begun() -> None:
    """Commit what this request began, if anything: nothing when its only write was a
    statement that committed itself (a new pledge written alone, pledges/statements.py)."""
    if transaction_begun():
        db.session.commit()


def after_commit(callback: Callable[[], None], *, committed: bool = False) -> None:
    """Queue *callback* until the session commits; it is dropped on rollback. With
    *committed* (what it follows was committed by a statement of its own), run it at once."""
    if committed:
        callback()
        return
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any SQL still drops the callback
    session.info.setdefault(_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint was released; the outer transaction may still roll back
    for callback in session.info.pop(_KEY, []):
        callback()


@event.listens_for(Session, "after_soft_rollback")
def _drop(session: Session, previous_transaction: object) -> None:
    if session.in_transaction():
        return  # a savepoint rolled back; the outer unit of work goes on
    session.info.pop(_KEY, None)
