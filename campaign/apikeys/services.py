"""Issuing, scoping, revoking and checking API keys. Nothing here commits.

A key reads `mwc_` and 8 hex digits (its public prefix, shown in the back office and used to
find the row), an underscore and 43 characters of `secrets.token_urlsafe(32)`: 256 random bits.
Only the SHA-256 of the whole key is stored, and the key is shown once, on the page that
answers its creation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from campaign.apikeys.models import PREFIX_LENGTH, SCOPES, ApiKey
from campaign.audit.services import record_event
from campaign.db import utcnow
from campaign.errors import DomainError
from campaign.extensions import db

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.organisations.models import Organisation

KEY_START = "mwc_"
# What a key can contain (no NUL, which PostgreSQL refuses in a query), and at most how long.
KEY_CHARACTERS = re.compile(r"[A-Za-z0-9_-]{1,200}")
# How often last_used_at is written: not a write on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)
# Compared when no row has the prefix, so an unknown key takes as long as a wrong one.
_NO_HASH = hashlib.sha256(b"no such key").hexdigest()


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _scopes(chosen: list[str]) -> str:
    unknown = set(chosen) - set(SCOPES)
    if unknown or not chosen:
        raise DomainError(_("Choose scopes from the list."))
    return " ".join(scope for scope in SCOPES if scope in chosen)


def issue_key(
    *, organisation: Organisation, name: str, scopes: list[str], actor: User | None
) -> tuple[ApiKey, str]:
    """A new key for *organisation*; the row and the key itself (to show once, never again)."""
    if organisation.merged_into_id is not None:
        raise DomainError(_("This organisation was merged into another: issue its keys there."))
    prefix = KEY_START + secrets.token_hex(4)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(
        organisation_id=organisation.id,
        name=name,
        prefix=prefix,
        key_hash=hash_key(key),
        scopes=_scopes(scopes),
        created_by=actor,
    )
    db.session.add(row)
    db.session.flush()
    record_event(
        actor=actor,
        action="apikey.issued",
        entity_type="api_key",
        entity_id=row.id,
        after={
            "organisation_id": organisation.id,
            "name": name,
            "prefix": prefix,
            "scopes": row.scopes,
        },
    )
    return row, key


def set_scopes(*, key: ApiKey, scopes: list[str], actor: User | None) -> None:
    before = key.scopes
    key.scopes = _scopes(scopes)
    record_event(
        actor=actor,
        action="apikey.scoped",
        entity_type="api_key",
        entity_id=key.id,
        before={"scopes": before},
        after={"scopes": key.scopes, "prefix": key.prefix},
    )


def revoke_key(*, key: ApiKey, actor: User | None) -> bool:
    """Revoke *key* for good; False if it was revoked already."""
    if key.revoked_at is not None:
        return False
    key.revoked_at = utcnow()
    record_event(
        actor=actor,
        action="apikey.revoked",
        entity_type="api_key",
        entity_id=key.id,
        after={"prefix": key.prefix, "organisation_id": key.organisation_id},
    )
    return True


def keys_of(organisation_id: int) -> list[ApiKey]:
    query = select(ApiKey).filter_by(organisation_id=organisation_id).order_by(ApiKey.id.desc())
    return list(db.session.scalars(query))


def authenticate(presented: str | None) -> ApiKey | None:
    """The active key *presented* is, if any: found by its prefix, compared in constant time.

    A revoked key, or one of an organisation merged into another, is no key."""
    if not presented or not KEY_CHARACTERS.fullmatch(presented):
        return None
    prefix = presented[:PREFIX_LENGTH]
    row = db.session.scalars(select(ApiKey).filter_by(prefix=prefix)).first()
    expected = row.key_hash if row is not None else _NO_HASH
    matches = hmac.compare_digest(expected, hash_key(presented))
    if row is None or not matches or row.revoked_at is not None:
        return None
    if row.organisation.merged_into_id is not None:
        return None
    return row


def touch(key: ApiKey, now: dt.datetime | None = None) -> bool:
    """Note that *key* was used, at most once every TOUCH_EVERY: True if that is a write
    (most requests write nothing, so reads do not queue behind SQLite's write lock)."""
    now = now or utcnow()
    if key.last_used_at is not None and key.last_used_at >= now - TOUCH_EVERY:
        return False
    db.session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key.id,
            or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < now - TOUCH_EVERY),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return True
