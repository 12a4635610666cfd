"""Signed link tokens (itsdangerous): one salt per purpose, so a token works only where meant.

Each domain names its purposes and what its payload holds (`campaign/pledges/tokens.py`,
`campaign/accounts/tokens.py`, `campaign/notifications/tokens.py`); the signing and the
checking live here once.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer

# itsdangerous tries zlib on every payload and keeps the result when it is 2 bytes shorter.
# It never is for a payload this short: zlib's header and checksum are 6 bytes, and a deflate
# stream holding 2 bytes or more is at least 4 (block header, a literal, a match or a second
# literal, end of block), so 10 in all, where 11 bytes would need 9.
NEVER_SHORTER = 11


@dataclass(frozen=True)
class Signed:
    """A payload whose signature is good; *expired* when it is older than allowed."""

    payload: dict[str, Any]
    expired: bool = False

    def id(self, key: str) -> int | None:
        """The integer under *key*, or None (type() rather than isinstance(): True is an int)."""
        value = self.payload.get(key)
        return value if type(value) is int else None


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return _made(str(current_app.config["SECRET_KEY"]), purpose)


class LinkSerializer(URLSafeTimedSerializer):
    """itsdangerous's URL-safe timed serializer, the same tokens, without the zlib attempt a
    short payload never gains from (a subscriber's `{"s":12345}`): that attempt was most of
    the cost of signing a digest's links."""

    def dump_payload(self, obj: Any) -> bytes:
        """As URLSafeSerializerMixin.dump_payload: base64 of the JSON, or of its zlib
        compression (marked by a leading dot) when that is 2 bytes shorter."""
        payload = Serializer.dump_payload(self, obj)
        if len(payload) > NEVER_SHORTER:
            compressed = zlib.compress(payload)
            if len(compressed) < len(payload) - 1:
                return b"." + base64_encode(compressed)
        return base64_encode(payload)


@lru_cache(maxsize=64)
def _made(secret: str, purpose: str) -> URLSafeTimedSerializer:
    """One serializer per secret and purpose, kept: a digest signs a link per subscriber."""
    return LinkSerializer(secret, salt=purpose)


def sign(purpose: str, payload: dict[str, Any]) -> str:
    return str(_serializer(purpose).dumps(payload))


def unsign(purpose: str, token: str, *, max_age: int | None, max_length: int) -> Signed | None:
    """What the token says; None when it is forged, tampered, too long or made for another
    purpose. An expired token still says whose it was, so that a page can offer a new one."""
    if len(token) > max_length or not token.isascii():
        return None
    serializer = _serializer(purpose)
    try:
        payload, expired = serializer.loads(token, max_age=max_age), False
    except SignatureExpired as error:
        try:  # the signature is good but old: its payload is still the encoded bytes
            payload, expired = serializer.load_payload(error.payload or b""), True
        except BadData:
            return None
    except BadData:
        return None
    if not isinstance(payload, dict):
        return None
    return Signed(payload, expired)
