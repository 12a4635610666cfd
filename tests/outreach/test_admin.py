"""Coordinators' outreach pages: create, edit, thread, bulk, list, board, CSV, access."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.outreach.models import OutreachTask
from tests.factories import (
    OrganisationFactory,
    OutreachTaskFactory,
    PartnershipFactory,
    state,
)
from tests.outreach.helpers import DUE, post_form, reload, task_form, written
from tests.support.auth import log_in, make_user


@pytest.fixture
def organisation(app: Flask) -> Organisation:
    organisation = OrganisationFactory(name="Centro de Derechos del Migrante")
    db.session.commit()
    return organisation


def test_create_then_thread_then_edit(coordinator: FlaskClient, organisation: Organisation) -> None:
    response = post_form(coordinator, "/admin/outreach/new", task_form(organisation.id))
    assert response.status_code == 302
    task = db.session.scalars(select(OutreachTask)).one()
    assert response.headers["Location"] == f"/admin/outreach/{task.id}"
    assert (task.state.iso3, task.organisation_id, task.due_on.isoformat()) == (  # type: ignore[union-attr]
        "BRA",
        organisation.id,
        DUE,
    )
    path = f"/admin/outreach/{task.id}"
    update = {
        "text": "Sent; the ministry acknowledged.",
        "new_status": "done",
        "outcome": "Meeting",
    }
    assert post_form(coordinator, f"{path}/updates", update, path).status_code == 302
    task = reload(task.id)
    assert task.status == "done" and task.completed_at is not None and task.outcome == "Meeting"
    page = coordinator.get(path).get_data(as_text=True)
    assert "Sent; the ministry acknowledged." in page and "coordinator@example.org" in page
    edit_page = coordinator.get(f"{path}/edit").get_data(as_text=True)
    assert (
        '<option selected value="BRA">' in edit_page
        and 'value="Letter to the Minister' in edit_page
    )
    edited = task_form(organisation.id, title="Letter to the Prime Minister")
    assert post_form(coordinator, f"{path}/edit", {**edited, "status": "done"}).status_code == 302
    assert reload(task.id).title == "Letter to the Prime Minister"
    actions = db.session.scalars(
        select(AuditEvent.action).filter_by(entity_type="outreach_task").order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "outreach_task.created",
        "outreach_task.update_added",
        "outreach_task.updated",
    ]


def test_new_task_form_is_prefilled_from_the_query_string(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    page = coordinator.get(f"/admin/outreach/new?state=MEX&organisation={organisation.id}")
    text = page.get_data(as_text=True)
    assert '<option selected value="MEX">Mexico</option>' in text


def test_bulk_for_priority_states_then_repeat(coordinator: FlaskClient) -> None:
    mexico, nepal = state("MEX"), state("NPL")
    mexico.is_priority = nepal.is_priority = True
    one, two = OrganisationFactory(), OrganisationFactory()
    PartnershipFactory(organisation=one, state=mexico)
    PartnershipFactory(organisation=two, state=mexico)
    PartnershipFactory(organisation=one, state=state("PHL"))
    db.session.commit()
    data = {
        "states": "PHL",
        "priority": "y",
        "kind": "migrants_day",
        "title": "International Migrants Day event",
        "due_on": DUE,
    }
    response = post_form(coordinator, "/admin/outreach/bulk", data)
    assert response.status_code == 302
    flashed = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Created 3 tasks." in flashed and "No partner organisation works on: Nepal." in flashed
    before = written()
    again = post_form(coordinator, "/admin/outreach/bulk", data)
    assert again.status_code == 400
    assert "3 existed already" in again.get_data(as_text=True)
    assert written() == before and before[0] == 3


def test_list_filters_sorts_and_pages(coordinator: FlaskClient) -> None:
    organisation = OrganisationFactory()
    for number in range(30):
        OutreachTaskFactory(organisation=organisation, title=f"Brazil task {number:02}")
    OutreachTaskFactory(organisation=organisation, state=state("MEX"), title="Mexico task")
    db.session.commit()
    first = coordinator.get("/admin/outreach").get_data(as_text=True)
    assert "31 tasks." in first and "Page 1 of 2." in first and "Brazil task 00" in first
    assert "Brazil task 29" not in first
    second = coordinator.get("/admin/outreach?page=2").get_data(as_text=True)
    assert "Brazil task 29" in second and "Brazil task 00" not in second
    mexico = coordinator.get("/admin/outreach?state=MEX").get_data(as_text=True)
    assert "Mexico task" in mexico and "Brazil task" not in mexico
    by_state = coordinator.get("/admin/outreach?sort=state&dir=desc").get_data(as_text=True)
    assert by_state.index("Mexico task") < by_state.index("Brazil task 00")
    assert 'aria-sort="descending"' in by_state
    assert coordinator.get("/admin/outreach?page=99&sort=x&status=y").status_code == 200


def test_board_has_a_column_per_status(coordinator: FlaskClient) -> None:
    OutreachTaskFactory(title="Blocked briefing", status="blocked")
    db.session.commit()
    page = coordinator.get("/admin/outreach/board").get_data(as_text=True)
    for heading in ("Open (0)", "In progress (0)", "Done (0)", "Blocked (1)", "Cancelled (0)"):
        assert heading in page
    assert "Blocked briefing" in page


def test_csv_export_escapes_formulas_and_honours_filters(coordinator: FlaskClient) -> None:
    OutreachTaskFactory(
        title='=HYPERLINK("http://evil.example")', description="@SUM(A1)", outcome="+1"
    )
    OutreachTaskFactory(state=state("MEX"), title="-2 Mexico")
    db.session.commit()
    response = coordinator.get("/admin/outreach/export.csv?state=BRA")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    [row] = rows
    assert row["title"] == '\'=HYPERLINK("http://evil.example")'
    assert (row["description"], row["outcome"], row["iso3"]) == ("'@SUM(A1)", "'+1", "BRA")
    everything = coordinator.get("/admin/outreach/export.csv").get_data(as_text=True)
    assert "'-2 Mexico" in everything


def test_unknown_task_is_404(coordinator: FlaskClient) -> None:
    assert coordinator.get("/admin/outreach/999999").status_code == 404
    assert coordinator.get("/admin/outreach/999999/edit").status_code == 404


ROUTES = [
    ("get", "/admin/outreach"),
    ("get", "/admin/outreach/board"),
    ("get", "/admin/outreach/export.csv"),
    ("get", "/admin/outreach/new"),
    ("get", "/admin/outreach/bulk"),
    ("get", "/admin/outreach/{id}"),
    ("get", "/admin/outreach/{id}/edit"),
    ("post", "/admin/outreach/{id}/updates"),
]


@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("partner", 403)])
def test_only_coordinators_reach_the_back_office(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, role: str | None, expected: int
) -> None:
    task = OutreachTaskFactory()
    db.session.commit()
    if role:
        log_in(client, make_user(role))
    # The refusal must come from the role check, not from a missing CSRF token.
    monkeypatch.setitem(client.application.config, "WTF_CSRF_ENABLED", False)
    before = written()
    for method, path in ROUTES:
        response = getattr(client, method)(path.format(id=task.id), data={"text": "x"})
        assert response.status_code == expected, path
    assert written() == before
