"""The API keys organisations' tools authenticate with: only a hash of each key is kept."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.organisations.models import Organisation

SCOPES = ("read", "write")
# Stored as the chosen scopes in this order, joined by a space.
SCOPE_SETS = ("read", "write", "read write")
NAME_MAX = 100
PREFIX_LENGTH = 12


class ApiKey(Base):
    """A secret an organisation's tool sends with each request.

    The key itself is never stored: `key_hash` is its SHA-256 (the key is 256 random bits, so
    a plain hash is enough), and `prefix`, the key's public first characters, finds the row.
    """

    __tablename__ = "api_keys"
    __table_args__ = (CheckConstraint(in_list("scopes", SCOPE_SETS), name="scopes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    prefix: Mapped[str] = mapped_column(String(PREFIX_LENGTH), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()

    def allows(self, scope: str) -> bool:
        return scope in self.scopes.split()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiKey {self.prefix} of {self.organisation_id}>"
