"""Web origins for framing: read strictly, stored in one spelling, added and removed on the
record.

An origin is a scheme, a host and a port (`https://partner.example`), nothing more: no path,
no query, no credentials, no wildcard. It must be https; plain http only for a host on the
machine itself when EMBED_ALLOW_HTTP_LOCALHOST is set (development and tests). Hosts are kept
in their ASCII (IDNA) form, lower case, and a default port is dropped, so one origin has one
spelling and the Content-Security-Policy names it as browsers compare it.
"""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.embed.models import EmbedOrigin
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.organisations.models import Organisation

MAX_ORIGINS = 20
MAX_LENGTH = 300
_ORIGIN = re.compile(
    r"(?P<scheme>https?)://(?P<host>[^/:?#@\s]+)(?::(?P<port>[0-9]{1,5}))?/?", re.IGNORECASE
)
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
LOCAL_HOSTS = ("localhost", "127.0.0.1")
DEFAULT_PORTS = {"https": 443, "http": 80}


class InvalidOrigin(DomainError):
    """Not an origin a page may be framed by."""


def normalise_origin(text: str) -> str:
    """*text* as one origin in its one spelling, or InvalidOrigin saying what is wrong."""
    text = text.strip()
    problem = _(
        "Give an origin such as https://partner.example: https, a host name and an optional "
        "port, without a path."
    )
    if not text or len(text) > MAX_LENGTH or not text.isprintable():
        raise InvalidOrigin(problem)
    match = _ORIGIN.fullmatch(text)
    if match is None:
        raise InvalidOrigin(problem)
    scheme = match["scheme"].lower()
    try:
        host = match["host"].encode("idna").decode("ascii").lower().rstrip(".")
    except UnicodeError:
        raise InvalidOrigin(problem) from None
    if host not in LOCAL_HOSTS and not all(_LABEL.fullmatch(p) for p in host.split(".")):
        raise InvalidOrigin(problem)
    if "." not in host and host not in LOCAL_HOSTS:
        raise InvalidOrigin(problem)
    if scheme == "http" and not (
        host in LOCAL_HOSTS and current_app.config.get("EMBED_ALLOW_HTTP_LOCALHOST")
    ):
        raise InvalidOrigin(_("The origin must use https."))
    port = int(match["port"]) if match["port"] else None
    if port is not None and not 0 < port < 65536:
        raise InvalidOrigin(problem)
    if port == DEFAULT_PORTS[scheme]:
        port = None
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def origins_of(organisation_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(EmbedOrigin.origin)
            .filter_by(organisation_id=organisation_id)
            .order_by(EmbedOrigin.origin)
        )
    )


def add_origin(*, organisation: Organisation, text: str, actor: User) -> str:
    origin = normalise_origin(text)
    known = origins_of(organisation.id)
    if origin in known:
        raise InvalidOrigin(_("%(origin)s is registered already.", origin=origin))
    if len(known) >= MAX_ORIGINS:
        raise InvalidOrigin(_("An organisation may register at most %(n)s origins.", n=MAX_ORIGINS))
    db.session.add(
        EmbedOrigin(organisation_id=organisation.id, origin=origin, created_by_id=actor.id)
    )
    _audit(actor, organisation, "embed.origin_added", origin)
    return origin


def remove_origin(*, organisation: Organisation, origin: str, actor: User) -> bool:
    result = db.session.execute(
        delete(EmbedOrigin).where(
            EmbedOrigin.organisation_id == organisation.id, EmbedOrigin.origin == origin
        )
    )
    removed = bool(getattr(result, "rowcount", 0))
    if removed:
        _audit(actor, organisation, "embed.origin_removed", origin)
    return removed


def _audit(actor: User, organisation: Organisation, action: str, origin: str) -> None:
    record_event(
        actor=actor,
        action=action,
        entity_type="organisation",
        entity_id=organisation.id,
        after={"origin": origin},
    )
