"""Signed links for endorsements: their own purposes, so a pledge's link never opens one."""

from __future__ import annotations

from campaign.core.tokens import sign, unsign
from campaign.pledges.tokens import CONFIRM_MAX_AGE, TokenCheck

CONFIRM = "endorsement-confirm"
MANAGE = "endorsement-manage"
# The confirmation expires as a pledge's does; the manage link lasts as long as the endorsement.
MAX_AGES = {CONFIRM: CONFIRM_MAX_AGE, MANAGE: None}


def make_token(purpose: str, endorsement_id: int) -> str:
    return sign(purpose, {"e": endorsement_id})


def read_token(purpose: str, token: str) -> TokenCheck | None:
    """The endorsement the token names (as TokenCheck.pledge_id); None when forged or tampered."""
    signed = unsign(purpose, token, max_age=MAX_AGES[purpose], max_length=500)
    endorsement_id = signed.id("e") if signed else None
    if signed is None or endorsement_id is None:
        return None
    return TokenCheck(endorsement_id, signed.expired)
