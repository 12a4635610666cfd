"""Hypothesis strategies that draw a whole request to one of the application's routes.

A request is a route of the URL map with its path filled (real ids, ISO3 codes and tokens
from the world, or hostile values), a query string (the arguments the views read, and
others), headers, and for a POST a body: the fields of a form the view reads (a random
subset, sometimes repeated, plausible or hostile values), JSON, raw bytes, an empty
multipart body or a CSV upload. Most POSTs carry the session's valid CSRF token, so that
validation is reached; some carry none or a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from hypothesis import strategies as st

from tests.fuzz.bodies import Upload, bodies
from tests.fuzz.catalogue import Route, query_names
from tests.fuzz.harvest import Baseline
from tests.fuzz.values import COUNTRIES, DATES, NASTY, NUMBERS, nasty, value

Pairs = tuple[tuple[str, str], ...]
# Segments sent as they are (already percent-encoded): traversal, NUL, bytes not UTF-8.
RAW_SEGMENTS = ("..%2f..%2f", "%2e%2e", "%00", "%ff%fe", "%c0%ae", "a%0d%0ab", "%E2%80%AE", "%25")
LANGUAGE_PREFIXES = ("", "", "", "", "/fr", "/ar", "/zh", "/ru", "/es", "/en", "/xx")
HEADERS: dict[str, tuple[str, ...]] = {
    "Accept-Language": (
        "*",
        "zz",
        "ar",
        "ar-EG,ar;q=0.9,en;q=0.1",
        "en;q=abc",
        "fr;q=1e999",
        "ru;q=NaN",
        "es;q=-1",
        ",,,;;;",
        "zh-Hant-TW",
        "i-klingon",
        "x" * 4000,
        "\xff\xfe",
    ),
    "If-None-Match": ("*", '"abc"', 'W/"x"', "garbage", '"' + "a" * 4000 + '"', "", ",,"),
    "If-Modified-Since": (
        "garbage",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 32 Foo 2026 25:61:61 GMT",
    ),
    "Accept": ("application/json", "*/*", "text/html;q=garbage", "text/csv", ""),
    "Range": ("bytes=0-1", "bytes=garbage", "bytes=99999999999999999999-"),
    "Referer": ("https://evil.example/", "null", "\xe9\xe8"),
    "Origin": ("null", "https://evil.example"),
    "User-Agent": ("", "Mozilla/5.0", "\x7f" * 10),
    "X-CSRFToken": ("garbage", ""),
    "Authorization": ("Basic Zm9vOmJhcg==", "Bearer x"),
    "X-Forwarded-For": ("1.2.3.4", "garbage, ::1"),
    "X-Fuzz-Huge": ("h" * 20_000,),
}


@dataclass(frozen=True)
class FuzzRequest:
    """One request, whole: the CSRF token is filled in when it is sent."""

    route: Route
    path: str  # percent-encoded, with the language prefix
    query: str  # percent-encoded, without "?"
    headers: Pairs = ()
    body: str = "none"  # none, form, multipart, json, raw
    fields: Pairs = ()
    uploads: tuple[Upload, ...] = ()
    raw: bytes = b""
    content_type: str | None = None
    csrf: str = "valid"  # valid, missing, wrong
    notes: tuple[str, ...] = field(default=())


def _quote(text: str) -> str:
    return quote(text, safe="")


@st.composite
def _segment(draw: st.DrawFn, name: str, converter: str, real: Sequence[str]) -> str:
    if converter == "IdConverter":
        hostile = st.sampled_from(("0", "-1", "01", "99999999999999999999", str(2**63), "１"))
    else:
        hostile = nasty()
    choice = draw(st.sampled_from(("real", "real", "real", "other", "hostile", "raw")))
    if choice == "raw":
        return draw(st.sampled_from(RAW_SEGMENTS))
    if choice == "hostile" or not real:
        return _quote(draw(hostile)) or "x"
    pool = real if choice == "real" else [*real, *NUMBERS, *COUNTRIES]
    return _quote(draw(st.sampled_from(list(pool)))) or "x"


def _path(draw: st.DrawFn, route: Route, values: Callable[[Route, str], Sequence[str]]) -> str:
    path = route.rule
    for name, converter in route.arguments:
        placeholder = f"<int:{name}>" if converter == "IdConverter" else f"<{name}>"
        path = path.replace(placeholder, draw(_segment(name, converter, values(route, name))), 1)
    return draw(st.sampled_from(LANGUAGE_PREFIXES)) + path


@st.composite
def query_strings(draw: st.DrawFn, real: Sequence[str] = (), own: Sequence[str] = ()) -> str:
    """Arguments the route's view reads (*own*), others the application reads, stray ones."""
    names = st.one_of(
        *([st.sampled_from(list(own))] * 8 if own else []),
        st.sampled_from(query_names()),
        st.sampled_from(("x", "", "page[]", "é")),
    )
    values = st.one_of(st.sampled_from((*DATES, *NUMBERS, *COUNTRIES, *real)), value(), st.just(""))
    pairs = draw(st.lists(st.tuples(names, values), min_size=1 if own else 0, max_size=4))
    parts = [f"{_quote(name)}={_quote(text)}" for name, text in pairs]
    if draw(st.integers(0, 9)) == 0:
        parts.append(draw(st.sampled_from(("page=%ff", "%00=1", "a", "=", "&&", "page=%B2"))))
    return "&".join(parts)


@st.composite
def headers(draw: st.DrawFn) -> Pairs:
    names = draw(st.lists(st.sampled_from(sorted(HEADERS)), max_size=3, unique=True))
    return tuple((name, draw(st.sampled_from(HEADERS[name]))) for name in names)


@st.composite
def requests(
    draw: st.DrawFn,
    routes: Sequence[Route],
    values: Callable[[Route, str], Sequence[str]],
    real: Sequence[str] = (),
    baselines: Mapping[str, Baseline] | None = None,
) -> FuzzRequest:
    """A request to one of *routes*; *values(route, argument)* gives real path values, *real*
    real ids and codes for fields and query arguments, *baselines* the forms the pages show
    (by route key)."""
    route = draw(st.sampled_from(_weighted(routes)))
    query = draw(query_strings(real, route.query_names)) if draw(st.integers(0, 9)) > 2 else ""
    extra: dict[str, object] = {}
    if route.method == "POST" or draw(st.integers(0, 19)) == 0:
        extra = draw(bodies(route, real, (baselines or {}).get(route.key)))
    csrf = draw(st.sampled_from(("valid",) * 8 + ("missing", "wrong")))
    return FuzzRequest(
        route=route,
        path=_path(draw, route, values),
        query=query,
        headers=draw(headers()) if draw(st.integers(0, 2)) == 0 else (),
        csrf=csrf,
        **extra,  # type: ignore[arg-type]
    )


# Input is parsed in POSTs and in GETs that read query arguments; HEAD and OPTIONS answer
# alike for every route.
METHOD_WEIGHTS = {"POST": 6, "GET": 3, "HEAD": 1, "OPTIONS": 1}


def _weight(route: Route) -> int:
    reads_query = route.method == "GET" and route.query_names
    return METHOD_WEIGHTS.get(route.method, 1) + (3 if reads_query else 0)


def _weighted(routes: Sequence[Route]) -> list[Route]:
    return [route for route in routes for _ in range(_weight(route))]


def plain_request(route: Route, values: Callable[[Route, str], Sequence[str]]) -> FuzzRequest:
    """The request a browser would send to *route* with real path values and no input."""
    path = route.rule
    for name, converter in route.arguments:
        placeholder = f"<int:{name}>" if converter == "IdConverter" else f"<{name}>"
        real = values(route, name)
        path = path.replace(placeholder, _quote(real[0]) if real else "x", 1)
    body = "form" if route.method == "POST" else "none"
    return FuzzRequest(route=route, path=path, query="", body=body)


__all__ = ["NASTY", "FuzzRequest", "Upload", "plain_request", "requests"]
