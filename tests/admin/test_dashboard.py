"""The coordinators' dashboard shows the right numbers, with charts drawn on the server."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.states.services import Act, record_status_change
from tests.factories import OutreachTaskFactory, PledgeFactory, state
from tests.support.auth import log_in, make_user

NOW = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC)  # a Wednesday; the week began on 8 June
DAY = dt.timedelta(days=1)


@pytest.fixture
def frozen(app: Flask) -> Iterator[None]:
    """Frozen at NOW (each request runs in its own app context: nothing cached survives)."""
    with time_machine.travel(NOW, tick=False):
        yield


def _pledge(number: int, confirmed_at: dt.datetime, **values: object) -> None:
    email = f"supporter{number}@example.org"
    values = {"country": None, **values}
    PledgeFactory(
        name=f"Supporter {number}",
        email=email,
        email_canonical=email,
        confirmed_at=confirmed_at,
        **values,
    )


def _record(iso3: str, when: dt.datetime, user: User) -> None:
    subject = state(iso3)
    assert subject.status == "none"
    with time_machine.travel(when, tick=False):
        record_status_change(
            state=subject,
            act=Act("signature", when.date(), "Depositary notification"),
            recorded_by=user,
            alert=False,
        )


def _dashboard_data(user: User) -> None:
    for status, count in {"open": 1, "in_progress": 1, "done": 3, "cancelled": 1}.items():
        for _ in range(count):
            OutreachTaskFactory(status=status, due_on=NOW.date() + DAY)
    OutreachTaskFactory(title="Late letter to the Senate", due_on=NOW.date() - 9 * DAY)
    OutreachTaskFactory(title="Late but done", status="done", due_on=NOW.date() - 9 * DAY)
    _record("BRA", NOW - 5 * DAY, user)
    _record("CAN", NOW - 40 * DAY, user)
    for number, day in enumerate([8, 9, 10, 3, 3]):  # three this week, two the week before
        _pledge(number, dt.datetime(2026, 6, day, 9, tzinfo=dt.UTC))
    _pledge(10, NOW - DAY, is_suspect=True)
    _pledge(11, NOW - DAY, withdrawn_at=NOW)
    _pledge(12, NOW - 70 * DAY)
    _pledge(13, None)  # never confirmed
    db.session.commit()


def _number(page: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}">(\d+)<', page)
    assert match, element_id
    return int(match.group(1))


def test_dashboard_numbers_and_charts(client: FlaskClient, frozen: None) -> None:
    coordinator = make_user("coordinator")
    _dashboard_data(coordinator)
    log_in(client, coordinator)
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _number(page, "overdue-total") == 1
    assert "Late letter to the Senate" in page and "Late but done" not in page
    assert _number(page, "states-changed") == 1
    assert "Brazil" in page and "Canada" not in page
    assert _number(page, "pledges-week") == 3
    assert page.count('role="img"') == 2 and "<script" not in page
    assert (
        'aria-label="Outreach tasks by status: Open 2, In progress 1, Done 4, Blocked 0, ' in page
    )
    assert "Cancelled 1" in page and "<title>Outreach tasks by status</title>" in page
    sparkline = re.search(r'aria-label="(Pledges confirmed per day[^"]*)"', page)
    assert sparkline is not None
    assert sparkline.group(1) == (
        "Pledges confirmed per day, last 8 weeks: 5 in all over 56 days, "
        "at most 2 a day, 1 on the last day"
    )
    for link in (
        "/admin/states",
        "/admin/outreach",
        "/admin/pledges/moderation",
        "/admin/pledges/counts",
        "/admin/pledges/export.csv",
    ):
        assert f'href="{link}' in page, link


def test_empty_dashboard(client: FlaskClient, frozen: None) -> None:
    log_in(client, make_user("coordinator"))
    page = client.get("/admin/").get_data(as_text=True)
    assert "Nothing is overdue." in page and _number(page, "pledges-week") == 0
    assert "Open 0, In progress 0, Done 0, Blocked 0, Cancelled 0" in page


def test_settings_link_for_admins_only(client: FlaskClient) -> None:
    log_in(client, make_user("admin"))
    page = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/settings"' in page and 'href="/admin/audit"' in page


@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("partner", 403)])
def test_dashboard_is_for_coordinators(
    client: FlaskClient, role: str | None, expected: int
) -> None:
    if role:
        log_in(client, make_user(role))
    assert client.get("/admin/").status_code == expected
