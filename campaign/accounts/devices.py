"""Known devices: a browser that has logged in to an account keeps a signed cookie naming it.

Logins are slowed per account (a growing delay, LOGIN_ACCOUNT_* settings) so that guesses
spread over many client addresses are slowed down too; the account's own browser, holding this
cookie, is not held back by them, so guessing wrong on purpose cannot keep a coordinator out. The
cookie names a digest of the account's address, never the address, and is http-only.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

COOKIE = "known_device"
SALT = "known-device"
MAX_ACCOUNTS = 5  # accounts remembered per browser (a shared office computer)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.config["SECRET_KEY"]), salt=SALT)


def _digest(account: str) -> str:
    return hashlib.sha256(account.encode()).hexdigest()[:24]


def _known() -> list[str]:
    value = request.cookies.get(COOKIE)
    if not value or len(value) > 1000:
        return []
    max_age = int(current_app.config["LOGIN_DEVICE_DAYS"]) * 86400
    try:
        digests = _serializer().loads(value, max_age=max_age)
    except BadSignature:
        return []
    return [d for d in digests if isinstance(d, str)] if isinstance(digests, list) else []


def is_known(account: str) -> bool:
    """Whether this browser has logged in to *account* (its matching key) before."""
    return _digest(account) in _known()


def remember(response: Response, account: str) -> None:
    digests = [d for d in _known() if d != _digest(account)]
    digests = [_digest(account), *digests][:MAX_ACCOUNTS]
    days = int(current_app.config["LOGIN_DEVICE_DAYS"])
    response.set_cookie(
        COOKIE,
        _serializer().dumps(digests),
        max_age=int(dt.timedelta(days=days).total_seconds()),
        path="/",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
