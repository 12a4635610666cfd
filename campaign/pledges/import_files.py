"""Pledge import files on disk: stored under a random name, checked in one pass, read back row
by row from a byte offset. Nothing here holds more than one row (and one 64 KiB chunk) at once.
"""

from __future__ import annotations

import csv
import re
import secrets
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

CHUNK_BYTES = 64 * 1024
# A row (physical lines included, for quoted line breaks) longer than this cannot be read: it
# bounds what one row costs, whatever the file holds.
MAX_ROW_BYTES = 1024 * 1024
DELIMITERS = ",;\t"
HEADER_NAME_MAX = 100
BOM = b"\xef\xbb\xbf"
STORED_NAME = re.compile(r"[0-9a-f]{32}\.csv")


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why, for the coordinator."""


@dataclass(frozen=True)
class CheckedFile:
    delimiter: str
    header: list[str]
    total_rows: int
    data_offset: int  # where the first row after the header starts
    header_row: int  # the header's row number (blank rows above it are skipped)


def import_dir() -> Path:
    path = Path(current_app.config["PLEDGE_IMPORT_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(stored_name: str) -> Path:
    """The stored file of an import; its name is ours (hex), never the uploaded one."""
    if not STORED_NAME.fullmatch(stored_name):
        raise ValueError("not a stored import file name")
    return import_dir() / stored_name


def remove(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)


def store_upload(stream: IO[bytes], *, max_bytes: int) -> tuple[str, int]:
    """Copy the upload to instance/imports/ in chunks; its stored name and size. Over
    *max_bytes*, nothing is kept and FileRefused says so."""
    name = secrets.token_hex(16) + ".csv"
    path = path_of(name)
    size = 0
    try:
        with path.open("xb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise FileRefused(too_large(max_bytes))
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return name, size


def too_large(max_bytes: int) -> str:
    return _("The file is larger than %(size)s MB.", size=round(max_bytes / (1024 * 1024), 1))


def _refuse_encoding(head: bytes) -> None:
    if not head.strip(BOM + b" \r\n\t"):
        raise FileRefused(_("The file is empty."))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(_("The file is UTF-16 text. Save it as CSV UTF-8 and upload it again."))
    if b"\x00" in head:
        raise FileRefused(_("This is not a CSV file (it holds binary data)."))


def sniff_delimiter(sample: str) -> str:
    """The delimiter the csv module's Sniffer finds among , ; and tab; with one column (or a
    sample it cannot read), the one most frequent on the first line, or a comma."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


class RowReader:
    """Rows of a stored file from a byte offset, each with the offset just after it."""

    def __init__(self, handle: IO[bytes], *, offset: int, row_number: int) -> None:
        handle.seek(offset)
        self.handle = handle
        self.position = offset
        self.row_start = offset
        self.row_number = row_number  # the spreadsheet's row number of the last row read

    def _lines(self) -> Iterator[str]:
        while raw := self.handle.readline(MAX_ROW_BYTES + 1):
            if self.position == 0 and raw.startswith(BOM):
                raw = raw[len(BOM) :]
                self.position = self.row_start = len(BOM)
            self.position += len(raw)
            if self.position - self.row_start > MAX_ROW_BYTES:
                raise FileRefused(self._unreadable(_("it is longer than 1 MB")))
            if b"\x00" in raw:
                raise FileRefused(_("This is not a CSV file (it holds binary data)."))
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise FileRefused(self._not_utf8()) from None

    def _not_utf8(self) -> str:
        return _(
            "Row %(row)s is not UTF-8 text. Save the file as CSV UTF-8 and upload it again.",
            row=self.row_number + 1,
        )

    def _unreadable(self, why: str) -> str:
        return _("Row %(row)s cannot be read: %(why)s.", row=self.row_number + 1, why=why)

    def rows(self, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells) for each row that is not blank; self.position is after it."""
        reader = csv.reader(self._lines(), delimiter=delimiter, strict=True)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # a cell over the field limit, or quotes that do not match
                raise FileRefused(self._unreadable(_explain(error))) from None
            self.row_number += 1
            self.row_start = self.position
            if any(cell.strip() for cell in cells):
                yield self.row_number, cells


def _explain(error: csv.Error) -> str:
    text = str(error)
    if "field limit" in text:
        return _(
            "a cell is longer than the limit of %(limit)s characters", limit=csv.field_size_limit()
        )
    if "expected" in text or "EOF" in text or "quote" in text:
        return _("its quotes do not match")
    return _("it is not well-formed CSV")


def check_file(stored_name: str, *, max_columns: int) -> CheckedFile:
    """Read the whole file once: UTF-8 (a BOM allowed), its delimiter, a header and at least
    one row, no row wider than *max_columns*. FileRefused says what is wrong and where."""
    path = path_of(stored_name)
    with path.open("rb") as handle:
        head = handle.read(CHUNK_BYTES)
        _refuse_encoding(head)
        sample = head.removeprefix(BOM)
        if len(head) == CHUNK_BYTES and b"\n" in sample:
            sample = sample[: sample.rindex(b"\n")]
        delimiter = sniff_delimiter(sample.decode("utf-8", errors="ignore"))
        reader = RowReader(handle, offset=0, row_number=0)
        header: list[str] | None = None
        data_offset, header_row, total = 0, 1, 0
        for row, cells in reader.rows(delimiter):
            if len(cells) > max_columns:
                raise FileRefused(
                    _(
                        "Row %(row)s has %(count)s columns; at most %(limit)s are read.",
                        row=row,
                        count=len(cells),
                        limit=max_columns,
                    )
                )
            if header is None:
                header = [_header_name(cell, index) for index, cell in enumerate(cells)]
                data_offset, header_row = reader.position, row
            else:
                total += 1
    if header is None:
        raise FileRefused(_("The file is empty."))
    if total == 0:
        raise FileRefused(_("The file has a header but no rows."))
    return CheckedFile(delimiter, header, total, data_offset, header_row)


def _header_name(cell: str, index: int) -> str:
    name = " ".join(cell.split())[:HEADER_NAME_MAX]
    return name or _("(column %(number)s)", number=index + 1)


def read_rows(
    stored_name: str, *, delimiter: str, offset: int, row_number: int
) -> Generator[tuple[int, list[str], int]]:
    """(row number, cells, offset after the row) from *offset*, the file closed at the end."""
    with path_of(stored_name).open("rb") as handle:
        reader = RowReader(handle, offset=offset, row_number=row_number)
        for row, cells in reader.rows(delimiter):
            yield row, cells, reader.position
