"""The application class: Flask, with two answers it works out on every request kept instead.

Both were seen in the profile of a pledge (bench/README.md, 2026-12-07): Flask asks whether
each of a request's dozen hooks and its view is a coroutine function, and builds the session
cookie's serializer twice a request (itsdangerous still derives its key on every signature).
Neither answer changes while the process runs, so each is worked out once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

# More secret keys than a process ever sees: past it, what was kept is dropped.
KEPT_AT_MOST = 64


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie session, its serializer built once per secret key and fallbacks
    (the rest of what it is built from is the class's constants)."""

    def __init__(self) -> None:
        self.serializers: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        try:
            return self.serializers[keys]
        except KeyError:
            pass
        if len(self.serializers) >= KEPT_AT_MOST:
            self.serializers.clear()
        serializer = self.serializers[keys] = super().get_signing_serializer(app)
        return serializer


class CampaignFlask(Flask):
    """Flask, with each hook's synchronous form and the session serializer kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_interface = SignedCookieSessions()
        # Weakly: a callable made for one request (after_this_request's) goes with it. None
        # stands for "the callable itself", which as a value would keep its own key alive.
        self.synchronous: weakref.WeakKeyDictionary[
            Callable[..., Any], Callable[..., Any] | None
        ] = weakref.WeakKeyDictionary()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's own answer (an `async def` wrapped to run to its end), kept per callable."""
        try:
            kept = self.synchronous[func]
        except KeyError:
            pass
        except TypeError:  # neither hashable nor weakly referable: nothing to keep
            return super().ensure_sync(func)
        else:
            return func if kept is None else kept
        answer = super().ensure_sync(func)
        self.synchronous[func] = None if answer is func else answer
        return answer
