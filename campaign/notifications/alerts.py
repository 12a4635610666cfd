"""Status-change alerts: who is told of a change, and one queued mail per recipient."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select

from campaign.accounts.models import User
from campaign.core.inserts import insert_new
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import compose
from campaign.notifications import messages
from campaign.notifications.models import AlertRun, Subscription, subscription_states
from campaign.notifications.queries import mailable
from campaign.notifications.services import ensure_staff_subscriptions
from campaign.organisations.models import Partnership
from campaign.states.models import TREATY_ACTS, StatusChange
from campaign.states.queries import RegistryStats, registry_stats

STAFF_ROLES = ("coordinator", "admin")
# The normal alert job is usually this far behind a change; the sweep leaves it the time.
SWEEP_GRACE = dt.timedelta(minutes=5)


def is_alertable(change: StatusChange) -> bool:
    """An act that moved the state; corrections and no-op changes alert nobody."""
    return change.act in TREATY_ACTS and change.from_status != change.to_status


def recipients(change: StatusChange) -> list[Subscription]:
    """Followers of the state or of all states, its partners' users, coordinators and admins.

    Everyone as one subscription, once, and only if mailable and not opted out of alerts.
    """
    followers = select(subscription_states.c.subscription_id).where(
        subscription_states.c.state_id == change.state_id
    )
    partners = (
        select(User.id)
        .join(Partnership, Partnership.organisation_id == User.organisation_id)
        .where(Partnership.state_id == change.state_id, User.role == "partner")
    )
    staff = select(User.id).where(User.role.in_(STAFF_ROLES))
    active_users = select(User.id).where(User.is_active.is_(True))
    return list(
        db.session.scalars(
            select(Subscription)
            .where(
                mailable(),
                Subscription.alerts != "none",
                or_(
                    Subscription.alerts == "all",
                    Subscription.id.in_(followers),
                    Subscription.user_id.in_(partners) & Subscription.user_id.in_(active_users),
                    Subscription.user_id.in_(staff) & Subscription.user_id.in_(active_users),
                ),
            )
            .order_by(Subscription.id)
        )
    )


def _claim_run(change: StatusChange) -> AlertRun | None:
    """The fan-out's own row, inserted first: a second job for the change finds it and stops."""
    values = {"change_id": change.id, "recipients": 0, "created_at": utcnow()}
    if insert_new(AlertRun, values, ["change_id"]) is None:
        return None
    return db.session.get(AlertRun, change.id)


def fan_out(*, change_id: int) -> int:
    """Queue one alert per recipient of the change; how many. Safe to run any number of times."""
    change = db.session.get(StatusChange, change_id)
    if change is None or not is_alertable(change):
        return 0
    run = _claim_run(change)
    if run is None:
        return 0
    ensure_staff_subscriptions()
    stats = registry_stats()
    # Rendered in each recipient's language: the context and subject once per language.
    contexts: dict[str, tuple[dict[str, Any], str]] = {}
    people = recipients(change)
    for subscription in people:
        locale = compose.known(subscription.locale)
        if locale not in contexts:
            context = alert_context(change, locale, stats=stats)
            subject_line = compose.subject(
                "alert", locale, state=context["state_name"], act=change.act
            )
            contexts[locale] = (context, subject_line)
        context, subject_line = contexts[locale]
        messages.queue_for(
            subscription,
            template="alert",
            key=f"alert:{change.id}:{subscription.id}",
            subject_line=subject_line,
            **context,
        )
    run.recipients = len(people)
    return len(people)


def alert_context(
    change: StatusChange, locale: str = "en", *, stats: RegistryStats | None = None
) -> dict[str, Any]:
    """What an alert says, with the state's name, date and links in *locale*."""
    state = change.state
    stats = stats or registry_stats()
    return {
        "state_name": compose.state_name(state, locale),
        "act": change.act,
        "effective_on": compose.long_date(change.effective_on, locale),
        "source": change.source,
        "source_url": change.source_url,
        "state_url": compose.link(f"/states/{state.iso3}", locale),
        "parties": stats.parties,
        "signatories": stats.signatories,
    }


def unalerted_changes(*, now: dt.datetime, within: dt.timedelta) -> list[int]:
    """Recent changes that should have alerted but have no fan-out (their job was lost)."""
    return list(
        db.session.scalars(
            select(StatusChange.id)
            .where(
                StatusChange.recorded_via.in_(("user", "sync")),
                StatusChange.act.in_(TREATY_ACTS),
                StatusChange.from_status != StatusChange.to_status,
                StatusChange.recorded_at >= now - within,
                StatusChange.recorded_at < now - SWEEP_GRACE,
                ~select(AlertRun.change_id).where(AlertRun.change_id == StatusChange.id).exists(),
            )
            .order_by(StatusChange.id)
        )
    )
