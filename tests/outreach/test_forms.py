"""Bad input to every outreach form: a 400 with a message, and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.outreach.models import OutreachTask
from tests.factories import (
    OrganisationFactory,
    OutreachTaskFactory,
    PartnershipFactory,
    state,
)
from tests.outreach.helpers import post_form, reload, task_form, written

TODAY = dt.datetime.now(dt.UTC).date()
LONG_AGO = (TODAY - dt.timedelta(days=400)).isoformat()

# (changes to a valid form, a message the page must show)
BAD_TASKS = [
    ({"title": ""}, "Give the title"),
    ({"title": "   "}, "Give the title"),
    ({"title": "T" * 201}, "longer than 200"),
    ({"kind": ""}, "Choose the kind"),
    ({"kind": "petition"}, "Not a valid choice"),
    ({"state": ""}, "Choose the state"),
    ({"state": "ATL"}, "Not a valid choice"),
    ({"organisation": ""}, "Choose the organisation"),
    ({"organisation": "999999"}, "Not a valid choice"),
    ({"organisation": "one"}, "Not a valid choice"),
    ({"due_on": "2026-13-45"}, "Not a valid date"),
    ({"due_on": "18/12/2026"}, "Not a valid date"),
    ({"due_on": "1990-12-18"}, "must be between"),
    ({"due_on": LONG_AGO}, "must be between"),
    ({"due_on": "2999-01-01"}, "must be between"),
    ({"title": "Letter\r\nBcc: x@example.org"}, "line breaks"),
    ({"title": "Letter\x00"}, "line breaks"),
    ({"title": '=HYPERLINK("http://x")'}, "start with a letter"),
    ({"title": "+cmd"}, "start with a letter"),
    ({"title": "-2+3"}, "start with a letter"),
    ({"title": "@SUM(A1)"}, "start with a letter"),
    ({"title": "<script>alert(1)</script>"}, "&lt; and &gt;"),
    ({"title": "Invisible \u202eevil"}, "direction-control"),
    ({"description": "D" * 5001}, "longer than 5000"),
    ({"description": "Hidden \u2066text\u2069"}, "direction-control"),
    ({"description": "Bell\x07"}, "line breaks"),
]
RTL_ASTRAL = "رسالة إلى وزارة العمل 𝔐 🌍 <script>alert(1)</script>"


@pytest.fixture
def organisation(app: Flask) -> Organisation:
    organisation = OrganisationFactory()
    db.session.commit()
    return organisation


@pytest.fixture
def task(app: Flask, organisation: Organisation) -> OutreachTask:
    task = OutreachTaskFactory(organisation=organisation, title="Existing letter")
    db.session.commit()
    return task


@pytest.mark.parametrize(("changes", "message"), BAD_TASKS)
def test_bad_new_tasks_write_nothing(
    coordinator: FlaskClient, organisation: Organisation, changes: dict[str, str], message: str
) -> None:
    before = written()
    response = post_form(coordinator, "/admin/outreach/new", task_form(organisation.id, **changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert written() == before


@pytest.mark.parametrize(("changes", "message"), [*BAD_TASKS, ({"status": "archived"}, "valid")])
def test_bad_edits_change_nothing(
    coordinator: FlaskClient, task: OutreachTask, changes: dict[str, str], message: str
) -> None:
    before = written()
    path = f"/admin/outreach/{task.id}/edit"
    data = {**task_form(task.organisation_id), "status": "open", "outcome": "", **changes}
    response = post_form(coordinator, path, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert written() == before and reload(task.id).title == "Existing letter"


def test_rtl_and_astral_text_is_accepted_and_shown_escaped(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    title = "رسالة إلى وزارة العمل 𝔐 🌍"
    data = task_form(organisation.id, title=title, description=RTL_ASTRAL)
    response = post_form(coordinator, "/admin/outreach/new", data)
    assert response.status_code == 302
    page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert title in page
    assert "رسالة إلى وزارة العمل 𝔐 🌍 &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert title in coordinator.get("/admin/outreach").get_data(as_text=True)


def test_a_double_submission_creates_one_task(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    data = task_form(organisation.id)
    assert post_form(coordinator, "/admin/outreach/new", data).status_code == 302
    before = written()
    again = post_form(coordinator, "/admin/outreach/new", data)
    assert again.status_code == 400
    assert "already has this task" in again.get_data(as_text=True)
    assert written() == before


def test_an_edit_onto_another_task_is_refused(coordinator: FlaskClient, task: OutreachTask) -> None:
    other = OutreachTaskFactory(organisation=task.organisation, title="Other letter")
    db.session.commit()
    before = written()
    data = {**task_form(task.organisation_id, title="Existing letter"), "status": "open"}
    data["due_on"] = ""
    response = post_form(coordinator, f"/admin/outreach/{other.id}/edit", data)
    assert response.status_code == 400 and "already has this task" in response.get_data(True)
    assert written() == before


def test_an_old_due_date_may_be_kept_when_editing(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    old = OutreachTaskFactory(organisation=organisation, due_on=dt.date(2020, 3, 1))
    db.session.commit()
    data = {**task_form(organisation.id, due_on="2020-03-01"), "status": "cancelled"}
    response = post_form(coordinator, f"/admin/outreach/{old.id}/edit", data)
    assert response.status_code == 302
    assert reload(old.id).status == "cancelled"


BAD_UPDATES = [
    ({}, "Write an update"),
    ({"text": "   "}, "Write an update"),
    ({"new_status": "archived"}, "Not a valid choice"),
    ({"text": "U" * 5001}, "longer than 5000"),
    ({"text": "Reply\u202e"}, "direction-control"),
    ({"outcome": "O" * 5001}, "longer than 5000"),
    ({"text": "Bell\x07"}, "line breaks"),
]


@pytest.mark.parametrize(("values", "message"), BAD_UPDATES)
def test_bad_updates_write_nothing(
    coordinator: FlaskClient, task: OutreachTask, values: dict[str, str], message: str
) -> None:
    before = written()
    path = f"/admin/outreach/{task.id}"
    data = {"text": "", "new_status": "", "outcome": "", **values}
    response = post_form(coordinator, f"{path}/updates", data, path)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert written() == before and reload(task.id).status == "open"


def test_a_repeated_update_is_refused(coordinator: FlaskClient, task: OutreachTask) -> None:
    path = f"/admin/outreach/{task.id}"
    data = {"text": "Called the ministry.", "new_status": "", "outcome": ""}
    assert post_form(coordinator, f"{path}/updates", data, path).status_code == 302
    before = written()
    again = post_form(coordinator, f"{path}/updates", data, path)
    assert again.status_code == 400 and "already in the thread" in again.get_data(as_text=True)
    assert written() == before


BAD_BULK = [
    ({"states": None}, "Choose at least one state"),
    ({"states": "ATL"}, "not a valid choice"),
    ({"kind": "petition"}, "Not a valid choice"),
    ({"title": ""}, "Give the title"),
    ({"title": "B" * 201}, "longer than 200"),
    ({"title": "=1+1"}, "start with a letter"),
    ({"title": "<b>Day</b>"}, "&lt; and &gt;"),
    ({"due_on": "2026-13-45"}, "Not a valid date"),
    ({"due_on": "1990-12-18"}, "must be between"),
    ({"states": "ARG"}, "No partner organisation works on: Argentina"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_BULK)
def test_bad_bulk_creates_write_nothing(
    coordinator: FlaskClient, changes: dict[str, str | None], message: str
) -> None:
    PartnershipFactory(state=state("BRA"))
    db.session.commit()
    data: dict[str, str | None] = {
        "states": "BRA",
        "kind": "migrants_day",
        "title": "Migrants Day",
        "due_on": "",
        **changes,
    }
    before = written()
    form = {key: value for key, value in data.items() if value is not None}
    response = post_form(coordinator, "/admin/outreach/bulk", form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert written() == before


def test_priority_alone_with_no_priority_states(coordinator: FlaskClient) -> None:
    response = post_form(
        coordinator,
        "/admin/outreach/bulk",
        {"priority": "y", "kind": "media", "title": "Op-ed"},
    )
    assert response.status_code == 400
    assert "no priority states" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/outreach/new",
        "/admin/outreach/bulk",
        "/admin/outreach/{id}/edit",
        "/admin/outreach/{id}/updates",
    ],
)
def test_missing_csrf_writes_nothing(
    coordinator: FlaskClient, task: OutreachTask, path: str
) -> None:
    before = written()
    data = {**task_form(task.organisation_id, title="New"), "states": "BRA", "text": "Hello"}
    response = coordinator.post(path.format(id=task.id), data=data)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert written() == before
