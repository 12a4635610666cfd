"""Reading the UN Treaty Collection status document: participants, dates and their type letters.

The parser knows one shape (see shared/data/README.md) and refuses anything else with a
ParseError whose message a coordinator can act on. What the type letters mean here:

| column      | letter | depositary's meaning           | recorded as                       |
| ----------- | ------ | ------------------------------ | --------------------------------- |
| signature   | none   | signature                      | signature                         |
| signature   | d      | succession to signature        | signature                         |
| consent     | none   | ratification                   | ratification                      |
| consent     | A, AA  | acceptance, approval           | ratification (same legal effect)  |
| consent     | a      | accession                      | accession                         |
| consent     | d, c   | succession, consent to be bound| nothing: a conflict for a human   |

A date in square brackets, or a participant's name in square brackets (the depositary's mark
of a withdrawal), is read but never counts as an act in force. Any other letter is refused.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError as XMLSyntaxError
from defusedxml.ElementTree import fromstring

from campaign.states.treaty import ADOPTED_ON

EXPECTED_ENCODING = codecs.lookup("ISO-8859-1").name
TABLE_PATH = "Participants/Table/TGroup"  # below the one Treaty element
MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
SIGNATURE_LETTERS = frozenset({"", "d"})
CONSENT_LETTERS = frozenset({"", "a", "d", "A", "AA", "c"})
INSTRUMENTS = {
    "": "ratification",
    "A": "acceptance",
    "AA": "approval",
    "a": "accession",
    "d": "succession",
    "c": "consent to be bound",
}
# The registry's method for each consent letter; None: the registry cannot record it.
CONSENT_METHODS: dict[str, str | None] = {
    "": "ratification",
    "A": "ratification",
    "AA": "ratification",
    "a": "accession",
    "d": None,
    "c": None,
}

_BLANK = "[ \t\u00a0]"  # the document pads with spaces, tabs and no-break spaces
_DATE = re.compile(
    rf"(?P<open>\[)?{_BLANK}*(?P<day>[0-9]{{1,2}}){_BLANK}+(?P<month>[A-Z][a-z]{{2}}){_BLANK}+"
    rf"(?P<year>[0-9]{{4}}){_BLANK}*(?P<letter>AA|A|a|c|d)?{_BLANK}*(?P<close>\])?"
)
_FOOTNOTE = re.compile(r"<superscript>.*?</superscript>", re.IGNORECASE | re.DOTALL)
_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")


class ParseError(Exception):
    """The document is not the status document this parser knows; the message says why."""


@dataclass(frozen=True)
class DateCell:
    """One dated entry: the date, the type letter after it ('' for none), square brackets."""

    on: dt.date
    letter: str = ""
    bracketed: bool = False


@dataclass(frozen=True)
class Participant:
    """One row of the participant table."""

    name: str
    signature: DateCell | None
    consent: DateCell | None
    withdrawn: bool = False

    @property
    def signed_on(self) -> dt.date | None:
        """The signature in force, if any."""
        cell = self.signature
        return cell.on if cell and not (cell.bracketed or self.withdrawn) else None

    @property
    def consent_in_force(self) -> DateCell | None:
        cell = self.consent
        return cell if cell and not (cell.bracketed or self.withdrawn) else None


def parse_date(text: str, *, latest: dt.date | None = None) -> DateCell | None:
    """One date cell such as ' 5 Jun\\t 2007 a'; None when empty; ParseError otherwise."""
    value = text.strip(" \t\n\r\u00a0")
    if not value:
        return None
    match = _DATE.fullmatch(value)
    if match is None or bool(match["open"]) != bool(match["close"]):
        raise ParseError(f"{value!r} is not a date in the form '5 Jun 2007' with a known letter.")
    if match["month"] not in MONTHS:
        raise ParseError(f"{value!r} has an unknown month {match['month']!r}.")
    try:
        on = dt.date(int(match["year"]), MONTHS[match["month"]], int(match["day"]))
    except ValueError:
        raise ParseError(f"{value!r} is not a date in the calendar.") from None
    latest = latest or dt.datetime.now(dt.UTC).date()
    if not ADOPTED_ON <= on <= latest:
        raise ParseError(
            f"{value!r} is outside the Convention's life ({ADOPTED_ON.isoformat()} to today)."
        )
    return DateCell(on=on, letter=match["letter"] or "", bracketed=bool(match["open"]))


def parse_document(content: bytes) -> list[Participant]:
    """The participants of the status document; ParseError when its shape is not the known one."""
    _refuse_html(content)
    _check_encoding(content)
    root = _parse_xml(content)
    if root.tag.lower() == "html":
        raise ParseError(_HTML_MESSAGE)
    treaties = root.findall("Treaty")
    if len(treaties) != 1:
        raise ParseError(f"Expected one Treaty element below the root, found {len(treaties)}.")
    group = treaties[0].find(TABLE_PATH)
    if group is None:
        raise ParseError("The document has no participant table (Treaty/Participants/Table).")
    _check_headings(group)
    rows = group.findall("Tbody/Rows/Row")
    if not rows:
        raise ParseError("The participant table has no rows.")
    return [_participant(number, row) for number, row in enumerate(rows, 1)]


_HTML_MESSAGE = (
    "The source sent an HTML page, not the status document: the site may be down for "
    "maintenance. Nothing was proposed; the next run will try again."
)


def _refuse_html(content: bytes) -> None:
    start = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        raise ParseError(_HTML_MESSAGE)


def _check_encoding(content: bytes) -> None:
    first_line = content.lstrip(b" \t\r\n")[:200]
    match = _DECLARATION.match(first_line)
    if match is None:
        raise ParseError("The document does not declare its encoding; ISO-8859-1 was expected.")
    declared = match.group(1).decode("ascii", "replace")
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        raise ParseError(f"The document declares an unknown encoding {declared!r}.") from None
    if name != EXPECTED_ENCODING:
        raise ParseError(f"The document declares encoding {declared!r}; ISO-8859-1 was expected.")


def _parse_xml(content: bytes) -> Element:
    try:
        return fromstring(content)
    except XMLSyntaxError as error:
        raise ParseError(
            f"The document is not well-formed XML (truncated or damaged?): {error}."
        ) from None
    except DefusedXmlException as error:
        raise ParseError(f"The document uses XML features that are refused: {error}.") from None


def _check_headings(group: Element) -> None:
    if group.get("Cols", "3") != "3":
        raise ParseError(f"The participant table has {group.get('Cols')} columns, not 3.")
    heads = group.findall("Thead/Row")
    if len(heads) != 1:
        raise ParseError("The participant table has no single heading row (Thead/Row).")
    headings = [_text(entry).lower() for entry in heads[0].findall("Entry")]
    if len(headings) != 3:
        raise ParseError(f"The participant table has {len(headings)} column headings, not 3.")
    expected = ("participant", "signature", "ratification")
    if not all(word in heading for word, heading in zip(expected, headings, strict=True)):
        raise ParseError(f"Unexpected column headings {headings}: the columns may have moved.")


def _participant(number: int, row: Element) -> Participant:
    entries = row.findall("Entry")
    if len(entries) != 3:
        raise ParseError(f"Row {number} has {len(entries)} cells, not 3.")
    raw_name, signature, consent = (_text(entry) for entry in entries)
    name, withdrawn = _name(number, raw_name)
    where = f"Row {number} ({name})"
    try:
        return Participant(
            name=name,
            signature=_cell(signature, SIGNATURE_LETTERS),
            consent=_cell(consent, CONSENT_LETTERS),
            withdrawn=withdrawn,
        )
    except ParseError as error:
        raise ParseError(f"{where}: {error}") from None


def _name(number: int, raw: str) -> tuple[str, bool]:
    name = " ".join(raw.split())
    withdrawn = name.startswith("[") and name.endswith("]")
    name = name.strip("[] ") if withdrawn else name
    if not name or any(char in name for char in "<>[]"):
        raise ParseError(f"Row {number} has no readable participant name: {raw!r}.")
    return name, withdrawn


def _cell(text: str, letters: frozenset[str]) -> DateCell | None:
    cell = parse_date(text)
    if cell is not None and cell.letter not in letters:
        raise ParseError(f"the letter {cell.letter!r} does not belong in this column.")
    return cell


def _text(entry: Element) -> str:
    """The cell's text with footnote markers (escaped markup in the document) removed."""
    return _FOOTNOTE.sub("", "".join(entry.itertext()))
