"""Abuse controls: salted IP hashes and the per-address rate limits that mark pledges suspect."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from limits import parse_many

from campaign.extensions import limiter
from campaign.settings.services import get_setting


def hash_ip(address: str | None) -> str | None:
    """A keyed hash of the client address: enough to group abuse, never the address itself."""
    if not address:
        return None
    key = ("ip-hash:" + current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def over_pledge_limit(ip_hash: str | None) -> bool:
    """Count this attempt against the burst and sustained limits; True if either is exceeded."""
    if ip_hash is None:
        return False
    over = False
    for key in ("pledge_limit_burst", "pledge_limit_sustained"):
        for item in parse_many(get_setting(key)):
            if not limiter.limiter.hit(item, "pledge", ip_hash):
                over = True
    return over
