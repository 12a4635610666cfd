"""International Migrants Day reminders, and notices of outreach tasks due soon or overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from flask import current_app
from sqlalchemy import case, or_, select

from campaign.extensions import db
from campaign.mail.services import queue_email
from campaign.notifications import messages
from campaign.notifications.models import Subscription
from campaign.notifications.queries import mailable, partner_subscriptions
from campaign.notifications.services import ensure_staff_subscriptions
from campaign.outreach.models import OutreachTask
from campaign.states.models import State

OPEN_TASK_STATUSES = ("open", "in_progress", "blocked")
KIND_LABELS = {
    "letter": "Letter",
    "meeting": "Meeting with a ministry",
    "briefing": "Parliamentary briefing",
    "media": "Media",
    "migrants_day": "Migrants Day event",
    "other": "Other",
}
# Overdue notices catch up on this many days missed by the job, no further back.
OVERDUE_WINDOW = dt.timedelta(days=7)


def migrants_day(today: dt.date) -> dt.date:
    """The next International Migrants Day (18 December), today included."""
    this_year = dt.date(today.year, 12, 18)
    return this_year if today <= this_year else dt.date(today.year + 1, 12, 18)


def reminder_offset(today: dt.date) -> int | None:
    """Days until Migrants Day when today is one of the configured offsets, else None."""
    configured = str(current_app.config["MIGRANTS_DAY_OFFSETS"])
    offsets = {int(part) for part in configured.split(",") if part.strip()}
    days = (migrants_day(today) - today).days
    return days if days in offsets else None


def queue_migrants_day(*, today: dt.date) -> int:
    """On an offset day: partners' users get their open tasks, supporters a call to act.

    One mail per recipient per offset per year (the key), however often the job runs.
    """
    offset = reminder_offset(today)
    if offset is None:
        return 0
    ensure_staff_subscriptions()
    day = migrants_day(today)
    prefix = f"migrants-day:{day.year}:d-{offset}"
    context = {"days": offset, "migrants_day": messages.long_date(day)}
    queued = _remind_partners(prefix, context)
    return queued + _invite_supporters(prefix, context)


def _open_tasks() -> dict[int, list[OutreachTask]]:
    """Open tasks by organisation: Migrants Day events first, then by due date."""
    tasks = db.session.scalars(
        select(OutreachTask)
        .where(OutreachTask.status.in_(OPEN_TASK_STATUSES))
        .order_by(
            case((OutreachTask.kind == "migrants_day", 0), else_=1),
            OutreachTask.due_on.is_(None),
            OutreachTask.due_on,
            OutreachTask.id,
        )
    )
    grouped: dict[int, list[OutreachTask]] = defaultdict(list)
    for task in tasks:
        grouped[task.organisation_id].append(task)
    return grouped


def _task_lines(tasks: list[OutreachTask]) -> list[dict[str, str]]:
    return [
        {
            "title": task.title,
            "state": task.state.name,
            "kind": KIND_LABELS.get(task.kind, task.kind),
            "due": messages.long_date(task.due_on) if task.due_on else "no due date",
        }
        for task in tasks
    ]


def _remind_partners(prefix: str, context: dict[str, Any]) -> int:
    tasks = _open_tasks()
    subject_line = messages.subject("migrants_day_partner", **context)
    queued = 0
    for subscription, organisation_id in partner_subscriptions(list(tasks)):
        queued += bool(
            messages.queue_for(
                subscription,
                template="migrants_day_partner",
                key=f"{prefix}:{subscription.id}",
                subject_line=subject_line,
                tasks=_task_lines(tasks[organisation_id]),
                **context,
            )
        )
    return queued


def supporters() -> list[Subscription]:
    """Mailable subscribers who are not staff and still want something from us."""
    return list(
        db.session.scalars(
            select(Subscription)
            .where(
                mailable(),
                Subscription.user_id.is_(None),
                or_(Subscription.frequency != "none", Subscription.alerts != "none"),
            )
            .order_by(Subscription.id)
        )
    )


def _invite_supporters(prefix: str, context: dict[str, Any]) -> int:
    """Rendered once per language; a partner reminded above keeps that one mail (same key)."""
    signatories = db.session.scalars(
        select(State)
        .where(State.status == "signatory")
        .order_by(State.is_priority.desc(), State.name)
    )
    context = {
        **context,
        "signatories": [
            {"name": state.name, "url": messages.site_url(f"/states/{state.iso3}")}
            for state in signatories
        ],
    }
    subject_line = messages.subject("migrants_day_supporter", **context)
    bodies: dict[str, tuple[str, str]] = {}
    queued = 0
    for subscription in supporters():
        if subscription.locale not in bodies:
            bodies[subscription.locale] = messages.render_shared(
                "migrants_day_supporter", subscription.locale, **context
            )
        draft = messages.personalise(
            subscription, f"{prefix}:{subscription.id}", subject_line, bodies[subscription.locale]
        )
        queued += bool(
            queue_email(
                key=draft.key,
                to=draft.to,
                subject=draft.subject,
                text=draft.text,
                html=draft.html,
                headers=draft.headers,
            )
        )
    return queued


def queue_task_notices(*, today: dt.date) -> int:
    """Notices to the assigned organisation's users: a task due within the configured days,
    and a task that became overdue. Once per task, due date and recipient."""
    ensure_staff_subscriptions()
    soon = today + dt.timedelta(days=int(current_app.config["TASK_DUE_REMINDER_DAYS"]))
    tasks = db.session.scalars(
        select(OutreachTask)
        .where(
            OutreachTask.status.in_(OPEN_TASK_STATUSES),
            OutreachTask.due_on >= today - OVERDUE_WINDOW,
            OutreachTask.due_on <= soon,
        )
        .order_by(OutreachTask.id)
    ).all()
    recipients: dict[int, list[Subscription]] = defaultdict(list)
    for subscription, organisation_id in partner_subscriptions(
        [task.organisation_id for task in tasks]
    ):
        recipients[organisation_id].append(subscription)
    queued = 0
    for task in tasks:
        assert task.due_on is not None
        template = "task_overdue" if task.due_on < today else "task_due"
        for subscription in recipients[task.organisation_id]:
            queued += _queue_task_notice(subscription, task, template)
    return queued


def _queue_task_notice(subscription: Subscription, task: OutreachTask, template: str) -> bool:
    assert task.due_on is not None
    due = messages.long_date(task.due_on)
    key_kind = "task-overdue" if template == "task_overdue" else "task-due"
    return bool(
        messages.queue_for(
            subscription,
            template=template,
            key=f"{key_kind}:{task.id}:{task.due_on.isoformat()}:{subscription.id}",
            subject_line=messages.subject(template, due=due, title=task.title),
            task=_task_lines([task])[0],
            organisation=task.organisation.name,
        )
    )
