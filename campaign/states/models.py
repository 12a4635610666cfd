"""The treaty registry: each UN member state's status and the append-only history of changes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.organisations.models import Partnership

STATUSES = ("none", "signatory", "party")
METHODS = ("ratification", "accession")
# What a StatusChange records: one act of the state, or a coordinator's correction of an entry.
ACTS = ("signature", "ratification", "accession", "correction")
# The acts that move a state toward the Convention: what alerts and digests announce.
TREATY_ACTS = ("signature", "ratification", "accession")
# Who recorded a change: a logged-in user, the seed from the reference data, or the treaty sync.
RECORDED_VIA = ("user", "seed", "sync")
REGIONS = ("Africa", "America", "Asia", "Europe", "Oceania")


class State(Base):
    """A UN member state and where it stands toward the Convention."""

    __tablename__ = "states"
    __table_args__ = (
        CheckConstraint(in_list("status", STATUSES), name="status"),
        CheckConstraint(
            f"consent_method IS NULL OR {in_list('consent_method', METHODS)}", name="consent_method"
        ),
        CheckConstraint(
            "(status = 'party') = (consented_on IS NOT NULL AND consent_method IS NOT NULL)",
            name="party_has_consent",
        ),
        CheckConstraint("status <> 'signatory' OR signed_on IS NOT NULL", name="signatory_signed"),
        CheckConstraint(
            "consent_method <> 'ratification' OR signed_on IS NOT NULL", name="ratified_signed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), unique=True)
    iso2: Mapped[str] = mapped_column(String(2), unique=True)
    m49: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    un_name: Mapped[str] = mapped_column(String(120), unique=True)
    region: Mapped[str] = mapped_column(String(20), index=True)
    subregion: Mapped[str] = mapped_column(String(60))
    population: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(12), default="none", index=True)
    signed_on: Mapped[dt.date | None]
    consented_on: Mapped[dt.date | None]
    consent_method: Mapped[str | None] = mapped_column(String(12))
    is_priority: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    changes: Mapped[list[StatusChange]] = relationship(
        back_populates="state", order_by="StatusChange.effective_on, StatusChange.id"
    )
    partnerships: Mapped[list[Partnership]] = relationship(back_populates="state")

    def __repr__(self) -> str:
        return f"<State {self.iso3} {self.status}>"


class StatusChange(Base):
    """One recorded act or correction: never edited, never deleted."""

    __tablename__ = "status_changes"
    __table_args__ = (
        CheckConstraint(in_list("act", ACTS), name="act"),
        CheckConstraint(in_list("from_status", STATUSES), name="from_status"),
        CheckConstraint(in_list("to_status", STATUSES), name="to_status"),
        CheckConstraint(f"method IS NULL OR {in_list('method', METHODS)}", name="method"),
        CheckConstraint("(act = 'correction') = (corrects_id IS NOT NULL)", name="correction_link"),
        CheckConstraint("act = 'correction' OR NOT is_retraction", name="retraction_is_correction"),
        CheckConstraint("source <> ''", name="source_given"),
        CheckConstraint(in_list("recorded_via", RECORDED_VIA), name="recorded_via"),
        CheckConstraint("recorded_via <> 'user' OR recorded_by_id IS NOT NULL", name="user_named"),
        # Recording the same act twice is a no-op, enforced here as well as in the service.
        UniqueConstraint("state_id", "act", "to_status", "effective_on", name="same_act"),
        Index("ix_status_changes_recorded_at", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("states.id", ondelete="RESTRICT"), index=True)
    act: Mapped[str] = mapped_column(String(12))
    from_status: Mapped[str] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    method: Mapped[str | None] = mapped_column(String(12))
    effective_on: Mapped[dt.date]
    source: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_via: Mapped[str] = mapped_column(String(8), default="user")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A correction points at the act entry it corrects and holds that act's corrected values
    # (effective_on, method), or retracts it altogether.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id"))
    is_retraction: Mapped[bool] = mapped_column(default=False)

    state: Mapped[State] = relationship(back_populates="changes")
    recorded_by: Mapped[User | None] = relationship()
    corrects: Mapped[StatusChange | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<StatusChange {self.act} {self.from_status}->{self.to_status} {self.effective_on}>"
