"""Reading rows back in tests: how many a table holds."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.extensions import db


def count(model: type) -> int:
    """How many rows of *model* the test's session sees."""
    return db.session.scalar(select(func.count()).select_from(model)) or 0
