"""Signed links for subscriptions: one salt per purpose, so a token works only where meant."""

from __future__ import annotations

from dataclasses import dataclass

from campaign.core.tokens import sign, unsign

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


def make_token(purpose: str, subscription_id: int) -> str:
    return sign(purpose, {"s": subscription_id})


def read_token(purpose: str, token: str) -> TokenCheck | None:
    """The subscription the token names; None when forged, tampered or made for another purpose."""
    signed = unsign(purpose, token, max_age=MAX_AGES[purpose], max_length=MAX_TOKEN_LENGTH)
    subscription_id = signed.id("s") if signed else None
    if signed is None or subscription_id is None:
        return None
    return TokenCheck(subscription_id, signed.expired)
