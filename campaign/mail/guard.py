"""Forms that mail an address a visitor typed cannot be turned on strangers.

The public forms that mail an address typed by a visitor (both pledge forms, subscribe,
forgot-password, the pledge's resend) call screen() with that address. Each client (an IPv4
address, or an IPv6 /64) may have mail sent to `mail_limit_new_addresses` new addresses an hour
(an admin setting, 20 by default); beyond it, what the visitor sent is stored as usual but the
mail is queued `held` under the client's group (a keyed digest of the network, never the
address), and coordinators release or discard the group in one action on `/admin/outbox/held`.
A suspect pledge (over the pledge limits) is held the same way. The first time a client trips
the limit in an hour, every coordinator gets one alert mail. The visitor always gets the same
answer. Counters are the rate limits' (Redis when REDIS_URL is set, shared by all processes).

The group is noted for the rest of the request (flask.g), and queue_email holds what it queues
while it is set: the services that compose the mail need not know.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from flask import current_app, g, has_request_context

from campaign.core.addresses import matching_key
from campaign.ratelimits import (
    LIMITS,
    MAIL_ADDRESS,
    MAIL_CLIENT,
    MAIL_HOLD_ALERT,
    PLEDGE,
    check,
    client_address,
    pledge_limits,
    ratelimits,
)

SETTING = "mail_limit_new_addresses"
HELD_REASON = "held: the visitor's client mailed more new addresses than its hourly limit"


def client_network(address: str | None) -> str:
    """What counts as one client: an IPv4 address, or the /64 an IPv6 address is in."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return str(address or "unknown")[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def group_of(address: str | None) -> str:
    """The held-mail group of a client address: a keyed digest, so the outbox keeps no address."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, client_network(address).encode(), hashlib.sha256).hexdigest()
    return f"client-{digest[:16]}"


def hold(group: str) -> None:
    """Hold every mail this request queues under *group*."""
    g.mail_held_for = group


def held_for() -> str | None:
    """The group this request's mail is held under, if any."""
    return g.get("mail_held_for") if has_request_context() else None


def screen(address: str, client: str | None = None) -> str | None:
    """Count a mail to *address*, typed by this request's visitor (or *client*, an address);
    hold it (and anything else this unit of work queues) when the client is over its hourly
    number of new addresses. The group held under, or None."""
    return _screened(address, client, None)[0]


def screen_pledge(address: str, client: str | None, ip_hash: str | None) -> tuple[str | None, bool]:
    """screen(), and count a pledge from *ip_hash* against the pledge limits in the same round
    trip, before it is stored: the group held under (or None), and whether a new pledge is over
    the pledge limits (suspect). Like the client's, the pledge limits count an address once an
    hour per client: a double click or a retrying phone is one pledge, however many times it
    comes, and an address already counted this hour finds no way around a tripped limit."""
    return _screened(address, client, ip_hash)


def _screened(address: str, client: str | None, ip_hash: str | None) -> tuple[str | None, bool]:
    from campaign.settings.services import get_setting

    if client is None and has_request_context():
        client = client_address()
    group = group_of(client)
    # One round trip: the address counted once an hour; a new one counts against the client,
    # one mailed this hour already does not, but finds no way around a tripped limit.
    first = (LIMITS[MAIL_ADDRESS](), MAIL_ADDRESS, f"{group}:{matching_key(address)}")
    limit = (get_setting(SETTING), MAIL_CLIENT, group)
    if ip_hash is None:
        _new, verdict = ratelimits.hit_if_new(first, limit)
        suspect = False
    else:
        also = (pledge_limits(), PLEDGE, ip_hash)
        _new, verdict, pledges = ratelimits.hit_if_new_and(first, limit, also)
        suspect = not pledges.allowed
    if verdict.allowed:
        return None, suspect
    if check(MAIL_HOLD_ALERT, group).allowed:
        from campaign.mail.held import alert_coordinators

        alert_coordinators(group)  # queued before the hold: the alert itself is never held
    hold(group)
    return group, suspect
