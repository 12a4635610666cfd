"""A few seconds' cache of whole public pages for anonymous readers, in front of Flask.

The busiest reads (the home page, a state page, the figures of the API) are the same bytes for
every reader without a cookie, and in a surge of readers most of them ask within the same few
seconds. Served from here, a repeat costs a dictionary look-up instead of a Flask request, two
SQL statements and a template. What may be served from here, and to whom, is narrow:

- only GET, only the paths in CACHEABLE, in any of the six languages, with no query string;
- only to a request without a Cookie header (a logged-in user, or anyone with a session and so
  possibly a flash message or a form token, always reaches the application), and without
  If-None-Match or If-Modified-Since (the application answers those with its own 304s);
- only a 200 without Set-Cookie is kept, without the rate limiter's per-client headers.

A figure shown from here is at most PUBLIC_CACHE_SECONDS old; zero turns the cache off.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from campaign.i18n import LANGUAGES

CACHEABLE = re.compile(
    r"^(?:/(?:" + "|".join(LANGUAGES) + r"))?(?:/|/states/[A-Z]{3}|/api/v1/stats|/api/v1/states)$"
)
# What makes one cached copy differ from another: the address as the client wrote it.
KEY_PARTS = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PREFIX",
    "SCRIPT_NAME",
    "PATH_INFO",
)
BYPASS = ("HTTP_COOKIE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_AUTHORIZATION")
PER_CLIENT_HEADERS = ("set-cookie", "retry-after")
MAX_ENTRIES = 2_000  # the Host header is the client's: never let it grow the cache unbounded

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class _Copy:
    at: float
    status: str
    headers: list[tuple[str, str]]
    body: bytes


class ResponseCache:
    """WSGI middleware: serve a fresh copy of a cacheable page, or fetch and keep one."""

    def __init__(
        self, app: WSGIApp, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.app = app
        self.seconds = seconds
        self.clock = clock
        self._copies: dict[tuple[str, ...], _Copy] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not self._cacheable(environ):
            return self.app(environ, start_response)
        key = tuple(str(environ.get(part, "")) for part in KEY_PARTS)
        copy = self._copies.get(key)
        if copy is not None and self.clock() - copy.at < self.seconds:
            start_response(copy.status, list(copy.headers))
            return [copy.body]
        status, headers, body = self._fetch(environ)
        if status.startswith("200 ") and not _has_header(headers, "set-cookie"):
            kept = [(n, v) for n, v in headers if not _per_client(n)]
            with self._lock:
                if len(self._copies) >= MAX_ENTRIES:
                    self._copies.clear()
                self._copies[key] = _Copy(self.clock(), status, kept, body)
        start_response(status, headers)
        return [body]

    def _cacheable(self, environ: dict[str, Any]) -> bool:
        return (
            self.seconds > 0
            and environ.get("REQUEST_METHOD") == "GET"
            and not environ.get("QUERY_STRING")
            and not any(environ.get(name) for name in BYPASS)
            and CACHEABLE.match(environ.get("PATH_INFO", "")) is not None
        )

    def _fetch(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer["status"], answer["headers"] = status, headers
            return lambda data: answer.setdefault("written", []).append(data)

        result = self.app(environ, capture)
        try:
            chunks = list(result)
            body = b"".join([*answer.get("written", []), *chunks])
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return answer["status"], list(answer["headers"]), body


def _has_header(headers: list[tuple[str, str]], name: str) -> bool:
    return any(header.lower() == name for header, _ in headers)


def _per_client(name: str) -> bool:
    lowered = name.lower()
    return lowered in PER_CLIENT_HEADERS or lowered.startswith("x-ratelimit")
