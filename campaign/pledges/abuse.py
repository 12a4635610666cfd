"""Abuse controls: keyed hashes of client addresses (the pledge limits: campaign.ratelimits)."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def hash_ip(address: str | None) -> str | None:
    """A keyed hash of the client address: enough to group abuse, never the address itself."""
    if not address:
        return None
    key = ("ip-hash:" + current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()
