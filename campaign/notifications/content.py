"""What a digest says, gathered once per period from the registry, pledges and outreach."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from campaign.events.queries import new_event_counts
from campaign.extensions import db
from campaign.i18n.localised import babel_locale
from campaign.mail import compose
from campaign.notifications import messages
from campaign.notifications.stage_digest import localised_stage, road_changes
from campaign.outreach.models import OutreachTask
from campaign.pledges.models import Pledge
from campaign.states.models import TREATY_ACTS, StatusChange
from campaign.states.queries import registry_stats
from campaign.states.treaty import next_migrants_day

if TYPE_CHECKING:
    from campaign.notifications.models import Digest

# How a digest names each act (stored in its JSON content: keep these codes).
HEADLINES = {
    "signature": "signed",
    "ratification": "ratified",
    "accession": "acceded",
}
MAX_TASKS_LISTED = 20


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def period_label(kind: str, since: dt.date, locale: str = "en") -> str:
    """ "Week of 7 December 2026" or "November 2026": the period the digest covers."""
    locale = compose.known(locale)
    with force_locale(locale):
        if kind == "weekly":
            return _("Week of %(date)s", date=compose.long_date(since, locale))
    if locale == compose.DEFAULT:
        return f"{since:%B %Y}"
    return format_date(since, "LLLL y", locale=babel_locale(locale))


def digest_content(kind: str, since: dt.date, until: dt.date) -> dict[str, Any]:
    """Plain values only (stored as JSON): the digest is rendered from them, never re-queried.

    The texts are English; `iso2`, the changes' `on` and `migrants_day_on` let
    localised_content() give them in another language.
    """
    stats = registry_stats()
    start, end = _moment(since), _moment(until)
    next_day = next_migrants_day(until)
    tasks, tasks_total, task_states = _tasks_done(start, end)
    changes, change_states = _changes(start, end)
    stage_changes, stage_states = road_changes(start, end)
    return {
        # Migrants Day events published in the period, by state id (JSON keys are strings);
        # each subscriber's mail counts those in the states they follow.
        "new_events_by_state": {str(state): n for state, n in new_event_counts(start, end).items()},
        "events_url": compose.link("/events"),
        "kind": kind,
        "period": period_label(kind, since),
        "changes": changes,
        "parties": stats.parties,
        "signatories": stats.signatories,
        "pledges_since": _pledges(start, end),
        "tasks_done": tasks,
        "tasks_done_total": tasks_total,
        "migrants_day": compose.long_date(next_day),
        "migrants_day_on": next_day.isoformat(),
        "days_to_migrants_day": (next_day - until).days,
        "states_url": compose.link("/states"),
        "stage_changes": stage_changes,
        "iso2": {**change_states, **task_states, **stage_states},
    }


@dataclass
class _Named:
    iso2: str
    name: str


def localised_content(content: dict[str, Any], since: dt.date, locale: str) -> dict[str, Any]:
    """The digest's content with its names, dates and links in *locale* (as stored for English)."""
    if compose.known(locale) == compose.DEFAULT:
        return content
    codes: dict[str, str] = content.get("iso2") or {}

    def name(english: str) -> str:
        known = english in codes
        return compose.state_name(_Named(codes[english], english), locale) if known else english

    def date(iso: str | None, english: str) -> str:
        return compose.long_date(dt.date.fromisoformat(iso), locale) if iso else english

    return {
        **content,
        "period": period_label(content["kind"], since, locale),
        "changes": [
            {
                **change,
                "state": name(change["state"]),
                "effective_on": date(change.get("on"), change["effective_on"]),
                "url": _relocated(change["url"], locale),
            }
            for change in content["changes"]
        ],
        "stage_changes": [
            {
                **change,
                "state": name(change["state"]),
                "stage": localised_stage(change, locale),
                "effective_on": date(change.get("on"), change["effective_on"]),
                "url": _relocated(change["url"], locale),
            }
            for change in content.get("stage_changes", [])
        ],
        "tasks_done": [{**task, "state": name(task["state"])} for task in content["tasks_done"]],
        "migrants_day": date(content.get("migrants_day_on"), content["migrants_day"]),
        "states_url": _relocated(content["states_url"], locale),
        "events_url": _relocated(content.get("events_url", compose.link("/events")), locale),
    }


def _relocated(url: str, locale: str) -> str:
    """A stored English link on the site, in *locale*."""
    base = compose.link("")
    return compose.link(url[len(base) :], locale) if url.startswith(base) else url


def _changes(start: dt.datetime, end: dt.datetime) -> tuple[list[dict[str, str]], dict[str, str]]:
    changes = db.session.scalars(
        select(StatusChange)
        .where(
            StatusChange.recorded_via != "seed",
            StatusChange.act.in_(TREATY_ACTS),
            StatusChange.from_status != StatusChange.to_status,
            StatusChange.recorded_at >= start,
            StatusChange.recorded_at < end,
        )
        .order_by(StatusChange.effective_on, StatusChange.id)
    ).all()
    listed = [
        {
            "state": change.state.name,
            "headline": HEADLINES[change.act],
            "effective_on": compose.long_date(change.effective_on),
            "on": change.effective_on.isoformat(),
            "url": compose.link(f"/states/{change.state.iso3}"),
        }
        for change in changes
    ]
    return listed, {change.state.name: change.state.iso2 for change in changes}


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


def _tasks_done(
    start: dt.datetime, end: dt.datetime
) -> tuple[list[dict[str, str]], int, dict[str, str]]:
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
    tasks = db.session.scalars(done.limit(MAX_TASKS_LISTED)).all()
    listed = [
        {"title": task.title, "state": task.state.name, "organisation": task.organisation.name}
        for task in tasks
    ]
    return listed, int(total), {task.state.name: task.state.iso2 for task in tasks}


# Rendered, with its subject, once per digest, language and number of new events in the
# subscriber's followed states, and kept by the process for the digest's other chunks.
_RENDERED: dict[tuple[Any, ...], tuple[str, tuple[str, str]]] = {}


def rendered_digest(digest: Digest, variant: tuple[str, int]) -> tuple[str, tuple[str, str]]:
    site = current_app.config["SITE_URL"]  # a digest's build time tells it from one with its id
    key = (site, digest.id, digest.created_at, *variant)
    found = _RENDERED.get(key)  # the subject and the shared bodies (messages.render_shared)
    if found is None:
        locale, new_events = variant
        content = localised_content(digest.content, digest.since_on, locale)
        found = (
            compose.subject("digest", locale, period=content["period"]),
            messages.render_shared("digest", locale, **{**content, "new_events": new_events}),
        )
        if len(_RENDERED) >= 64:  # a few digests' variants: the oldest go
            _RENDERED.clear()
        _RENDERED[key] = found
    return found
