"""Reading and changing run-time settings, with their defaults and validation."""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flask import current_app
from limits import parse_many
from sqlalchemy import event, select
from sqlalchemy.orm import Session, object_session

from campaign.audit.services import record_event
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.settings.models import Setting

if TYPE_CHECKING:  # a run-time import would be circular (accounts -> ... -> pledges -> here)
    from campaign.accounts.models import User

T = TypeVar("T")


class ProcessCache(Generic[T]):
    """Values that change a few times a year, kept in this process for RUNTIME_CACHE_SECONDS.

    A short expiry rather than a version check: a check would be a round trip on every
    request, the very cost the cache saves. A change made through the ORM in this process
    (an admin's edit of a watched model) clears the cache at once, and again when its
    transaction ends, so an uncommitted value is never kept; a change made in another process
    is seen here within RUNTIME_CACHE_SECONDS (5 s by default). Zero turns the cache off.
    """

    every: weakref.WeakSet[ProcessCache[Any]] = weakref.WeakSet()

    def __init__(self, load: Callable[[str], T]) -> None:
        self._load = load
        self._entries: dict[str, tuple[float, T]] = {}
        ProcessCache.every.add(self)

    @classmethod
    def clear_every(cls) -> None:
        """Forget every value of every cache: after the tables were emptied behind the ORM's
        back (the tests' wipe)."""
        for cache in list(cls.every):
            cache.clear()

    def get(self, key: str) -> T:
        ttl = float(current_app.config["RUNTIME_CACHE_SECONDS"])
        now = time.time()
        hit = self._entries.get(key)
        if hit is not None and 0 <= now - hit[0] < ttl:
            return hit[1]
        value = self._load(key)
        if ttl > 0:
            self._entries[key] = (now, value)
        return value

    def clear(self, session: Session | None = None) -> None:
        """Forget every value; with *session*, once more when its transaction ends."""
        self._entries.clear()
        if session is not None:
            session.info.setdefault(_TO_CLEAR, set()).add(self)

    def clear_on_change(self, *models: type[Any]) -> None:
        """Clear whenever a row of *models* is inserted, updated or deleted."""
        for model in models:
            for name in ("after_insert", "after_update", "after_delete"):
                event.listen(model, name, self._changed)

    def _changed(self, mapper: Any, connection: Any, target: Any) -> None:
        self.clear(object_session(target))


_TO_CLEAR = "process_caches_to_clear"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _clear_at_transaction_end(session: Session) -> None:
    for cache in session.info.pop(_TO_CLEAR, ()):
        cache.clear()


class InvalidSetting(DomainError):
    """The value is not acceptable for this setting."""


def _rate_limit(value: str) -> None:
    try:
        items = parse_many(value)
        # "0 per minute" parses, but would silently mark every pledge suspect.
        if not items or any(item.amount < 1 for item in items):
            raise ValueError(value)
    except ValueError as error:
        raise InvalidSetting(
            f"{value!r} is not a rate limit; write for example '5 per minute' or '100 per day'."
        ) from error


# key -> (default, validator, what it is)
SETTINGS: dict[str, tuple[str, Callable[[str], None], str]] = {
    "pledge_limit_burst": ("5 per minute", _rate_limit, "Pledges per address in a burst"),
    "pledge_limit_sustained": ("50 per day", _rate_limit, "Pledges per address over a day"),
    "mail_limit_new_addresses": (
        "20 per hour",
        _rate_limit,
        "New addresses the public forms mail per client (beyond it, mail is held)",
    ),
}


def _stored_settings(_: str) -> dict[str, str]:
    return {key: value for key, value in db.session.execute(select(Setting.key, Setting.value))}


_STORED = ProcessCache(_stored_settings)
_STORED.clear_on_change(Setting)


def get_setting(key: str) -> str:
    """The setting's value: stored by an admin, or its default (one query per few seconds)."""
    return _STORED.get("all").get(key, SETTINGS[key][0])


def set_setting(*, key: str, value: str, actor: User) -> None:
    """Validate and store *value*; audited."""
    if key not in SETTINGS:
        raise InvalidSetting(f"Unknown setting {key!r}.")
    value = value.strip()
    if not value or len(value) > 200 or any(c in value for c in "\r\n\x00"):
        raise InvalidSetting("Give a value of at most 200 characters on one line.")
    SETTINGS[key][1](value)
    before = get_setting(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    _STORED.clear(db.session())  # now, and when this transaction ends
    record_event(
        actor=actor,
        action="setting.changed",
        entity_type="setting",
        entity_id=None,
        before={"key": key, "value": before},
        after={"key": key, "value": value},
    )
