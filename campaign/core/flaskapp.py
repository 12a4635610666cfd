"""The application class: Flask, with two answers it works out on every request kept instead.

Both were seen in the profile of a pledge (bench/README.md, 2026-12-07): Flask asks whether
each of a request's dozen hooks and its view is a coroutine function, and builds the session
cookie's serializer (and its key derivation) twice a request. Neither answer changes while the
process runs, so each is worked out once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

# More callables than an app registers: past it, what was kept is dropped and worked out again.
KEPT_AT_MOST = 4096


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie session, its serializer built once per secret key and fallbacks."""

    def __init__(self) -> None:
        self.serializers: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self.serializers:
            if len(self.serializers) >= KEPT_AT_MOST:
                self.serializers.clear()
            self.serializers[keys] = super().get_signing_serializer(app)
        return self.serializers[keys]


class CampaignFlask(Flask):
    """Flask, with each hook's synchronous form and the session serializer kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_interface = SignedCookieSessions()
        self.synchronous: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's own answer (an `async def` wrapped to run to its end), kept per callable."""
        try:
            return self.synchronous[func]
        except KeyError:
            pass
        except TypeError:  # not hashable: nothing to keep
            return super().ensure_sync(func)
        if len(self.synchronous) >= KEPT_AT_MOST:
            self.synchronous.clear()
        answer = self.synchronous[func] = super().ensure_sync(func)
        return answer
