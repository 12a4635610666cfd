"""The origins an organisation registered to frame the embeddable pages."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, utcnow

if TYPE_CHECKING:
    from campaign.organisations.models import Organisation


class EmbedOrigin(Base):
    """One web origin (scheme, host, port) allowed to frame an organisation's embeds."""

    __tablename__ = "embed_origins"
    __table_args__ = (UniqueConstraint("organisation_id", "origin", name="one_origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    origin: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()

    def __repr__(self) -> str:
        return f"<EmbedOrigin {self.organisation_id} {self.origin}>"
