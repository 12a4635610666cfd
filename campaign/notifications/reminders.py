"""International Migrants Day reminders, and notices of outreach tasks due soon or overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import case, or_, select

from campaign.events.display import reminder_items
from campaign.events.models import Event
from campaign.events.queries import events_near
from campaign.extensions import db
from campaign.mail import compose
from campaign.mail.services import queue_email
from campaign.notifications import messages
from campaign.notifications.models import Subscription, subscription_states
from campaign.notifications.queries import mailable, partner_subscriptions
from campaign.notifications.services import ensure_staff_subscriptions
from campaign.outreach.models import ACTIVE_STATUSES, KIND_LABELS, OutreachTask
from campaign.states.models import State
from campaign.states.treaty import next_migrants_day

# Overdue notices catch up on this many days missed by the job, no further back.
OVERDUE_WINDOW = dt.timedelta(days=7)


def migrants_day(today: dt.date) -> dt.date:
    """The next International Migrants Day (18 December), today included."""
    return next_migrants_day(today)


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
    queued = _remind_partners(prefix, offset, day)
    return queued + _invite_supporters(prefix, offset, day)


def _day_context(days: int, day: dt.date, locale: str) -> dict[str, Any]:
    return {"days": days, "migrants_day": compose.long_date(day, locale)}


def _open_tasks() -> dict[int, list[OutreachTask]]:
    """Open tasks by organisation: Migrants Day events first, then by due date."""
    tasks = db.session.scalars(
        select(OutreachTask)
        .where(OutreachTask.status.in_(ACTIVE_STATUSES))
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


def _task_lines(tasks: list[OutreachTask], locale: str = "en") -> list[dict[str, str]]:
    """The tasks as a mail lists them, in *locale*."""
    with force_locale(compose.known(locale)):
        return [
            {
                "title": task.title,
                "state": compose.state_name(task.state, locale),
                "kind": str(KIND_LABELS[task.kind]) if task.kind in KIND_LABELS else task.kind,
                "due": compose.long_date(task.due_on, locale) if task.due_on else "",
            }
            for task in tasks
        ]


def _remind_partners(prefix: str, days: int, day: dt.date) -> int:
    tasks = _open_tasks()
    queued = 0
    for subscription, organisation_id in partner_subscriptions(list(tasks)):
        locale = compose.known(subscription.locale)
        context = _day_context(days, day, locale)
        queued += bool(
            messages.queue_for(
                subscription,
                template="migrants_day_partner",
                key=f"{prefix}:{subscription.id}",
                subject_line=compose.subject("migrants_day_partner", locale, **context),
                tasks=_task_lines(tasks[organisation_id], locale),
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


def _events_by_subscription(
    subscribers: list[Subscription], today: dt.date, day: dt.date
) -> dict[int, tuple[Event, ...]]:
    """The approved events from today until Migrants Day's end in the states each subscriber
    follows (a subscriber of all states gets none listed: there may be hundreds). Two
    statements, whatever the number of subscribers."""
    ids = [subscription.id for subscription in subscribers]
    followed: dict[int, set[int]] = defaultdict(set)
    if ids:
        for subscription_id, state_id in db.session.execute(
            select(subscription_states.c.subscription_id, subscription_states.c.state_id).where(
                subscription_states.c.subscription_id.in_(ids)
            )
        ):
            followed[subscription_id].add(state_id)
    start = dt.datetime.combine(today, dt.time(), dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
    found = events_near(set().union(*followed.values()), start, end)
    return {
        subscription_id: tuple(event for event in found if event.state_id in states)
        for subscription_id, states in followed.items()
    }


def _invite_supporters(prefix: str, days: int, day: dt.date) -> int:
    """Rendered once per language and list of events near the subscriber's followed states; a
    partner reminded above keeps that one mail (same key)."""
    signatories = db.session.scalars(
        select(State)
        .where(State.status == "signatory")
        .order_by(State.is_priority.desc(), State.name)
    ).all()
    subscribers = supporters()
    nearby = _events_by_subscription(subscribers, day - dt.timedelta(days=days), day)
    rendered: dict[tuple[str, tuple[int, ...]], tuple[str, tuple[str, str]]] = {}
    queued = 0
    for subscription in subscribers:
        locale = compose.known(subscription.locale)
        events = nearby.get(subscription.id, ())
        variant = (locale, tuple(event.id for event in events))
        if variant not in rendered:
            rendered[variant] = _supporter_mail(days, day, signatories, locale, events)
        subject_line, bodies = rendered[variant]
        draft = messages.personalise(
            subscription, f"{prefix}:{subscription.id}", subject_line, bodies
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


def _supporter_mail(
    days: int,
    day: dt.date,
    signatories: Sequence[State],
    locale: str,
    events: Sequence[Event] = (),
) -> tuple[str, tuple[str, str]]:
    """The supporters' subject and shared bodies in *locale*, with *events* near them."""
    context = {
        **_day_context(days, day, locale),
        "events": reminder_items(events, locale),
        "signatories": [
            {
                "name": compose.state_name(state, locale),
                "url": compose.link(f"/states/{state.iso3}", locale),
            }
            for state in signatories
        ],
    }
    subject_line = compose.subject("migrants_day_supporter", locale, **context)
    return subject_line, messages.render_shared("migrants_day_supporter", locale, **context)


def queue_task_notices(*, today: dt.date) -> int:
    """Notices to the assigned organisation's users: a task due within the configured days,
    and a task that became overdue. Once per task, due date and recipient."""
    ensure_staff_subscriptions()
    soon = today + dt.timedelta(days=int(current_app.config["TASK_DUE_REMINDER_DAYS"]))
    tasks = db.session.scalars(
        select(OutreachTask)
        .where(
            OutreachTask.status.in_(ACTIVE_STATUSES),
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
    locale = compose.known(subscription.locale)
    due = compose.long_date(task.due_on, locale)
    key_kind = "task-overdue" if template == "task_overdue" else "task-due"
    return bool(
        messages.queue_for(
            subscription,
            template=template,
            key=f"{key_kind}:{task.id}:{task.due_on.isoformat()}:{subscription.id}",
            subject_line=compose.subject(template, locale, due=due, title=task.title),
            task=_task_lines([task], locale)[0],
            organisation=task.organisation.name,
        )
    )
