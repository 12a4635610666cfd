"""Helpers for the treaty-sync tests: the snapshots, crafted documents, the registry's state."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from campaign.db import utcnow
from campaign.extensions import db
from campaign.states.models import State, StatusChange
from campaign.states.services import correct_status_change
from campaign.sync import services
from campaign.sync.fetch import Fetched
from campaign.sync.models import ProposedChange
from tests.factories import state
from tests.support.rows import count

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIFTY_NINE = (FIXTURES / "untc_IV-13_59_parties.en.xml").read_bytes()
SIXTY = (FIXTURES / "untc_IV-13_60_parties.en.xml").read_bytes()
URL = "https://treaties.un.org/doc/Publication/MTDSG/Volume%20I/Chapter%20IV/IV-13.en.xml"
ROW = re.compile(rb"\s*<Row><Entry>[^\n]*</Row>")


def sync_bytes(
    content: bytes, settings: services.SyncSettings | None = None, **options: Any
) -> services.SyncReport:
    """Run the sync on *content* as if fetched from the depositary just now."""
    fetched = Fetched(source=URL, fetched_at=utcnow(), content=content, status=200)
    return services.sync_fetched(
        fetched=fetched, settings=settings or services.SyncSettings(), **options
    )


def registry() -> tuple[object, ...]:
    """Everything the sync must leave alone when it refuses: statuses, history, proposals."""
    db.session.expire_all()
    statuses = db.session.execute(
        select(
            State.iso3, State.status, State.signed_on, State.consented_on, State.consent_method
        ).order_by(State.iso3)
    ).all()
    return (tuple(statuses), count(StatusChange), count(ProposedChange))


def row(name: str, signature: str = "", consent: str = "", *, cells: int = 3) -> str:
    """One participant row as the depositary writes it; *cells* other than 3 to break it."""
    entries = [name, signature, consent, "x"][:cells]
    return "<Row>" + "".join(f"<Entry>{entry}</Entry>" for entry in entries) + "</Row>"


def with_row(content: bytes, row: str) -> bytes:
    """*content* with one more participant row, before the end of the table."""
    encoded = row.encode("iso-8859-1")
    return content.replace(
        b"\n            </Rows>", b"\n              " + encoded + b"\n            </Rows>"
    )


def replace_row(content: bytes, name: str, row: str) -> bytes:
    """*content* with the row of participant *name* replaced by *row*."""
    pattern = re.compile(
        rb"<Row><Entry>" + re.escape(name.encode("iso-8859-1")) + rb"</Entry>.*</Row>"
    )
    replaced, count = pattern.subn(row.encode("iso-8859-1"), content, count=1)
    assert count == 1, name
    return replaced


def first_rows(content: bytes, keep: int) -> bytes:
    """*content* with only its first *keep* participant rows."""
    rows = ROW.findall(content.split(b"<Rows>", 1)[1])
    kept = b"".join(rows[:keep])
    head, rest = content.split(b"<Rows>", 1)
    return head + b"<Rows>" + kept + b"\n            </Rows>" + rest.split(b"</Rows>", 1)[1]


def retire_zimbabwe() -> State:
    """A registry that lacks Zimbabwe's accession, without deleting any history.

    The seeded Zimbabwe's accession is retracted and that row renamed out of the way; a fresh
    State stands for Zimbabwe with no act (re-recording the retracted act on the old row is
    refused by the same-act rule, which is right for the registry but not this test).
    """
    old = state("ZWE")
    [accession] = old.changes
    correct_status_change(
        change=accession, source="Test set-up", recorded_by=None, via="sync", retract=True
    )
    old.iso3, old.iso2, old.m49 = "ZZW", "ZZ", "999"
    old.name = old.un_name = "Retired test entry"
    db.session.flush()
    fresh = State(
        iso3="ZWE",
        iso2="ZW",
        m49="716",
        name="Zimbabwe",
        un_name="Zimbabwe",
        region="Africa",
        subregion="Eastern Africa",
    )
    db.session.add(fresh)
    db.session.commit()
    return fresh
