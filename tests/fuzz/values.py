"""The values a fuzzed request is made of: hostile strings, and plausible ones of each kind."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

# Strings that have broken web applications somewhere: numbers out of range or not ASCII,
# paths, line breaks, NUL, direction controls, astral characters, markup, formulas.
NASTY: tuple[str, ...] = (
    "",
    " ",
    "0",
    "-1",
    "00",
    "01",
    "1.5",
    "1e9999",
    "NaN",
    "inf",
    "0x1F",
    " 7 ",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    "99999999999999999999",
    "9" * 400,
    "²",
    "١٢٣",
    "１２",
    "߁",
    "Ⅻ",
    "..%2f..%2fetc%2fpasswd",
    "../../../etc/passwd",
    "/\\evil.example",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "line\r\nbreak",
    "Set-Cookie: x=1\r\n\r\n",
    "tab\there",
    "nul\x00byte",
    "\x00",
    "\x7f\x1b[31m",
    "\u202eevil\u202c",
    "\u2066isolate\u2069",
    "\u200f\u200e\u200b",
    "\ufeff",
    "مرحبا بالعالم",
    "עברית",
    "中文名字",
    "𝕄𝕚𝕘𝕣𝕒𝕟𝕥",
    "😀👩‍👩‍👧",
    "\U0010fffd",
    "İı ß ﬀ",
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "=1+1",
    "+1",
    "-2+3",
    "@SUM(A1)",
    '=HYPERLINK("http://evil.example")',
    "'; DROP TABLE users; --",
    "%",
    "%00",
    "%ff%fe",
    "%s%s%n",
    "{0}{1}",
    "{{7*7}}",
    "%(name)s",
    "null",
    "true",
    "[]",
    "{}",
    "a" * 255,
    "x" * 5_000,
    "é" * 70_000,
)

DATES: tuple[str, ...] = (
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2026-02-30",
    "2024-02-29",
    "2023-02-29",
    "2026-13-01",
    "1990-12-18",
    "2003-07-01",
    "1899-12-31",
    "9000-12-31",
    "9001-01-01",
    "20260101",
    "2026-1-1",
    "2026-01-01T00:00:00",
    "-0001-01-01",
    "+10000-01-01",
    "２０２６-０１-０１",
)
NUMBERS: tuple[str, ...] = ("1", "2", "3", "10", "50", "100000", "100001", "0", "-5", "1000000")
COUNTRIES: tuple[str, ...] = ("MEX", "NPL", "USA", "ZWE", "BRA", "mex", "ZZZ", "XKX", "---", "")
EMAILS: tuple[str, ...] = (
    "someone@example.org",
    "alpha.partner@example.org",
    "coordinator@example.org",
    "admin@example.org",
    "contact@kafaa.example.org",
    "Someone@Example.ORG",
    "a@b",
    "x@localhost",
    "ünicode@exämple.org",
    "a" * 250 + "@example.org",
    "two@@example.org",
    "nobody@example.org\r\nBcc: victim@example.org",
)
WORDS: tuple[str, ...] = (
    "Alpha Workers Centre",
    "A letter to the Senate",
    "Migrant Forum Lanka",
    "https://example.org",
    "http://",
    "correct horse battery staple",
    "short",
    "lead",
    "member",
    "chair",
    "party",
    "signatory",
    "none",
    "weekly",
    "monthly",
    "all",
    "followed",
    "withdraw",
    "erase",
    "stop-updates",
    "unsubscribe",
    "approve",
    "reject",
    "open",
    "done",
    "ngo",
    "en",
    "fr",
    "ar",
    "zh",
    "asc",
    "desc",
    "due",
    "state",
    "updated",
    "y",
    "on",
    "1",
)
BOOLEANS: tuple[str, ...] = ("y", "1", "on", "true", "false", "0", "no", "")


def today_ish() -> tuple[str, ...]:
    today = dt.date.today()
    return tuple((today + dt.timedelta(days=days)).isoformat() for days in (-400, -1, 0, 30))


def nasty() -> st.SearchStrategy[str]:
    """A hostile string from the list, random text (any character a URL can carry), or a
    plausible word with a control character in it (PostgreSQL refuses a NUL anywhere)."""
    text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
    control = st.sampled_from(("\x00",) * 5 + ("\x01", "\x1f", "\x7f", "\x85", "\r\n"))
    spiked = st.tuples(st.sampled_from(WORDS), control).map(
        lambda pair: pair[0][:2] + pair[1] + pair[0][2:]
    )
    return st.one_of(st.sampled_from(NASTY), text, spiked, spiked)


def plausible(
    kind: str, choices: tuple[str, ...] = (), real: tuple[str, ...] = ()
) -> st.SearchStrategy[str]:
    """A value a browser might send for a field or argument of *kind*."""
    pools = {
        "date": DATES + today_ish(),
        "number": NUMBERS + real,
        "boolean": BOOLEANS,
        "email": EMAILS,
        "choice": choices + COUNTRIES + real + WORDS,
        "text": WORDS + real,
    }
    pool = pools.get(kind, WORDS) + choices
    return st.sampled_from(pool)


def value(
    kind: str = "text", choices: tuple[str, ...] = (), real: tuple[str, ...] = ()
) -> st.SearchStrategy[str]:
    """Plausible or hostile, half and half."""
    return st.one_of(plausible(kind, choices, real), nasty())
