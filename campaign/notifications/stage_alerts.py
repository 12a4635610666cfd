"""Alerts on the road to ratification: a confirmed change of stage, mailed to the followers of
its state who chose these alerts (Subscription.is_alerted_on_stages), once each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select, update

from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import compose
from campaign.notifications import messages
from campaign.notifications.models import Subscription, subscription_states
from campaign.notifications.queries import mailable
from campaign.road.models import StageChange
from campaign.road.stages import stage_label

# The alert job is usually this far behind a confirmation; the sweep leaves it the time.
SWEEP_GRACE = dt.timedelta(minutes=5)


def recipients(change: StageChange) -> list[Subscription]:
    """Mailable subscribers who chose stage alerts and follow the state (or all states)."""
    followers = select(subscription_states.c.subscription_id).where(
        subscription_states.c.state_id == change.state_id
    )
    return list(
        db.session.scalars(
            select(Subscription)
            .where(
                mailable(),
                Subscription.is_alerted_on_stages.is_(True),
                or_(
                    Subscription.alerts == "all",
                    (Subscription.alerts == "followed") & Subscription.id.in_(followers),
                ),
            )
            .order_by(Subscription.id)
        )
    )


def _claim(change_id: int) -> bool:
    """Mark the change alerted, once: a second job (or the sweep) finds it marked and stops.
    The mark and the outbox rows commit together, so a job that dies leaves neither."""
    result = db.session.execute(
        update(StageChange)
        .where(
            StageChange.id == change_id,
            StageChange.status == "confirmed",
            StageChange.alerted_at.is_(None),
        )
        .values(alerted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def fan_out(*, change_id: int) -> int:
    """Queue one alert per recipient of the confirmed change; how many. Safe to run again."""
    if not _claim(change_id):
        return 0
    change = db.session.get(StageChange, change_id)
    assert change is not None
    contexts: dict[str, tuple[dict[str, Any], str]] = {}
    people = recipients(change)
    for subscription in people:
        locale = compose.known(subscription.locale)
        if locale not in contexts:
            context = stage_alert_context(change, locale)
            line = compose.subject("stage_alert", locale, state=context["state_name"])
            contexts[locale] = (context, line)
        context, line = contexts[locale]
        messages.queue_for(
            subscription,
            template="stage_alert",
            key=f"stage-alert:{change.id}:{subscription.id}",
            subject_line=line,
            **context,
        )
    return len(people)


def stage_alert_context(change: StageChange, locale: str = "en") -> dict[str, Any]:
    """What a stage alert says, in *locale*."""
    from flask_babel import force_locale

    with force_locale(locale):
        label = stage_label(change.stage.key, change.stage.name)
    return {
        "state_name": compose.state_name(change.state, locale),
        "stage": label,
        "effective_on": compose.long_date(change.effective_on, locale),
        "source": change.source,
        "source_url": change.source_url,
        "state_url": compose.link(f"/states/{change.state.iso3}", locale),
        "road_url": compose.link("/road-to-ratification", locale),
    }


def unalerted_changes(*, now: dt.datetime, within: dt.timedelta) -> list[int]:
    """Changes confirmed recently whose alert job was lost (a broker restart)."""
    return list(
        db.session.scalars(
            select(StageChange.id)
            .where(
                StageChange.status == "confirmed",
                StageChange.alerted_at.is_(None),
                StageChange.decided_at >= now - within,
                StageChange.decided_at < now - SWEEP_GRACE,
            )
            .order_by(StageChange.id)
        )
    )
