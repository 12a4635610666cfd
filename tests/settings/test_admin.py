"""The settings screen: an admin changes a limit at run time; bad values and coordinators are
refused, with nothing written."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.settings.models import Setting
from campaign.settings.services import get_setting
from tests.admin import audit_events
from tests.support.auth import csrf_from


def test_admin_changes_a_setting(admin: FlaskClient) -> None:
    token = csrf_from(admin, "/admin/settings")
    response = admin.post(
        "/admin/settings/pledge_limit_burst", data={"csrf_token": token, "value": "10 per minute"}
    )
    assert response.status_code == 302
    assert get_setting("pledge_limit_burst") == "10 per minute"
    [event] = audit_events("setting.changed")
    assert event.before == {"key": "pledge_limit_burst", "value": "5 per minute"}
    assert 'value="10 per minute"' in admin.get("/admin/settings").get_data(as_text=True)


BAD_SETTINGS = [
    ("pledge_limit_burst", {"value": ""}, 400),
    ("pledge_limit_burst", {"value": "   "}, 400),
    ("pledge_limit_burst", {}, 400),
    ("pledge_limit_burst", {"value": "lots per minute"}, 400),
    ("pledge_limit_burst", {"value": "5 per fortnight"}, 400),
    ("pledge_limit_burst", {"value": "0 per minute"}, 400),
    ("pledge_limit_sustained", {"value": "5 per minute; 0 per day"}, 400),
    ("pledge_limit_sustained", {"value": "5 per day" + " " * 200 + "x" * 100}, 400),
    ("pledge_limit_sustained", {"value": "1" * 300}, 400),
    ("pledge_limit_burst", {"value": "5 per\r\nminute"}, 400),
    ("pledge_limit_burst", {"value": "5 per minute\nX-Injected: yes"}, 400),
    ("pledge_limit_burst", {"value": "<b>5</b> per minute"}, 400),
    ("pledge_limit_burst", {"value": "5 per minute", "csrf_token": ""}, 400),
    ("no_such_setting", {"value": "5 per minute"}, 404),
]


@pytest.mark.parametrize(("key", "data", "status"), BAD_SETTINGS)
def test_bad_settings_are_refused(
    admin: FlaskClient, key: str, data: dict[str, str], status: int
) -> None:
    token = csrf_from(admin, "/admin/settings")
    response = admin.post(f"/admin/settings/{key}", data={"csrf_token": token, **data})
    assert response.status_code == status
    if status == 400:
        assert 'role="alert"' in response.get_data(as_text=True)
    assert get_setting("pledge_limit_burst") == "5 per minute"
    assert get_setting("pledge_limit_sustained") == "50 per day"
    assert db.session.scalar(select(func.count()).select_from(Setting)) == 0
    assert audit_events("setting.changed") == []


def test_coordinator_cannot_change_settings(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, "/admin/pledges/counts")
    response = coordinator.post(
        "/admin/settings/pledge_limit_burst", data={"csrf_token": token, "value": "1 per day"}
    )
    assert response.status_code == 403
    assert get_setting("pledge_limit_burst") == "5 per minute"
