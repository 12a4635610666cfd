"""Reading and changing run-time settings, with their defaults and validation."""

from __future__ import annotations

from collections.abc import Callable

from limits import parse_many

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.settings.models import Setting


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
}


def get_setting(key: str) -> str:
    row = db.session.get(Setting, key)
    return row.value if row is not None else SETTINGS[key][0]


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
    record_event(
        actor=actor,
        action="setting.changed",
        entity_type="setting",
        entity_id=None,
        before={"key": key, "value": before},
        after={"key": key, "value": value},
    )
