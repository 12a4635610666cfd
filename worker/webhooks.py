"""Webhook jobs: deliver one ledger row (retried with backoff), and the sweep for lost jobs."""

from __future__ import annotations

import logging

from celery import shared_task

from campaign.core import jobs
from campaign.db import utcnow
from campaign.extensions import db
from campaign.webhooks import delivery

log = logging.getLogger(__name__)


@shared_task(name=jobs.DELIVER_WEBHOOK)
def deliver_webhook(delivery_id: int) -> str:
    """POST one delivery, once per due attempt, however many times the job runs."""
    claimed = delivery.claim(delivery_id)
    db.session.commit()
    if claimed is None:
        return "skipped"
    outcome = delivery.post(claimed)
    status, retry_in = delivery.settle(claimed, outcome)
    db.session.commit()
    if retry_in is not None:
        try:
            jobs.enqueue_now(jobs.DELIVER_WEBHOOK, delivery_id, countdown=retry_in)
        except Exception:  # the broker is down: the row waits, due, for the sweep
            log.warning("could not schedule a retry of webhook delivery %s", delivery_id)
    return status


@shared_task(name=jobs.SWEEP_WEBHOOKS)
def sweep_webhooks() -> int:
    """Queue again the deliveries that are due but whose job was lost (a broker restart)."""
    now = utcnow()
    delivery.expire_abandoned(now)
    db.session.commit()
    ids = delivery.due(now)
    for delivery_id in ids:
        jobs.enqueue_now(jobs.DELIVER_WEBHOOK, delivery_id)
    return len(ids)
