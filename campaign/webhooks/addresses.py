"""Which endpoint addresses are allowed: https only, no credentials, no private networks.

A webhook makes our worker send a request wherever a coordinator typed, so the address is
checked when it is registered or edited and again before every delivery: only `https://`,
ASCII (a name in another script is given in its punycode form), no user or password, at most
URL_MAX characters, and a host that resolves only to public addresses (never loopback,
private, link-local, shared, reserved, multicast or unspecified), unless
WEBHOOK_ALLOW_PRIVATE_ADDRESSES (development and tests) says otherwise. The connection itself
is checked too (campaign/webhooks/transport.py), so a name that resolves to another address
between the check and the request (DNS rebinding) still reaches no private address.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask_babel import gettext as _

from campaign.errors import DomainError
from campaign.webhooks.models import URL_MAX

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeAddress(DomainError):
    """The endpoint's address may not be used; the message says why."""


def is_public(address: str) -> bool:
    """Whether *address* (an IP address) is a public, unicast one."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_url(url: str, *, allow_private: bool) -> str:
    """*url* if it may receive deliveries; raises UnsafeAddress (with a reason) if not."""
    if not url:
        raise UnsafeAddress(_("Give the endpoint's address."))
    if len(url) > URL_MAX:
        raise UnsafeAddress(_("The address is too long (at most %(max)d characters).", max=URL_MAX))
    if not url.isascii() or not url.isprintable() or any(char.isspace() for char in url):
        raise UnsafeAddress(
            _(
                "Write the address in plain ASCII, with no spaces (a name in another script "
                "in its xn-- form)."
            )
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeAddress(_("This is not a valid address.")) from None
    if parts.scheme.lower() != "https":
        raise UnsafeAddress(_("The address must start with https://."))
    if "@" in parts.netloc:
        raise UnsafeAddress(_("The address must not hold a user name or a password."))
    if not parts.hostname or parts.fragment:
        raise UnsafeAddress(_("This is not a valid address."))
    if not allow_private:
        for address in resolve(parts.hostname, port or 443):
            if not is_public(address):
                raise UnsafeAddress(
                    _("The address leads to a private or reserved network, which is not allowed.")
                )
    return url


def resolve(host: str, port: int) -> list[str]:
    """Every address *host* resolves to; UnsafeAddress when it resolves to none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeAddress(_("The address's host name could not be found.")) from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise UnsafeAddress(_("The address's host name could not be found."))
    return addresses
