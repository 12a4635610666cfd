"""Signed links for pledges: one salt per purpose, so a token works only where it was meant."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

CONFIRM = "pledge-confirm"
MANAGE = "pledge-manage"
CONFIRM_MAX_AGE = 7 * 24 * 3600
# Manage links sit in every mail a supporter keeps, so they last as long as the pledge.
MAX_AGES = {CONFIRM: CONFIRM_MAX_AGE, MANAGE: None}


@dataclass(frozen=True)
class TokenCheck:
    """What a token said: the pledge id, and whether it had expired (id still trustworthy)."""

    pledge_id: int
    expired: bool = False


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(purpose: str, pledge_id: int) -> str:
    return _serializer(purpose).dumps({"p": pledge_id})


def read_token(purpose: str, token: str) -> TokenCheck | None:
    """The pledge the token names; None when forged, tampered or made for another purpose."""
    if len(token) > 500:
        return None
    serializer = _serializer(purpose)
    try:
        payload = serializer.loads(token, max_age=MAX_AGES[purpose])
        expired = False
    except SignatureExpired as error:
        # The signature is good but old; the error carries the payload still encoded.
        if error.payload is None:
            return None
        try:
            payload, expired = serializer.load_payload(error.payload), True
        except BadData:
            return None
    except BadData:
        return None
    pledge_id = payload.get("p") if isinstance(payload, dict) else None
    if not isinstance(pledge_id, int):
        return None
    return TokenCheck(pledge_id, expired)
