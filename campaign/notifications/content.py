"""What a digest says, gathered once per period from the registry, pledges and outreach."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from campaign.extensions import db
from campaign.notifications import messages
from campaign.outreach.models import OutreachTask
from campaign.pledges.models import Pledge
from campaign.states.models import StatusChange
from campaign.states.queries import registry_stats

HEADLINES = {
    "signature": "signed",
    "ratification": "ratified",
    "accession": "acceded",
}
MAX_TASKS_LISTED = 20


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def period_label(kind: str, since: dt.date) -> str:
    """ "Week of 7 December 2026" or "November 2026": the period the digest covers."""
    if kind == "weekly":
        return f"Week of {messages.long_date(since)}"
    return f"{since:%B %Y}"


def digest_content(kind: str, since: dt.date, until: dt.date) -> dict[str, Any]:
    """Plain values only (stored as JSON): the digest is rendered from them, never re-queried."""
    stats = registry_stats()
    start, end = _moment(since), _moment(until)
    next_day = dt.date(until.year, 12, 18)
    if next_day < until:
        next_day = dt.date(until.year + 1, 12, 18)
    tasks, tasks_total = _tasks_done(start, end)
    return {
        "kind": kind,
        "period": period_label(kind, since),
        "changes": _changes(start, end),
        "parties": stats.parties,
        "signatories": stats.signatories,
        "pledges_since": _pledges(start, end),
        "tasks_done": tasks,
        "tasks_done_total": tasks_total,
        "migrants_day": messages.long_date(next_day),
        "days_to_migrants_day": (next_day - until).days,
        "states_url": messages.site_url("/states"),
    }


def _changes(start: dt.datetime, end: dt.datetime) -> list[dict[str, str]]:
    changes = db.session.scalars(
        select(StatusChange)
        .where(
            StatusChange.recorded_via != "seed",
            StatusChange.act.in_(tuple(HEADLINES)),
            StatusChange.from_status != StatusChange.to_status,
            StatusChange.recorded_at >= start,
            StatusChange.recorded_at < end,
        )
        .order_by(StatusChange.effective_on, StatusChange.id)
    )
    return [
        {
            "state": change.state.name,
            "headline": HEADLINES[change.act],
            "effective_on": messages.long_date(change.effective_on),
            "url": messages.site_url(f"/states/{change.state.iso3}"),
        }
        for change in changes
    ]


def _pledges(start: dt.datetime, end: dt.datetime) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Pledge)
            .where(
                Pledge.confirmed_at >= start,
                Pledge.confirmed_at < end,
                Pledge.is_counted.is_(True),
            )
        )
        or 0
    )


def _tasks_done(start: dt.datetime, end: dt.datetime) -> tuple[list[dict[str, str]], int]:
    done = (
        select(OutreachTask)
        .where(
            OutreachTask.status == "done",
            OutreachTask.completed_at >= start,
            OutreachTask.completed_at < end,
        )
        .order_by(OutreachTask.completed_at, OutreachTask.id)
    )
    total = db.session.scalar(select(func.count()).select_from(done.subquery())) or 0
    listed = [
        {"title": task.title, "state": task.state.name, "organisation": task.organisation.name}
        for task in db.session.scalars(done.limit(MAX_TASKS_LISTED))
    ]
    return listed, int(total)
