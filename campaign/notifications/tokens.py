"""Signed links for subscriptions: one salt per purpose, so a token works only where meant."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

CONFIRM = "subscription-confirm"
# Preferences and one-click unsubscribe: in every mail, so they never expire (RFC 8058 asks
# that an unsubscribe link keep working).
PREFERENCES = "subscription-preferences"
MAX_AGES: dict[str, int | None] = {CONFIRM: 7 * 24 * 3600, PREFERENCES: None}
MAX_TOKEN_LENGTH = 300


@dataclass(frozen=True)
class TokenCheck:
    """What a token said: the subscription id, and whether it had expired (id still trustworthy)."""

    subscription_id: int
    expired: bool = False


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(purpose: str, subscription_id: int) -> str:
    return str(_serializer(purpose).dumps({"s": subscription_id}))


def read_token(purpose: str, token: str) -> TokenCheck | None:
    """The subscription the token names; None when forged, tampered or made for another purpose."""
    if len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return None
    serializer = _serializer(purpose)
    try:
        payload, expired = serializer.loads(token, max_age=MAX_AGES[purpose]), False
    except SignatureExpired as error:
        try:  # the signature is good but old: its payload is still the encoded bytes
            payload, expired = serializer.load_payload(error.payload or b""), True
        except BadData:
            return None
    except BadData:
        return None
    subscription_id = payload.get("s") if isinstance(payload, dict) else None
    if not isinstance(subscription_id, int) or isinstance(subscription_id, bool):
        return None
    return TokenCheck(subscription_id, expired)
