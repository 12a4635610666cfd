"""The status-document parser: the known shape is read, every other shape is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.sync.parser import (
    ADOPTED_ON,
    CONSENT_LETTERS,
    MONTHS,
    DateCell,
    ParseError,
    parse_date,
    parse_document,
)
from tests.sync.support import FIFTY_NINE, SIXTY, first_rows, replace_row, row, with_row

MONTH_NAMES = {number: name for name, number in MONTHS.items()}
LETTERS = sorted(CONSENT_LETTERS)
# The autouse rollback fixture is function-scoped but does nothing for these app-less tests.
quick = settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_the_sixty_party_snapshot_is_read_whole() -> None:
    participants = parse_document(SIXTY)
    assert len(participants) == 71
    by_name = {p.name: p for p in participants}
    assert by_name["Albania"].consent == DateCell(dt.date(2007, 6, 5), "a")
    assert by_name["Albania"].signature is None
    assert by_name["Argentina"].signature == DateCell(dt.date(2004, 8, 10))
    assert by_name["Argentina"].consent == DateCell(dt.date(2007, 2, 23))
    assert by_name["Zimbabwe"].consent == DateCell(dt.date(2024, 11, 5), "a")
    # The footnote marker is gone from the name; the succession to signature is kept.
    assert by_name["Montenegro"].signature == DateCell(dt.date(2006, 10, 23), "d")
    assert "Côte d'Ivoire" in by_name and "Türkiye" in by_name


def test_the_fifty_nine_party_snapshot_lacks_only_zimbabwe() -> None:
    names = {p.name for p in parse_document(FIFTY_NINE)}
    assert {p.name for p in parse_document(SIXTY)} - names == {"Zimbabwe"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 5 Jun\t 2007 a", DateCell(dt.date(2007, 6, 5), "a")),
        ("23 Oct\t 2006 d", DateCell(dt.date(2006, 10, 23), "d")),
        ("24 Aug\t 2011", DateCell(dt.date(2011, 8, 24))),
        ("1 Jul 2003 A", DateCell(dt.date(2003, 7, 1), "A")),
        ("1 Jul 2003 AA", DateCell(dt.date(2003, 7, 1), "AA")),
        ("1 Jul 2003 c", DateCell(dt.date(2003, 7, 1), "c")),
        ("[ 1 Jul\t 2003 a]", DateCell(dt.date(2003, 7, 1), "a", bracketed=True)),
        ("", None),
        (" \t ", None),
    ],
)
def test_date_forms(text: str, expected: DateCell | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "5 June 2007",
        "5 jun 2007",
        "31 Feb 2007",
        "5 Jun 07",
        "5 Jun 2007 x",
        "5 Jun 2007 aa",
        "[5 Jun 2007",
        "5 Jun 2007]",
        "2007-06-05",
        "5 Jun 1989",
        "5 Jun 2999",
        "٥ Jun 2007",
        "5 Jun 2007 a a",
    ],
)
def test_date_garbage_is_refused(text: str) -> None:
    with pytest.raises(ParseError):
        parse_date(text)


@quick
@given(
    on=st.dates(min_value=ADOPTED_ON, max_value=dt.date.today()),
    letter=st.sampled_from(LETTERS),
    padded=st.booleans(),
    gap=st.sampled_from([" ", "\t", "\t ", " \t ", "\u00a0"]),
    before_letter=st.sampled_from(["", " ", "\t"]),
    bracketed=st.booleans(),
    outside=st.sampled_from(["", " ", "\t", "\n  "]),
)
def test_every_date_the_format_allows_is_read(
    on: dt.date,
    letter: str,
    padded: bool,
    gap: str,
    before_letter: str,
    bracketed: bool,
    outside: str,
) -> None:
    day = f"{on.day:2d}" if padded else str(on.day)
    text = f"{day} {MONTH_NAMES[on.month]}{gap}{on.year}"
    if letter:
        text += (before_letter or " ") + letter
    if bracketed:
        text = f"[{text}]"
    assert parse_date(outside + text + outside) == DateCell(on, letter, bracketed)


@quick
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789 \t\u00a0[]aAdcxJanFebSepOctDecMay-/.", max_size=24),
        st.from_regex(r"\A\[?\s?[0-9]{1,3} [A-Z][a-z]{2}\s+[0-9]{3,5}\s?[aAdcx]{0,3}\]?\Z"),
    )
)
def test_date_garbage_raises_only_its_own_exception(text: str) -> None:
    try:
        cell = parse_date(text)
    except ParseError:
        return
    # Whatever was accepted is a real date of the Convention's life with a known letter.
    assert cell is None or (cell.on >= ADOPTED_ON and cell.letter in CONSENT_LETTERS)


@quick
@given(st.binary(max_size=400))
def test_document_garbage_raises_only_parse_error(content: bytes) -> None:
    for candidate in (content, b'<?xml version="1.0" encoding="ISO-8859-1"?>' + content):
        with pytest.raises(ParseError):
            parse_document(candidate)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<!DOCTYPE html><html><body>Down for maintenance</body></html>", "HTML page"),
        (b"\n  <html><head><title>Service Unavailable</title></head></html>", "HTML page"),
        (SIXTY[: len(SIXTY) // 2], "not well-formed"),
        (SIXTY.replace(b"</Rows>", b"</Rowz>"), "not well-formed"),
        (SIXTY.replace(b' encoding="ISO-8859-1"', b""), "does not declare its encoding"),
        (SIXTY.split(b"?>", 1)[1], "does not declare its encoding"),
        (SIXTY.replace(b"ISO-8859-1", b"x-klingon"), "unknown encoding"),
        (SIXTY.replace(b"ISO-8859-1", b"UTF-8"), "ISO-8859-1 was expected"),
        (SIXTY.replace(b'Cols="3"', b'Cols="4"'), "4 columns"),
        (
            replace_row(SIXTY, "Albania", row("Albania", " 5 Jun\t 2007 a", cells=2)),
            "Row 1 has 2 cells",
        ),
        (
            with_row(SIXTY, row("Brazil", cells=4)),
            "has 4 cells",
        ),
        (
            SIXTY.replace(
                b"<Entry>Participant</Entry>", b"<Entry>Participant</Entry><Entry>Notes</Entry>"
            ),
            "4 column headings",
        ),
        (
            SIXTY.replace(b"<Entry>Participant</Entry>", b"<Entry>Signature</Entry>"),
            "Unexpected column headings",
        ),
        (
            replace_row(
                SIXTY,
                "Albania",
                row("Albania", "", " 5 Jun\t 2007 x"),
            ),
            r"Row 1 \(Albania\): .* known letter",
        ),
        (
            replace_row(
                SIXTY,
                "Albania",
                row("Albania", " 5 Jun\t 2007 a"),
            ),
            "does not belong in this column",
        ),
        (first_rows(SIXTY, 0), "no rows"),
        (
            SIXTY.replace(b"<Participants>", b"<Parts>").replace(b"</Participants>", b"</Parts>"),
            "no participant table",
        ),
        (
            b'<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
            "refused",
        ),
    ],
)
def test_unknown_shapes_are_refused_with_a_clear_message(content: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_document(content)


def test_a_bracketed_name_is_a_withdrawal_and_a_bracketed_date_not_in_force() -> None:
    content = replace_row(
        SIXTY,
        "Albania",
        row("[Albania]", "", " 5 Jun\t 2007 a"),
    )
    content = replace_row(
        content,
        "Algeria",
        row("Algeria", "", "[21 Apr\t 2005 a]"),
    )
    by_name = {p.name: p for p in parse_document(content)}
    assert by_name["Albania"].withdrawn and by_name["Albania"].consent_in_force is None
    assert by_name["Algeria"].consent is not None and by_name["Algeria"].consent.bracketed
    assert by_name["Algeria"].consent_in_force is None
