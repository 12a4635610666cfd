"""The headers every message carries besides From, To and Subject, and the site's mail domain.

RFC 5322 requires `Date`; a `Message-ID` on the sender's own domain (never `localhost`) is what
receiving servers expect of a careful sender; every message here is sent by the system, not
typed by a person, so it says `Auto-Submitted: auto-generated` (RFC 3834) and no auto-responder
answers it. List mail (digests, alerts, reminders) also carries `List-Id` (RFC 2919) beside its
one-click `List-Unsubscribe` (campaign.notifications.messages).
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from email.utils import formatdate, parseaddr
from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app

# When neither SITE_URL nor the sender names a real domain (a laptop's defaults): a name that
# can never be anybody else's (RFC 2606), rather than localhost.
FALLBACK_DOMAIN = "campaign.invalid"
LIST_NAME = "Migrant Workers Convention campaign updates"


def _real(host: str | None) -> str | None:
    """*host* lower-cased if it is a domain name of the public kind: not localhost, not an IP."""
    if not host:
        return None
    host = host.strip().lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return None
    if "." not in host or host == "localhost" or host.endswith(".localhost"):
        return None
    return host


def mail_domain() -> str:
    """The site's own domain, for Message-IDs, the List-Id and bounce addresses: SITE_URL's
    host, else the domain of MAIL_DEFAULT_SENDER, else FALLBACK_DOMAIN."""
    config = current_app.config
    return _domain(str(config.get("SITE_URL") or ""), str(config.get("MAIL_DEFAULT_SENDER") or ""))


@lru_cache(maxsize=16)
def _domain(site_url: str, sender: str) -> str:
    """Worked out once per pair of settings: every message asks."""
    site = _real(urlsplit(site_url).hostname)
    if site:
        return site
    return _real(sender_address(sender).rpartition("@")[2]) or FALLBACK_DOMAIN


@lru_cache(maxsize=16)
def sender_address(sender: str) -> str:
    """The bare address of a sender written `Name <address>`."""
    return parseaddr(sender)[1]


def message_id(row_id: int, key: str, domain: str) -> str:
    """A stable Message-ID per outbox row and idempotency key: a message sent again after a
    crash carries the same one, so relays and clients can drop the duplicate."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"<outbox-{row_id}.{digest}@{domain}>"


def standard_headers(row_id: int, key: str) -> dict[str, str]:
    """Date (now), Message-ID, Auto-Submitted, and the outbox key for tracing."""
    return {
        "Date": _date(int(time.time())),
        "Message-ID": message_id(row_id, key, mail_domain()),
        "Auto-Submitted": "auto-generated",
        "X-Campaign-Key": key,
    }


@lru_cache(maxsize=2)
def _date(second: int) -> str:
    """The Date header of a second: written once for every mail sent in it."""
    return formatdate(second, usegmt=True)


def list_id() -> str:
    """The List-Id of the campaign's updates (digests, alerts, reminders)."""
    return f"{LIST_NAME} <updates.{mail_domain()}>"
