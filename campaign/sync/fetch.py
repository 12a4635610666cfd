"""Getting the status document: over HTTP with conditional requests, or from a file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import requests

from campaign.db import utcnow

USER_AGENT = "mwc-campaign-treaty-sync/1 (status of UN Treaty Collection chapter IV-13)"
MAX_BYTES = 5_000_000  # the real document is well under 100 kB


class FetchError(Exception):
    """The document could not be had; *transient* when trying again later may help."""

    def __init__(self, message: str, *, status: int | None = None, transient: bool = False):
        super().__init__(message)
        self.status = status
        self.transient = transient


@dataclass(frozen=True)
class Fetched:
    """What came back: the body (None for 304 Not Modified) and the validators to send next."""

    source: str
    fetched_at: dt.datetime
    content: bytes | None
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch_url(
    url: str,
    *,
    timeout: float,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Fetched:
    """GET *url*, conditionally when validators from the last good run are given."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/xml, text/xml;q=0.9"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    fetched_at = utcnow()
    try:
        with requests.get(url, headers=headers, timeout=timeout, stream=True) as response:
            content = None if response.status_code == 304 else _body(response, max_bytes)
    except requests.Timeout:
        raise FetchError(f"No answer from {url} within {timeout:g} s.", transient=True) from None
    except requests.RequestException as error:
        raise FetchError(f"Could not reach {url}: {error}", transient=True) from None
    _check_status(url, response.status_code, sent_validators=bool(etag or last_modified))
    return Fetched(
        source=url,
        fetched_at=fetched_at,
        content=content,
        status=response.status_code,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )


def read_file(path: Path) -> Fetched:
    """The document from a file, as a coordinator passes it to `flask states sync --file`."""
    fetched_at = utcnow()
    try:
        content = path.read_bytes()
    except OSError as error:
        raise FetchError(f"Could not read {path}: {error.strerror or error}.") from None
    return Fetched(source=str(path), fetched_at=fetched_at, content=content)


def _body(response: requests.Response, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"The document is larger than {max_bytes} bytes: refused.")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_status(url: str, status: int, *, sent_validators: bool) -> None:
    if status == 200 or (status == 304 and sent_validators):
        return
    if status == 304:
        raise FetchError(
            f"{url} answered 304 Not Modified to an unconditional request.", status=304
        )
    raise FetchError(
        f"{url} answered HTTP {status}; the status document was not read.",
        status=status,
        transient=status >= 500 or status == 429,
    )
