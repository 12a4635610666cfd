"""The beat schedule: periodic jobs that poll for due work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from celery.schedules import crontab

from campaign.core import jobs


def beat_schedule(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "flush-outbox": {
            "task": jobs.FLUSH_OUTBOX,
            "schedule": crontab(minute="*/5"),
        },
        "remind-unconfirmed-pledges": {
            "task": jobs.REMIND_UNCONFIRMED_PLEDGES,
            "schedule": crontab(minute=17),
        },
        "reconcile-pledge-counters": {
            "task": jobs.RECONCILE_PLEDGE_COUNTERS,
            "schedule": crontab(hour=3, minute=30),
        },
        # Notifications: every job polls for due work and is safe to run again.
        "sweep-alerts": {"task": jobs.SWEEP_ALERTS, "schedule": crontab(minute="*/5")},
        "migrants-day-reminders": {
            "task": jobs.MIGRANTS_DAY_REMINDERS,
            "schedule": crontab(minute=20),
        },
        "outreach-task-reminders": {
            "task": jobs.OUTREACH_TASK_REMINDERS,
            "schedule": crontab(minute=25),
        },
        "digests-due": {"task": jobs.DIGESTS_DUE, "schedule": crontab(minute="*/10")},
        "sweep-webhooks": {"task": jobs.SWEEP_WEBHOOKS, "schedule": crontab(minute="*")},
        "sync-treaty": {
            "task": jobs.SYNC_TREATY,
            "schedule": crontab(hour=int(config.get("TREATY_SYNC_HOUR", 5)), minute=7),
        },
    }
