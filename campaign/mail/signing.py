"""DKIM signatures (RFC 6376) on outgoing mail, with dkimpy, when a key is configured.

The worker signs each message just before it hands it to the relay, over the exact bytes it
sends. Settings: DKIM_SELECTOR, DKIM_PRIVATE_KEY_PATH (a PEM RSA key) and DKIM_DOMAIN (the
site's mail domain by default); without a selector and a key, mail goes out unsigned.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import dkim
from flask import current_app

from campaign.mail.headers import mail_domain

# What the signature covers: the headers a reader sees and a list's unsubscribe headers.
SIGNED_HEADERS = (
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Auto-Submitted",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
)


@lru_cache(maxsize=4)
def _private_key(path: str) -> bytes:
    return Path(path).read_bytes()


def dkim_configured() -> bool:
    config = current_app.config
    return bool(config.get("DKIM_SELECTOR") and config.get("DKIM_PRIVATE_KEY_PATH"))


def sign(raw: bytes, present: set[str]) -> bytes:
    """*raw* with a DKIM-Signature header in front, when a key is configured; else *raw*.

    *present* names the headers the message has (lower case): those of SIGNED_HEADERS are
    signed, so a relay that adds one later breaks the signature rather than the reader's trust.
    """
    if not dkim_configured():
        return raw
    config = current_app.config
    domain = str(config.get("DKIM_DOMAIN") or mail_domain())
    headers = [name.lower().encode() for name in SIGNED_HEADERS if name.lower() in present]
    signature = dkim.sign(
        raw,
        str(config["DKIM_SELECTOR"]).encode(),
        domain.encode(),
        _private_key(str(config["DKIM_PRIVATE_KEY_PATH"])),
        include_headers=headers,
    )
    return bytes(signature) + raw
