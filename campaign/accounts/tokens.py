"""Signed account links: one salt per purpose, bound to the password they were made against."""

from __future__ import annotations

from dataclasses import dataclass

from campaign.core.tokens import sign, unsign

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


def make_token(purpose: str, user_id: int, fingerprint: str) -> str:
    """A link token for *purpose*; it dies when the user's password (*fingerprint*) changes."""
    if purpose not in MAX_AGES:
        raise ValueError(f"Unknown token purpose {purpose!r}.")
    return sign(purpose, {"u": user_id, "f": fingerprint})


def read_token(purpose: str, token: str) -> TokenCheck | None:
    """What the token says; None when forged, tampered or made for another purpose."""
    signed = unsign(purpose, token, max_age=MAX_AGES[purpose], max_length=MAX_TOKEN_LENGTH)
    if signed is None:
        return None
    user_id, fingerprint = signed.id("u"), signed.payload.get("f")
    if user_id is None or not isinstance(fingerprint, str):
        return None
    return TokenCheck(user_id, fingerprint, signed.expired)
