"""A drawn request as bytes on the wire (the same for the test client and for real HTTP), and
as text for a failure message."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from tests.fuzz.strategies import FuzzRequest

BOUNDARY = "fuzzboundary7MA4YWxkTrZu0gW"
WRONG_TOKEN = "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.aaaa.bbbb"


@dataclass(frozen=True)
class Wire:
    method: str
    url: str  # path and query string, percent-encoded
    headers: dict[str, str]
    body: bytes | None


def _token(request: FuzzRequest, token: str) -> str | None:
    return {"valid": token, "wrong": WRONG_TOKEN}.get(request.csrf)


def _urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode()


def _multipart(request: FuzzRequest, pairs: list[tuple[str, str]]) -> bytes:
    out = bytearray()
    for name, text in pairs:
        out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += text.encode("utf-8", "surrogatepass") + b"\r\n"
    for upload in request.uploads:
        disposition = f'form-data; name="{upload.field}"; filename="{upload.filename}"'
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        if upload.content_type:
            out += f"Content-Type: {upload.content_type}\r\n".encode()
        out += b"\r\n" + upload.content + b"\r\n"
    out += f"--{BOUNDARY}--\r\n".encode()
    return bytes(out)


def to_wire(request: FuzzRequest, token: str) -> Wire:
    """*request* with *token* (the session's CSRF token) where its `csrf` says."""
    csrf = _token(request, token)
    headers = dict(request.headers)
    pairs = list(request.fields)
    if csrf is not None and request.body in ("form", "multipart"):
        pairs.insert(0, ("csrf_token", csrf))
    body: bytes | None = None
    if request.body == "form":
        body = _urlencoded(pairs)
        headers["Content-Type"] = request.content_type or "application/x-www-form-urlencoded"
    elif request.body == "multipart":
        body = _multipart(request, pairs)
        headers["Content-Type"] = f"multipart/form-data; boundary={BOUNDARY}"
    elif request.body == "raw":
        body = request.raw
        if csrf is not None:
            headers["X-CSRFToken"] = csrf
        if request.content_type is not None:
            headers["Content-Type"] = request.content_type
    elif request.route.method == "POST" and csrf is not None:
        headers["X-CSRFToken"] = csrf
    url = request.path + (f"?{request.query}" if request.query else "")
    return Wire(request.route.method, url, headers, body)


def _short(text: object, limit: int = 160) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else f"{shown[:limit]}... ({len(shown)} characters)"


def describe(request: FuzzRequest) -> str:
    """Method, path, query, form, uploads and headers, each value cut to a readable length."""
    lines = [
        f"{request.route.method} {_short(request.path, 400)}  (rule {request.route.rule})",
        f"  query: {_short(request.query, 400)}",
        f"  csrf: {request.csrf}; body: {request.body}; content type: {request.content_type!r}",
    ]
    lines += [f"  form {name!r} = {_short(text)}" for name, text in request.fields]
    lines += [
        f"  upload {u.field!r} {u.filename!r} ({u.content_type!r}): {_short(u.content)}"
        for u in request.uploads
    ]
    if request.body == "raw":
        lines.append(f"  raw body: {_short(request.raw)}")
    lines += [f"  header {name}: {_short(text)}" for name, text in request.headers]
    return "\n".join(lines)
