"""Read-side queries of outreach tasks: filtered, sorted and paginated lists, counts, exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVarTuple

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import joinedload

from campaign.core.params import as_id, as_page
from campaign.extensions import db
from campaign.organisations.models import Organisation, Partnership
from campaign.outreach.models import ACTIVE_STATUSES, TASK_KINDS, TASK_STATUSES, OutreachTask
from campaign.road import queries as road_queries
from campaign.states.models import State

Ts = TypeVarTuple("Ts")

SORTS = ("due", "state", "status", "updated")
PER_PAGE = 25


@dataclass(frozen=True)
class TaskFilters:
    """What a task list is narrowed to and ordered by; unknown values mean "any"."""

    state: str | None = None  # ISO alpha-3
    organisation_id: int | None = None
    status: str | None = None
    kind: str | None = None
    overdue: bool = False
    due_this_week: bool = False
    sort: str = "due"
    descending: bool = False
    page: int = 1
    # The state's stage on the road to ratification: a stage's id, or "none" (no confirmed one).
    stage: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> TaskFilters:
        """Filters from query-string arguments; anything malformed is ignored."""
        state = (args.get("state") or "").upper()
        return cls(
            state=state if len(state) == 3 and state.isalpha() else None,
            organisation_id=as_id(args.get("organisation")),
            status=args.get("status") if args.get("status") in TASK_STATUSES else None,
            kind=args.get("kind") if args.get("kind") in TASK_KINDS else None,
            overdue=args.get("overdue") == "1",
            due_this_week=args.get("week") == "1",
            sort=args.get("sort") if args.get("sort") in SORTS else "due",  # type: ignore[arg-type]
            descending=args.get("dir") == "desc",
            page=as_page(args.get("page")),
            stage=_stage_arg(args.get("stage")),
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """These filters, changed by *changes*, as query-string arguments (for links)."""
        filters = replace(self, **changes)
        values = {
            "state": filters.state or "",
            "organisation": str(filters.organisation_id or ""),
            "status": filters.status or "",
            "kind": filters.kind or "",
            "overdue": "1" if filters.overdue else "",
            "week": "1" if filters.due_this_week else "",
            "sort": filters.sort if filters.sort != "due" else "",
            "dir": "desc" if filters.descending else "",
            "page": str(filters.page) if filters.page > 1 else "",
            "stage": filters.stage or "",
        }
        return {key: value for key, value in values.items() if value}


def _stage_arg(value: str | None) -> str | None:
    """`none`, or a well-formed id (an unknown stage then matches no task); else no filter."""
    if value == "none":
        return value
    number = as_id(value)
    return str(number) if number is not None else None


def week_of(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week containing *today*."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def overdue_condition(today: dt.date) -> ColumnElement[bool]:
    return OutreachTask.status.in_(ACTIVE_STATUSES) & (OutreachTask.due_on < today)


def _ordering(filters: TaskFilters) -> list[Any]:
    status_rank = case(
        {status: rank for rank, status in enumerate(TASK_STATUSES)}, value=OutreachTask.status
    )
    column: Any = {
        "due": OutreachTask.due_on,
        "state": State.name,
        "status": status_rank,
        "updated": OutreachTask.updated_at,
    }[filters.sort]
    ordered = column.desc() if filters.descending else column.asc()
    return [ordered.nulls_last(), OutreachTask.id]


def _filtered(query: Select[*Ts], filters: TaskFilters, today: dt.date) -> Select[*Ts]:
    if filters.state:
        query = query.where(State.iso3 == filters.state)
    if filters.organisation_id:
        query = query.where(OutreachTask.organisation_id == filters.organisation_id)
    if filters.status:
        query = query.where(OutreachTask.status == filters.status)
    if filters.kind:
        query = query.where(OutreachTask.kind == filters.kind)
    if filters.overdue:
        query = query.where(overdue_condition(today))
    if filters.due_this_week:
        monday, sunday = week_of(today)
        query = query.where(OutreachTask.due_on.between(monday, sunday))
    if filters.stage:
        current = road_queries.current_changes()
        if filters.stage == "none":
            query = query.where(OutreachTask.state_id.not_in(list(current)))
        else:
            at = [sid for sid, change in current.items() if str(change.stage_id) == filters.stage]
            query = query.where(OutreachTask.state_id.in_(at))
    return query


def task_query(filters: TaskFilters, today: dt.date) -> Select[OutreachTask]:
    """Tasks matching *filters*, ordered, with state and organisation loaded."""
    query = (
        select(OutreachTask)
        .join(OutreachTask.state)
        .options(joinedload(OutreachTask.state), joinedload(OutreachTask.organisation))
    )
    return _filtered(query, filters, today).order_by(*_ordering(filters))


def list_tasks(filters: TaskFilters, today: dt.date, per_page: int = PER_PAGE) -> Pagination:
    """One page of the tasks matching *filters*; a page past the end is empty, not an error."""
    return db.paginate(
        task_query(filters, today), page=filters.page, per_page=per_page, error_out=False
    )


def board(filters: TaskFilters, today: dt.date, limit: int = 50) -> dict[str, list[OutreachTask]]:
    """The tasks matching *filters* in one column per status, at most *limit* per column."""
    columns: dict[str, list[OutreachTask]] = {}
    for status in TASK_STATUSES:
        query = task_query(replace(filters, status=status), today).limit(limit)
        columns[status] = list(db.session.scalars(query))
    return columns


def count_by_status(
    filters: TaskFilters | None = None, today: dt.date | None = None
) -> dict[str, int]:
    """How many tasks are in each status (every status present, zero when none)."""
    query = (
        select(OutreachTask.status, func.count())
        .join(OutreachTask.state)
        .group_by(OutreachTask.status)
    )
    if filters is not None and today is not None:
        query = _filtered(query, replace(filters, status=None), today)
    counts = {status: count for status, count in db.session.execute(query)}
    return {status: counts.get(status, 0) for status in TASK_STATUSES}


def overdue_tasks(today: dt.date, limit: int = 10) -> tuple[int, list[OutreachTask]]:
    """How many tasks are overdue, and the *limit* longest overdue."""
    total = db.session.scalar(select(func.count()).where(overdue_condition(today))) or 0
    query = task_query(TaskFilters(overdue=True), today).limit(limit)
    return total, list(db.session.scalars(query))


def organisation_choices() -> list[tuple[str, str]]:
    """(id, name) of every organisation not merged into another, for select fields."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.merged_into_id.is_(None))
        .order_by(Organisation.name)
    )
    return [(str(organisation_id), name) for organisation_id, name in rows]


def partners_of(states: Iterable[State]) -> dict[int, list[Organisation]]:
    """The active partner organisations of each state, by state id, by name."""
    ids = [state.id for state in states]
    rows = db.session.execute(
        select(Partnership.state_id, Organisation)
        .join(Partnership.organisation)
        .where(Partnership.state_id.in_(ids), Organisation.merged_into_id.is_(None))
        .order_by(Organisation.name)
    )
    partners: dict[int, list[Organisation]] = {state_id: [] for state_id in ids}
    for state_id, organisation in rows:
        partners[state_id].append(organisation)
    return partners


def task_for_organisation(task_id: int, organisation_id: int) -> OutreachTask | None:
    """The task if it is assigned to *organisation_id*; None for anyone else's task."""
    return db.session.scalars(
        select(OutreachTask).where(
            OutreachTask.id == task_id, OutreachTask.organisation_id == organisation_id
        )
    ).first()


def states_of_organisation(organisation_id: int) -> list[tuple[State, str]]:
    """The states an organisation works on (its partnerships), with its role, by name."""
    rows = db.session.execute(
        select(State, Partnership.role)
        .join(Partnership, Partnership.state_id == State.id)
        .where(Partnership.organisation_id == organisation_id)
        .order_by(State.name)
    )
    return [(state, role) for state, role in rows]


EXPORT_HEADER = [
    "id",
    "iso3",
    "state",
    "organisation",
    "kind",
    "title",
    "description",
    "due_on",
    "status",
    "outcome",
    "created_at",
    "updated_at",
    "completed_at",
]


def export_rows(filters: TaskFilters, today: dt.date) -> Iterator[list[Any]]:
    """The tasks matching *filters*, one CSV row each, fetched in batches."""
    query = (
        select(OutreachTask, State.iso3, State.name, Organisation.name)
        .join(OutreachTask.state)
        .join(OutreachTask.organisation)
        .execution_options(yield_per=500)
    )
    query = _filtered(query, filters, today).order_by(*_ordering(filters))
    for task, iso3, state, organisation in db.session.execute(query):
        yield [
            task.id,
            iso3,
            state,
            organisation,
            task.kind,
            task.title,
            task.description,
            task.due_on,
            task.status,
            task.outcome,
            task.created_at,
            task.updated_at,
            task.completed_at,
        ]


def states_for_bulk(iso3s: list[str], include_priority: bool) -> list[State]:
    """The states chosen by code, and every priority state if asked, by name."""
    condition: ColumnElement[bool] = State.iso3.in_(iso3s)
    if include_priority:
        condition = condition | State.is_priority.is_(True)
    return list(db.session.scalars(select(State).where(condition).order_by(State.name)))


def priority_states() -> list[State]:
    return list(db.session.scalars(select(State).filter_by(is_priority=True).order_by(State.name)))
