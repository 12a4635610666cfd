"""Task lists: filters, sort orders, pagination, counts and the parsing of query strings."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from campaign.outreach import queries
from campaign.outreach.models import OutreachTask
from campaign.outreach.queries import TaskFilters
from tests.factories import OrganisationFactory, OutreachTaskFactory, state

TODAY = dt.date(2026, 6, 10)  # a Wednesday: the week runs from 8 to 14 June
DAY = dt.timedelta(days=1)


# title: (state, organisation, kind, status, days from TODAY to the due date or None)
TASKS = {
    "Overdue letter": ("MEX", "Amel Association", "letter", "open", -1),
    "Blocked meeting": ("PHL", "Sol", "meeting", "blocked", -3),
    "Done briefing": ("MEX", "Sol", "briefing", "done", -5),
    "Sunday media": ("BRA", "Amel Association", "media", "in_progress", 4),
    "Next Monday event": ("BRA", "Sol", "migrants_day", "open", 5),
    "Someday": ("ARG", "Amel Association", "other", "cancelled", None),
}


@pytest.fixture
def tasks(app: Flask) -> dict[str, OutreachTask]:
    organisations = {name: OrganisationFactory(name=name) for name in ("Amel Association", "Sol")}
    return {
        title: OutreachTaskFactory(
            title=title,
            state=state(iso3),
            organisation=organisations[organisation],
            kind=kind,
            status=status,
            due_on=None if days is None else TODAY + days * DAY,
        )
        for title, (iso3, organisation, kind, status, days) in TASKS.items()
    }


def _titles(filters: TaskFilters, per_page: int = 50) -> list[str]:
    return [task.title for task in queries.list_tasks(filters, TODAY, per_page).items]


def test_default_order_is_due_date_with_undated_last(tasks: dict[str, OutreachTask]) -> None:
    assert _titles(TaskFilters()) == [
        "Done briefing",
        "Blocked meeting",
        "Overdue letter",
        "Sunday media",
        "Next Monday event",
        "Someday",
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (TaskFilters(state="MEX"), ["Done briefing", "Overdue letter"]),
        (TaskFilters(status="blocked"), ["Blocked meeting"]),
        (TaskFilters(kind="migrants_day"), ["Next Monday event"]),
        (TaskFilters(overdue=True), ["Blocked meeting", "Overdue letter"]),
        (TaskFilters(due_this_week=True), ["Overdue letter", "Sunday media"]),
        (TaskFilters(state="MEX", overdue=True), ["Overdue letter"]),
        (TaskFilters(state="ZZZ"), []),
    ],
)
def test_filters(tasks: dict[str, OutreachTask], filters: TaskFilters, expected: list[str]) -> None:
    assert _titles(filters) == expected


def test_filter_by_organisation(tasks: dict[str, OutreachTask]) -> None:
    amel = tasks["Overdue letter"].organisation_id
    assert _titles(TaskFilters(organisation_id=amel)) == [
        "Overdue letter",
        "Sunday media",
        "Someday",
    ]


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("state", False, ["Someday", "Sunday media", "Next Monday event"]),
        ("status", False, ["Overdue letter", "Next Monday event", "Sunday media"]),
        ("status", True, ["Someday", "Blocked meeting", "Done briefing"]),
        ("due", True, ["Next Monday event", "Sunday media", "Overdue letter"]),
    ],
)
def test_sort_orders(
    tasks: dict[str, OutreachTask], sort: str, descending: bool, expected: list[str]
) -> None:
    assert _titles(TaskFilters(sort=sort, descending=descending))[:3] == expected


def test_sort_by_updated(tasks: dict[str, OutreachTask]) -> None:
    for hours, task in enumerate(tasks.values()):
        task.updated_at = dt.datetime(2026, 6, 1, hours, tzinfo=dt.UTC)
    recent = _titles(TaskFilters(sort="updated", descending=True))
    assert recent[0] == "Someday" and recent[-1] == "Overdue letter"


def test_pagination(tasks: dict[str, OutreachTask]) -> None:
    first = queries.list_tasks(TaskFilters(), TODAY, per_page=4)
    assert (first.total, first.pages, len(first.items), first.has_next) == (6, 2, 4, True)
    second = queries.list_tasks(TaskFilters(page=2), TODAY, per_page=4)
    assert [t.title for t in second.items] == ["Next Monday event", "Someday"]
    assert queries.list_tasks(TaskFilters(page=9), TODAY, per_page=4).items == []


def test_counts_board_and_overdue(tasks: dict[str, OutreachTask]) -> None:
    assert queries.count_by_status() == {
        "open": 2,
        "in_progress": 1,
        "done": 1,
        "blocked": 1,
        "cancelled": 1,
    }
    assert queries.count_by_status(TaskFilters(state="BRA"), TODAY)["open"] == 1
    board = queries.board(TaskFilters(), TODAY)
    assert [t.title for t in board["open"]] == ["Overdue letter", "Next Monday event"]
    total, overdue = queries.overdue_tasks(TODAY)
    assert total == 2 and [t.title for t in overdue] == ["Blocked meeting", "Overdue letter"]


def test_week_runs_monday_to_sunday() -> None:
    assert queries.week_of(TODAY) == (dt.date(2026, 6, 8), dt.date(2026, 6, 14))
    assert queries.week_of(dt.date(2026, 6, 14)) == (dt.date(2026, 6, 8), dt.date(2026, 6, 14))


ARGS = {
    "state": "mex",
    "organisation": "12",
    "status": "done",
    "kind": "media",
    "overdue": "1",
    "week": "1",
    "sort": "state",
    "dir": "desc",
    "page": "3",
}
JUNK = {
    "state": "<sc>",
    "organisation": "-1",
    "status": "lost",
    "kind": "x' OR 1=1",
    "sort": "password",
    "page": "0",
}


def test_query_strings_are_parsed_and_junk_ignored() -> None:
    filters = TaskFilters.from_args(ARGS)
    assert filters == TaskFilters("MEX", 12, "done", "media", True, True, "state", True, 3)
    assert TaskFilters.from_args(JUNK) == TaskFilters()
    assert filters.args(page=1) == {
        **{key: value for key, value in ARGS.items() if key != "page"},
        "state": "MEX",
    }
