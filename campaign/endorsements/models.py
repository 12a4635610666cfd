"""The officials' endorsements' table: one row per address, state and office.

Its own table rather than a third kind of Pledge: an official is one endorsement per address,
state *and office* (a mayor who becomes a member of parliament endorses again), which the
pledges' one-per-address-and-kind constraint cannot say; and an endorsement must never move a
pledge counter, an export or a digest that reads pledges by kind. What it shares with pledges
is the machinery, called rather than copied: canonical addresses, the insert that dedupes in
one statement, the pledge limits and the held mail, the mail cap, deferred confirmation mail,
signed links and the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.states.models import State

REVIEW_STATES = ("pending", "verified", "rejected")


class Endorsement(Base):
    """An official's endorsement: public once confirmed by its signer and verified by a
    coordinator (who checks the proof link), until withdrawn."""

    __tablename__ = "endorsements"
    __table_args__ = (
        UniqueConstraint("email_canonical", "state_id", "office_key"),
        CheckConstraint(in_list("review", REVIEW_STATES), name="review"),
        # Only a confirmed endorsement is ever reviewed.
        CheckConstraint("review = 'pending' OR confirmed_at IS NOT NULL", name="reviewed"),
        CheckConstraint("mails_sent >= 0", name="mails_sent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(200))
    # The office folded (case, spaces): "Mayor" and " mayor " are one office.
    office_key: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200))
    state_id: Mapped[int] = mapped_column(ForeignKey("states.id"), index=True)
    party: Mapped[str] = mapped_column(String(200), default="")
    statement: Mapped[str] = mapped_column(Text)
    proof_url: Mapped[str] = mapped_column(String(500))
    email: Mapped[str] = mapped_column(String(254))
    email_canonical: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="en")
    review: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    review_reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[dt.datetime | None]
    is_suspect: Mapped[bool] = mapped_column(default=False)
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    mails_sent: Mapped[int] = mapped_column(default=0)
    last_mailed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None]

    state: Mapped[State] = relationship()

    def is_listed(self) -> bool:
        """Shown to the public: confirmed, verified, not withdrawn."""
        return (
            self.confirmed_at is not None
            and self.review == "verified"
            and self.withdrawn_at is None
        )


def office_key(office: str) -> str:
    """The office as the dedupe compares it: case folded, runs of spaces made one."""
    return " ".join(office.casefold().split())[:200]
