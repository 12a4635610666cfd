"""Signed links for pledges: one salt per purpose, so a token works only where it was meant."""

from __future__ import annotations

from dataclasses import dataclass

from campaign.core.tokens import sign, unsign

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


def make_token(purpose: str, pledge_id: int) -> str:
    return sign(purpose, {"p": pledge_id})


def read_token(purpose: str, token: str) -> TokenCheck | None:
    """The pledge the token names; None when forged, tampered or made for another purpose."""
    signed = unsign(purpose, token, max_age=MAX_AGES[purpose], max_length=500)
    pledge_id = signed.id("p") if signed else None
    if signed is None or pledge_id is None:
        return None
    return TokenCheck(pledge_id, signed.expired)
