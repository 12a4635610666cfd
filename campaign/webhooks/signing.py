"""Endpoint secrets (derived, never stored), the signature header, and checking one.

Secret storage. A new endpoint (or "rotate secret") gets 32 random bytes from `secrets`, kept
as `secret_salt`; the secret itself is HMAC-SHA256(WEBHOOK_SECRET_KEY, salt), shown once and
derived again by the worker whenever it signs. Nothing that signs is in the database: a dump
of it, a backup or the audit log cannot forge a delivery. WEBHOOK_SECRET_KEY defaults to
SECRET_KEY; changing it changes every endpoint's secret (rotate each one and hand the new
secrets over), so set it of its own when SECRET_KEY may need to change.

The header is `X-Campaign-Signature: t=<unix seconds>,v1=<hex>`, where hex is
HMAC-SHA256(secret, "<t>.<body>") over the exact body bytes. `verify_signature` is what a
receiver runs (it needs only the standard library: partners may copy it as it is).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from flask import current_app

SECRET_PREFIX = "whsec_"  # noqa: S105  (a prefix, not a password)
# A receiver refuses a signature whose timestamp is further than this from its own clock.
TOLERANCE_SECONDS = 300


def new_salt() -> str:
    """A fresh random salt: a new secret."""
    return secrets.token_hex(32)


def endpoint_secret(salt: str, key: str | None = None) -> str:
    """The secret of the endpoint whose salt is *salt* (*key*: WEBHOOK_SECRET_KEY)."""
    if key is None:
        key = current_app.config.get("WEBHOOK_SECRET_KEY") or current_app.config["SECRET_KEY"]
    if not key:
        raise RuntimeError("Webhook secrets need SECRET_KEY (or WEBHOOK_SECRET_KEY).")
    digest = hmac.new(key.encode(), b"campaign.webhooks.secret:" + salt.encode(), hashlib.sha256)
    return SECRET_PREFIX + digest.hexdigest()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of "<timestamp>.<body>" with *secret*."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


class InvalidSignature(ValueError):
    """The delivery is not from the campaign, was altered, or is a replay."""


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> int:
    """Check an `X-Campaign-Signature` header against the raw *body*; its timestamp if good.

    Raises InvalidSignature when the header is malformed, the signature does not match, or
    the timestamp is more than *tolerance* seconds from *now* (a replayed old delivery).
    A receiver should also keep the `X-Campaign-Delivery` ids it has handled for a while and
    ignore one it has seen: a redelivery or a retry carries the same id.
    """
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        raise InvalidSignature("no timestamp in the signature header") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise InvalidSignature("the timestamp is too old (or in the future): a replay?")
    expected = signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, given) for given in fields.get("v1", [])):
        raise InvalidSignature("the signature does not match")
    return timestamp
