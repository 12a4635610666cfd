"""One batch of an import's rows: deduplicated by canonical address against the batch, the rows
met earlier in the file and the pledges held, then counted (a dry run) or written (a run)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from campaign.db import utcnow
from campaign.extensions import db
from campaign.pledges import counters
from campaign.pledges.import_mapping import CheckedRow
from campaign.pledges.import_models import (
    ImportedPledge,
    PledgeImport,
    PledgeImportAddress,
    PledgeImportNote,
)
from campaign.pledges.mail import queue_confirmation
from campaign.pledges.models import Pledge

Key = tuple[str, str]  # (kind, canonical address)


@dataclass
class Batch:
    """Rows read for one unit of work, and what came of them."""

    pledge_import: PledgeImport
    listed: int
    start_offset: int = 0
    end_offset: int = 0
    last_row: int = 0
    size: int = 0
    finished: bool = False
    rows: list[CheckedRow] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    notes: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.start_offset = self.end_offset = self.pledge_import.offset
        self.last_row = self.pledge_import.last_row

    def _read(self, line: int, offset: int) -> None:
        self.size += 1
        self.last_row, self.end_offset = line, offset

    def add(self, row: CheckedRow, offset: int) -> None:
        self._read(row.line, offset)
        self.rows.append(row)

    def refuse(self, line: int, reason: str, offset: int) -> None:
        self._read(line, offset)
        self.note(line, "refused", reason)

    def note(self, line: int, outcome: str, reason: str) -> None:
        """Count the outcome; keep the row's note while fewer than `listed` of it are kept."""
        before = getattr(self.pledge_import, outcome) + self.outcomes[outcome]
        self.outcomes[outcome] += 1
        if before < self.listed:
            self.notes.append(
                {
                    "import_id": self.pledge_import.id,
                    "phase": self.pledge_import.phase,
                    "outcome": outcome,
                    "line": line,
                    "reason": reason[:500],
                }
            )

    @property
    def created(self) -> int:
        return self.outcomes["created"]

    @property
    def merged(self) -> int:
        return self.outcomes["merged"]

    @property
    def refused(self) -> int:
        return self.outcomes["refused"]

    @property
    def mailed(self) -> int:
        return self.outcomes["mailed"]


def _same_as(line: int) -> str:
    return _("The same address as row %(row)s of this file.", row=line)


def _already() -> str:
    return _("Already pledged: nothing is changed.")


NEW = {
    "individual": _l("A new individual pledge."),
    "organisation": _l("A new organisation's pledge, to be moderated."),
}


def _table(model: type[Any]) -> Table:
    """The model's Core table: many rows in one statement, without the ORM's per-row work."""
    return cast(Table, model.__table__)


def _held(canonicals: set[str]) -> dict[Key, int]:
    """Pledges held now for these addresses: {(kind, canonical): pledge id}."""
    rows = db.session.execute(
        select(Pledge.kind, Pledge.email_canonical, Pledge.id).where(
            Pledge.email_canonical.in_(canonicals)
        )
    )
    return {(kind, canonical): pledge_id for kind, canonical, pledge_id in rows}


def _earlier_in_file(pledge_import: PledgeImport, held: dict[Key, int]) -> dict[Key, int]:
    """Of *held*, the rows of this file they came from (a dry run: the addresses it has met;
    a run: the pledges this import created)."""
    if pledge_import.phase == "dry_run":
        canonicals = {canonical for _kind, canonical in held}
        query = select(
            PledgeImportAddress.kind, PledgeImportAddress.email_canonical, PledgeImportAddress.line
        ).where(
            PledgeImportAddress.import_id == pledge_import.id,
            PledgeImportAddress.email_canonical.in_(canonicals),
        )
        return {(kind, canonical): line for kind, canonical, line in db.session.execute(query)}
    by_id = {pledge_id: key for key, pledge_id in held.items()}
    links = select(ImportedPledge.pledge_id, ImportedPledge.line).where(
        ImportedPledge.import_id == pledge_import.id, ImportedPledge.pledge_id.in_(by_id)
    )
    return {by_id[pledge_id]: line for pledge_id, line in db.session.execute(links)}


def _new_rows(batch: Batch) -> list[CheckedRow]:
    """The batch's rows that are new: each later repeat, and each address held, is merged."""
    canonicals = {row.canonical for row in batch.rows}
    held: dict[Key, int] = _held(canonicals) if canonicals else {}
    if batch.pledge_import.phase == "dry_run" and canonicals:
        # Addresses the dry run met in earlier batches count as held: nothing was written.
        held.update({(k, c): 0 for k, c in _seen(batch.pledge_import, canonicals)})
    earlier = _earlier_in_file(batch.pledge_import, held) if held else {}
    first: dict[Key, int] = {}
    new: list[CheckedRow] = []
    for row in batch.rows:
        key = (row.kind, row.canonical)
        if key in first:
            batch.note(row.line, "merged", _same_as(first[key]))
        elif key in earlier:
            batch.note(row.line, "merged", _same_as(earlier[key]))
        elif key in held:
            batch.note(row.line, "merged", _already())
        else:
            first[key] = row.line
            new.append(row)
    return new


def _seen(pledge_import: PledgeImport, canonicals: set[str]) -> list[Key]:
    query = select(PledgeImportAddress.kind, PledgeImportAddress.email_canonical).where(
        PledgeImportAddress.import_id == pledge_import.id,
        PledgeImportAddress.email_canonical.in_(canonicals),
    )
    return [(kind, canonical) for kind, canonical in db.session.execute(query)]


def apply_batch(batch: Batch, *, mail_cap: int) -> None:
    """Count (dry run) or create (run) the batch's new rows, with their notes."""
    new = _new_rows(batch)
    pledge_import = batch.pledge_import
    if pledge_import.phase == "dry_run":
        if new:
            db.session.execute(
                insert(_table(PledgeImportAddress)),
                [
                    {
                        "import_id": pledge_import.id,
                        "kind": r.kind,
                        "email_canonical": r.canonical,
                        "line": r.line,
                    }
                    for r in new
                ],
            )
        for row in new:
            batch.note(row.line, "created", str(NEW[row.kind]))
    else:
        if pledge_import.send_mail:
            room = max(0, mail_cap - pledge_import.mailed)
            for row in new[room:]:
                batch.note(
                    row.line,
                    "refused",
                    _("Over the limit of %(cap)s mails for one import.", cap=mail_cap),
                )
            new = new[:room]
        _create(batch, new)
    if batch.notes:
        db.session.execute(insert(_table(PledgeImportNote)), batch.notes)


def _create(batch: Batch, rows: list[CheckedRow]) -> None:
    """Insert the pledges (one statement), link them to the import, count or mail them."""
    if not rows:
        return
    pledge_import = batch.pledge_import
    mail, now = pledge_import.send_mail, utcnow()
    values = [_pledge_values(row, pledge_import, mail=mail, now=now) for row in rows]
    # One statement compiled once, its rows sent as many-values batches (Core, not the ORM's
    # bulk path): an address signed a moment ago conflicts and returns no row.
    table = _table(Pledge)
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["email_canonical", "kind"])
        .returning(table.c.id, table.c.kind, table.c.email_canonical)
    )
    inserted = db.session.execute(statement, values).all()
    ids = {(kind, canonical): pledge_id for pledge_id, kind, canonical in inserted}
    links, scopes = [], Counter[str]()
    for row in rows:
        pledge_id = ids.get((row.kind, row.canonical))
        if pledge_id is None:  # someone signed with this address a moment ago
            batch.note(row.line, "merged", _already())
            continue
        links.append({"pledge_id": pledge_id, "import_id": pledge_import.id, "line": row.line})
        batch.note(row.line, "created", str(NEW[row.kind]))
        if mail:
            queue_confirmation(
                pledge_id=pledge_id,
                email=row.values["email"],
                locale=pledge_import.locale,
                template="pledge_confirm",
                number=1,
            )
            batch.outcomes["mailed"] += 1
        elif row.kind == "individual":
            scopes[row.values["scope"]] += 1
    if links:
        db.session.execute(insert(_table(ImportedPledge)), links)
    # Inserted counted already (is_counted), so the counters move in the same unit of work.
    for scope, number in scopes.items():
        counters._add(scope, "individual", online=number)


def _pledge_values(
    row: CheckedRow, pledge_import: PledgeImport, *, mail: bool, now: Any
) -> dict[str, Any]:
    """The pledge's row. Without mail: confirmed on paper (an individual counted at once, an
    organisation waiting for moderation) and never subscribed, as nobody proved the address;
    wants_updates is stored False for that reason. With mail: unconfirmed, as a signed form."""
    values = {k: v for k, v in row.values.items() if k != "scope"}
    values.update(
        email_canonical=row.canonical,
        locale=pledge_import.locale,
        moderation="pending" if row.kind == "organisation" else None,
        moderation_reason="",
        source="import",
        is_suspect=False,
        created_at=now,
        confirmed_at=None if mail else now,
        is_counted=not mail and row.kind == "individual",
        mails_sent=1 if mail else 0,
        last_mailed_at=now if mail else None,
    )
    if not mail:
        values["wants_updates"] = False
    return values
