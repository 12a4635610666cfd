"""Signed account links: one salt per purpose, bound to the password they were made against."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

INVITE = "account-invite"
RESET = "password-reset"
MAX_AGES = {INVITE: 7 * 24 * 3600, RESET: 3600}
MAX_TOKEN_LENGTH = 500


@dataclass(frozen=True)
class TokenCheck:
    """What a good signature said: whose link, made against which password, and if it expired."""

    user_id: int
    fingerprint: str
    expired: bool = False


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(purpose: str, user_id: int, fingerprint: str) -> str:
    """A link token for *purpose*; it dies when the user's password (*fingerprint*) changes."""
    if purpose not in MAX_AGES:
        raise ValueError(f"Unknown token purpose {purpose!r}.")
    return _serializer(purpose).dumps({"u": user_id, "f": fingerprint})


def read_token(purpose: str, token: str) -> TokenCheck | None:
    """What the token says; None when forged, tampered or made for another purpose."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    serializer = _serializer(purpose)
    try:
        payload, expired = serializer.loads(token, max_age=MAX_AGES[purpose]), False
    except SignatureExpired as error:
        # The signature is good but old: still say whose it was, so the page can help.
        if error.payload is None:
            return None
        try:
            payload, expired = serializer.load_payload(error.payload), True
        except BadData:
            return None
    except BadData:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, fingerprint = payload.get("u"), payload.get("f")
    # type() rather than isinstance(): True is an int too, and names no user.
    if type(user_id) is not int or not isinstance(fingerprint, str):
        return None
    return TokenCheck(user_id, fingerprint, expired)
