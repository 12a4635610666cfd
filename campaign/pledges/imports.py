"""Importing pledges from CSV: upload, mapping, the dry run and the run, one batch of rows at a
time from a byte offset (so memory does not grow with the file), discard. Nothing here commits:
the job commits after each batch, the views once per request."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, BinaryIO

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, update

from campaign.audit.services import record_event
from campaign.core import jobs
from campaign.core.after_commit import after_commit
from campaign.db import utcnow
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.pledges import import_files
from campaign.pledges.import_batch import Batch, apply_batch
from campaign.pledges.import_mapping import Countries, RowRefused, check_row
from campaign.pledges.import_models import PledgeImport, PledgeImportAddress, PledgeImportNote

if TYPE_CHECKING:
    from campaign.accounts.models import User

NAME_MAX = 200


class Superseded(Exception):
    """Another run of the job got further first: this batch must not be kept."""


def create_import(
    *, stream: BinaryIO, filename: str, actor: User | None, locale: str
) -> PledgeImport:
    """Store and check an upload (FileRefused says why not; nothing is kept then)."""
    config = current_app.config
    name, size = import_files.store_upload(stream, max_bytes=int(config["PLEDGE_IMPORT_MAX_BYTES"]))
    try:
        checked = import_files.check_file(
            name, max_columns=int(config["PLEDGE_IMPORT_MAX_COLUMNS"])
        )
    except BaseException:
        import_files.remove(name)
        raise
    pledge_import = PledgeImport(
        created_by=actor,
        stored_name=name,
        original_name=_display_name(filename),
        size_bytes=size,
        delimiter=checked.delimiter,
        header=checked.header,
        total_rows=checked.total_rows,
        data_offset=checked.data_offset,
        header_row=checked.header_row,
        locale=locale,
    )
    db.session.add(pledge_import)
    db.session.flush()
    _audit(actor, "pledge_import.uploaded", pledge_import, rows=checked.total_rows, bytes=size)
    return pledge_import


def _display_name(filename: str) -> str:
    """The upload's name, for the list only (never a path): printable, one line, short."""
    printable = "".join(c for c in filename if c.isprintable() and c not in "\u202e\u202d")
    return printable.strip()[:NAME_MAX] or "upload.csv"


def _audit(actor: User | None, action: str, pledge_import: PledgeImport, **after: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        entity_type="pledge_import",
        entity_id=pledge_import.id,
        after=after,
        actor_label=None if actor is not None else "worker",
    )


def _start(pledge_import: PledgeImport, phase: str, state: str) -> None:
    """Rewind to the first row and queue the job for *phase*."""
    pledge_import.phase, pledge_import.state = phase, state
    pledge_import.offset, pledge_import.last_row = (
        pledge_import.data_offset,
        pledge_import.header_row,
    )
    pledge_import.processed = pledge_import.created = pledge_import.merged = 0
    pledge_import.refused = pledge_import.mailed = 0
    pledge_import.error = ""
    db.session.execute(delete(PledgeImportNote).filter_by(import_id=pledge_import.id, phase=phase))
    db.session.execute(delete(PledgeImportAddress).filter_by(import_id=pledge_import.id))
    db.session.flush()
    jobs.enqueue(jobs.PLEDGE_IMPORT, pledge_import.id)


def check_with_mapping(*, pledge_import: PledgeImport, mapping: dict[str, Any]) -> None:
    """Keep the mapping and start the dry run (again, if the mapping changed)."""
    if pledge_import.state not in ("uploaded", "checked", "failed"):
        raise DomainError(_("This import cannot be changed now."))
    pledge_import.mapping = mapping
    pledge_import.dry_created = pledge_import.dry_merged = pledge_import.dry_refused = None
    _start(pledge_import, "dry_run", "checking")


def start_run(*, pledge_import: PledgeImport, send_mail: bool, locale: str, actor: User) -> None:
    """Create the pledges the dry run announced, in the worker; mail them only if chosen."""
    if pledge_import.state != "checked":
        raise DomainError(_("Run the dry run first; then the import can run."))
    cap = int(current_app.config["PLEDGE_IMPORT_MAIL_CAP"])
    if send_mail and (pledge_import.dry_created or 0) > cap:
        raise DomainError(
            _(
                "One import may mail at most %(cap)s people. Split the file, or import without "
                "mail.",
                cap=cap,
            )
        )
    pledge_import.send_mail, pledge_import.locale = send_mail, locale
    _start(pledge_import, "run", "running")
    _audit(
        actor,
        "pledge_import.run",
        pledge_import,
        send_mail=send_mail,
        dry_created=pledge_import.dry_created,
        dry_merged=pledge_import.dry_merged,
        dry_refused=pledge_import.dry_refused,
    )


def resume(*, pledge_import: PledgeImport) -> None:
    """Start a failed job again from the last batch it committed."""
    if pledge_import.state != "failed" or pledge_import.phase is None:
        raise DomainError(_("This import cannot be changed now."))
    pledge_import.state = "checking" if pledge_import.phase == "dry_run" else "running"
    pledge_import.error = ""
    jobs.enqueue(jobs.PLEDGE_IMPORT, pledge_import.id)


def discard(*, pledge_import: PledgeImport, actor: User) -> None:
    """Give the import up: its file is removed after commit; pledges it created stay."""
    if not pledge_import.can_discard:
        raise DomainError(_("This import cannot be changed now."))
    pledge_import.state = "discarded"
    pledge_import.finished_at = utcnow()
    db.session.execute(delete(PledgeImportAddress).filter_by(import_id=pledge_import.id))
    _remove_after_commit(pledge_import.stored_name)
    _audit(actor, "pledge_import.discarded", pledge_import, **counts(pledge_import))


def _remove_after_commit(stored_name: str) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def remove() -> None:
        with app.app_context():
            import_files.remove(stored_name)

    after_commit(remove)


def counts(pledge_import: PledgeImport) -> dict[str, int]:
    return {
        "processed": pledge_import.processed,
        "created": pledge_import.created,
        "merged": pledge_import.merged,
        "refused": pledge_import.refused,
        "mailed": pledge_import.mailed,
    }


def work_batch(import_id: int) -> bool:
    """Read, check and (in a run) write the next batch of rows; True while rows remain."""
    pledge_import = db.session.get(PledgeImport, import_id, populate_existing=True)
    if pledge_import is None or not pledge_import.is_working or pledge_import.mapping is None:
        return False
    size = int(current_app.config["PLEDGE_IMPORT_BATCH_ROWS"])
    with force_locale(pledge_import.locale):
        batch = Batch(pledge_import, listed=int(current_app.config["PLEDGE_IMPORT_LISTED"]))
        rows = _rows(pledge_import)
        try:
            _read_batch(batch, rows, pledge_import, size)
        finally:
            rows.close()
        apply_batch(batch, mail_cap=int(current_app.config["PLEDGE_IMPORT_MAIL_CAP"]))
    _advance(pledge_import, batch)
    if batch.finished:
        _finish(pledge_import)
    return not batch.finished


def _read_batch(
    batch: Batch,
    rows: Generator[tuple[int, list[str], int]],
    pledge_import: PledgeImport,
    size: int,
) -> None:
    """Check up to *size* rows with the pledge forms; the batch is finished at the file's end."""
    countries = Countries.load()
    mapping, width = pledge_import.mapping or {}, len(pledge_import.header)
    for line, cells, offset in rows:
        try:
            batch.add(
                check_row(line, cells, mapping=mapping, width=width, countries=countries), offset
            )
        except RowRefused as refusal:
            batch.refuse(line, str(refusal), offset)
        if batch.size >= size:
            return
    batch.finished = True


def _rows(pledge_import: PledgeImport) -> Generator[tuple[int, list[str], int]]:
    return import_files.read_rows(
        pledge_import.stored_name,
        delimiter=pledge_import.delimiter,
        offset=pledge_import.offset,
        row_number=pledge_import.last_row,
    )


def _advance(pledge_import: PledgeImport, batch: Batch) -> None:
    """Move the import's position and counts on, only from where this batch started: a second
    run of the job that got there first makes this one Superseded (and rolled back)."""
    moved = db.session.execute(
        update(PledgeImport)
        .where(
            PledgeImport.id == pledge_import.id,
            PledgeImport.offset == batch.start_offset,
            PledgeImport.phase == pledge_import.phase,
            PledgeImport.state == pledge_import.state,
        )
        .values(
            offset=batch.end_offset,
            last_row=batch.last_row,
            processed=PledgeImport.processed + batch.size,
            created=PledgeImport.created + batch.created,
            merged=PledgeImport.merged + batch.merged,
            refused=PledgeImport.refused + batch.refused,
            mailed=PledgeImport.mailed + batch.mailed,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Superseded(pledge_import.id)
    db.session.refresh(pledge_import)


def _finish(pledge_import: PledgeImport) -> None:
    db.session.execute(delete(PledgeImportAddress).filter_by(import_id=pledge_import.id))
    if pledge_import.phase == "dry_run":
        pledge_import.state = "checked"
        pledge_import.dry_created = pledge_import.created
        pledge_import.dry_merged = pledge_import.merged
        pledge_import.dry_refused = pledge_import.refused
        return
    pledge_import.state = "done"
    pledge_import.finished_at = utcnow()
    _remove_after_commit(pledge_import.stored_name)
    _audit(None, "pledge_import.finished", pledge_import, **counts(pledge_import))


def fail(*, import_id: int, message: str) -> None:
    """The job cannot go on: say why on the import's page (it can be started again)."""
    pledge_import = db.session.get(PledgeImport, import_id)
    if pledge_import is not None and pledge_import.is_working:
        pledge_import.state = "failed"
        pledge_import.error = message[:2000]
