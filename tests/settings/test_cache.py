"""The per-process copy of the settings: read once per expiry, a change takes effect promptly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import insert

from campaign.extensions import db
from campaign.settings.models import Setting
from campaign.settings.services import get_setting, set_setting
from tests.public.test_query_budget import statements
from tests.support.auth import make_user

EXPIRY = 5


@pytest.fixture
def cached(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The cache on, as in production, and empty before and after the test."""
    from campaign.settings import services

    monkeypatch.setitem(app.config, "RUNTIME_CACHE_SECONDS", EXPIRY)
    services._STORED.clear()
    yield
    services._STORED.clear()


def test_the_settings_are_read_once_per_expiry(app: Flask, cached: None) -> None:
    assert get_setting("pledge_limit_burst") == "5 per minute"
    with statements(app) as seen:
        assert get_setting("pledge_limit_burst") == "5 per minute"
        assert get_setting("pledge_limit_sustained") == "50 per day"
    assert seen == []


def test_a_change_here_takes_effect_at_once(app: Flask, cached: None) -> None:
    assert get_setting("pledge_limit_burst") == "5 per minute"
    set_setting(key="pledge_limit_burst", value="7 per minute", actor=make_user("admin"))
    assert get_setting("pledge_limit_burst") == "7 per minute"


def test_a_change_in_another_process_is_seen_within_the_expiry(app: Flask, cached: None) -> None:
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert get_setting("pledge_limit_burst") == "5 per minute"
        # Another process writes the row: no event here, only the expiry brings it in.
        db.session.execute(insert(Setting).values(key="pledge_limit_burst", value="9 per minute"))
        clock.shift(EXPIRY - 1)
        assert get_setting("pledge_limit_burst") == "5 per minute"
        clock.shift(1)
        assert get_setting("pledge_limit_burst") == "9 per minute"


def test_a_change_rolled_back_is_not_kept(app: Flask, committed: Any, cached: None) -> None:
    assert get_setting("pledge_limit_sustained") == "50 per day"
    db.session.add(Setting(key="pledge_limit_sustained", value="3 per day"))
    db.session.flush()
    assert get_setting("pledge_limit_sustained") == "3 per day"  # this transaction sees it
    db.session.rollback()
    assert get_setting("pledge_limit_sustained") == "50 per day"
