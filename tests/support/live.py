"""The app served over real HTTP on loopback, in a thread, for end-to-end tests."""

from __future__ import annotations

import re
import threading

import requests
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class LiveServer:
    """A threaded WSGI server; `url` is where it listens."""

    def __init__(self, app: Flask, port: int) -> None:
        self.server: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def get_form(session: requests.Session, url: str) -> str:
    """GET a page with a form and return its CSRF token (the session keeps the cookie)."""
    response = session.get(url, timeout=30)
    assert response.status_code == 200, response.status_code
    return csrf_token(response.text)
