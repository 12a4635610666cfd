"""The baselines, served by the same gunicorn settings as the app (`bench.baselines:<name>`).

- `bare_insert` (B1): a bare WSGI callable doing one INSERT per POST with psycopg.
- `flask_insert` (B2): a minimal Flask + SQLAlchemy endpoint doing the same.
- `static_pages`: a bare WSGI callable returning the bytes the app returned for each path.

The pledge baselines write to tables made `LIKE pledges INCLUDING ALL` (same columns,
defaults, checks and indexes), so an INSERT costs what the app's INSERT costs.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

B1_TABLE = "bench_pledges_b1"
B2_TABLE = "bench_pledges_b2"
REDIRECT = [("Location", "/pledge/check-your-email"), ("Content-Length", "0")]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
COLUMNS = (
    "kind, name, email, email_canonical, message, is_public, wants_updates, locale, "
    "moderation_reason, is_suspect, mails_sent, created_at, is_counted"
)


def _database_url() -> str:
    return os.environ["BENCH_DATABASE_URL"]


def _form(environ: dict[str, Any]) -> dict[str, str]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length).decode()
    return {key: values[0] for key, values in parse_qs(body).items()}


def _row(form: dict[str, str]) -> tuple[Any, ...]:
    email = form.get("email", "").strip().lower()
    now = dt.datetime.now(dt.UTC)
    name = form.get("name", "")
    return ("individual", name, email, email, "", False, False, "en", "", False, 1, now, False)


_connection: Any = None


def bare_insert(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """B1: parse the form, one INSERT, commit, redirect. One connection per worker process."""
    global _connection
    import psycopg

    if environ["REQUEST_METHOD"] != "POST":
        start_response("405 Method Not Allowed", [("Content-Length", "0")])
        return [b""]
    if _connection is None:
        _connection = psycopg.connect(_database_url().replace("+psycopg", ""))
    with _connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {B1_TABLE} ({COLUMNS}) VALUES "  # noqa: S608  (a constant)
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            _row(_form(environ)),
        )
    _connection.commit()
    start_response("302 Found", REDIRECT)
    return [b""]


def _flask_app() -> Any:
    from flask import Flask, redirect, request
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import Table

    app = Flask("bench_b2")
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url()
    db = SQLAlchemy(app)
    with app.app_context():
        table = Table(B2_TABLE, db.metadata, autoload_with=db.engine)

    class BenchPledge(db.Model):  # type: ignore[name-defined]
        __table__ = table

    @app.post("/pledge/individual")
    def sign() -> Any:
        values = dict(zip([c.strip() for c in COLUMNS.split(",")], _row(request.form), strict=True))
        db.session.add(BenchPledge(**values))
        db.session.commit()
        return redirect("/pledge/check-your-email")

    return app


def flask_insert(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """B2: the same INSERT through Flask, Flask-SQLAlchemy and the ORM."""
    global _flask
    if _flask is None:
        _flask = _flask_app()
    return _flask(environ, start_response)


_flask: Any = None
_pages: dict[str, tuple[str, list[tuple[str, str]], bytes]] | None = None


def load_pages(path: Path) -> dict[str, tuple[str, list[tuple[str, str]], bytes]]:
    """The recorded responses: path -> (status line, headers, body)."""
    raw = json.loads(path.read_text())
    return {
        url: (page["status"], [tuple(h) for h in page["headers"]], base64.b64decode(page["body"]))
        for url, page in raw.items()
    }


def static_pages(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The status-page baseline: the app's bytes for the path, with no work at all."""
    global _pages
    if _pages is None:
        _pages = load_pages(Path(os.environ["BENCH_PAGES"]))
    page = _pages.get(environ.get("PATH_INFO", ""))
    if page is None:
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    status, headers, body = page
    start_response(status, headers)
    return [body]
