"""A role's browser over real HTTP for `make fuzz`, and the server-side record of what raised."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import requests
from flask import Flask, got_request_exception

from campaign.accounts.models import User
from tests.fuzz.runner import HTML, Answer
from tests.fuzz.strategies import FuzzRequest
from tests.fuzz.wire import Wire
from tests.support.auth import PASSWORD
from tests.support.live import get_form


class StreamErrors:
    """Tracebacks of what the app raised: in a view (Flask's signal) and while a streamed
    body was being sent (after Flask has answered 200, so only the WSGI layer sees it)."""

    def __init__(self, app: Flask) -> None:
        self.lock = threading.Lock()
        self.errors: list[str] = []
        inner = app.wsgi_app
        app.wsgi_app = self._wrap(inner)  # type: ignore[method-assign]
        got_request_exception.connect(self._record_signal, app, weak=False)

    def _record_signal(self, sender: Any, exception: BaseException, **_: Any) -> None:
        self._add("".join(traceback.format_exception(exception)))

    def _add(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def take(self) -> list[str]:
        with self.lock:
            errors, self.errors = self.errors, []
        return errors

    def _wrap(self, inner: Callable[..., Iterable[bytes]]) -> Callable[..., Iterator[bytes]]:
        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
            body = inner(environ, start_response)
            try:
                yield from body
            except Exception:
                self._add("while streaming the body:\n" + traceback.format_exc())
                raise
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()

        return app


class HttpVisitor:
    """requests.Session as one role's browser; logged in through the login form."""

    def __init__(self, app: Flask, base: str, user: User | None, errors: StreamErrors) -> None:
        self.app, self.base, self.user, self.errors = app, base, user, errors
        self._fresh()

    def _fresh(self) -> None:
        self.session = requests.Session()
        if self.user is not None:
            token = get_form(self.session, self.base + "/account/login")
            response = self.session.post(
                self.base + "/account/login",
                data={"csrf_token": token, "email": self.user.email, "password": PASSWORD},
                allow_redirects=False,
                timeout=60,
            )
            assert response.status_code == 302, response.status_code
        self._token = get_form(self.session, self.base + "/pledge/individual")

    def token(self) -> str:
        return self._token

    def page(self, url: str) -> str:
        response = self.session.get(self.base + url, timeout=60)
        mimetype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return response.text if mimetype in HTML else ""  # no forms in a PDF or a CSV

    def send(self, wire: Wire) -> Answer:
        self.errors.take()
        status, broken = 0, ""
        try:
            response = self.session.request(
                wire.method,
                self.base + wire.url,
                headers=wire.headers,
                data=wire.body,
                allow_redirects=False,
                timeout=120,
            )
            status = response.status_code
        except requests.ConnectionError as error:  # the server broke off a streamed body
            broken = f"the connection broke: {type(error).__name__}: {error}"
        raised = self.errors.take() + ([broken] if broken else [])
        if raised and status < 500:
            status = 599  # raised while streaming: the 200 was a lie, the body is cut off
        return Answer(status, "\n".join(raised))

    def settle(self, request: FuzzRequest) -> None:
        # Accepting the invitation (or a reset link) logs its user in: start again as the role.
        if not request.route.endpoint.startswith("accounts."):
            return
        cookie = self.session.cookies.get(self.app.config["SESSION_COOKIE_NAME"])
        serializer = self.app.session_interface.get_signing_serializer(self.app)  # type: ignore[attr-defined]
        data = serializer.loads(cookie) if cookie and serializer is not None else {}
        if data.get("_user_id") != (str(self.user.id) if self.user else None):
            self._fresh()
