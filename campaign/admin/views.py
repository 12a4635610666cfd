"""The coordinators' dashboard: tasks by status, overdue work, recent changes, new pledges."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.admin.charts import bar_chart, sparkline
from campaign.db import utcnow
from campaign.extensions import db
from campaign.outreach import queries as outreach
from campaign.outreach.models import STATUS_LABELS
from campaign.pledges.models import Pledge
from campaign.states.models import StatusChange

RECENT_DAYS = 30
SPARKLINE_DAYS = 8 * 7


def recent_changes(now: dt.datetime, days: int = RECENT_DAYS) -> list[StatusChange]:
    """Entries recorded in the last *days* days, newest first; the seed's are reference data."""
    since = now - dt.timedelta(days=days)
    return list(
        db.session.scalars(
            select(StatusChange)
            .where(StatusChange.recorded_at >= since, StatusChange.recorded_via != "seed")
            .options(joinedload(StatusChange.state), joinedload(StatusChange.recorded_by))
            .order_by(StatusChange.recorded_at.desc(), StatusChange.id.desc())
        )
    )


def confirmed_per_day(today: dt.date, days: int = SPARKLINE_DAYS) -> list[tuple[dt.date, int]]:
    """Pledges confirmed on each of the last *days* days (UTC) up to *today*, oldest first.

    Counted in Python over a stream of timestamps: grouping by a UTC date is spelt differently
    by each database, and eight weeks of confirmations is a modest stream.
    """
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time(), dt.UTC)
    query = (
        select(Pledge.confirmed_at)
        .where(
            Pledge.confirmed_at >= start,
            Pledge.is_suspect.is_(False),
            Pledge.withdrawn_at.is_(None),
        )
        .execution_options(yield_per=1000)
    )
    counts: Counter[dt.date] = Counter()
    for moment in db.session.scalars(query):
        if moment is not None:
            aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
            counts[aware.astimezone(dt.UTC).date()] += 1
    return [(day, counts[day]) for day in (first + dt.timedelta(n) for n in range(days))]


@bp.get("/")
@role_required("coordinator")
def index() -> str:
    now = utcnow()
    today = now.date()
    by_status = outreach.count_by_status()
    overdue_total, overdue = outreach.overdue_tasks(today)
    changes = recent_changes(now)
    per_day = confirmed_per_day(today)
    monday, _sunday = outreach.week_of(today)
    return render_template(
        "admin/index.html",
        by_status=by_status,
        statuses=STATUS_LABELS,
        status_chart=bar_chart(
            title=_("Outreach tasks by status"),
            bars=[(str(STATUS_LABELS[status]), count) for status, count in by_status.items()],
        ),
        overdue_total=overdue_total,
        overdue=overdue,
        changes=changes,
        states_changed=len({change.state_id for change in changes}),
        recent_days=RECENT_DAYS,
        pledges_this_week=sum(count for day, count in per_day if day >= monday),
        week_start=monday,
        pledge_chart=sparkline(
            title=_("Pledges confirmed per day, last 8 weeks"),
            values=[count for _day, count in per_day],
        ),
        today=today,
    )
