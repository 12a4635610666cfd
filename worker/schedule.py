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
    }
