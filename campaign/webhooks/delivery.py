"""Delivering one ledger row: claim it atomically, POST the signed body, settle the attempt.

A delivery is claimed by one UPDATE (pending and due, or claimed by a worker that died), so a
job run twice posts once. A failure (any status but 2xx, a timeout, a refused connection, a
TLS error, a refused address) is an attempt recorded with its status code or a short error;
the delivery is retried with exponential backoff until its attempt limit, then fails for
good. WEBHOOK_DISABLE_AFTER deliveries failed for good in a row disable the endpoint, and its
organisation is told through the outbox (campaign/webhooks/notices.py).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import requests
from flask import current_app
from sqlalchemy import ColumnElement, or_, select, update

from campaign.db import utcnow
from campaign.extensions import db
from campaign.webhooks import notices, signing, transport
from campaign.webhooks.addresses import UnsafeAddress, check_url
from campaign.webhooks.models import ERROR_MAX, WebhookAttempt, WebhookDelivery, WebhookEndpoint

# A delivery claimed longer ago than this belongs to a worker that died: claim it again.
CLAIM_TIMEOUT = dt.timedelta(minutes=5)
# The sweep leaves a delivery this long to its own job before queueing it again.
SWEEP_GRACE = dt.timedelta(minutes=1)
BACKOFF_CAP_SECONDS = 3600


@dataclass(frozen=True)
class Claimed:
    id: int
    endpoint_id: int
    event: str
    body: str
    attempts: int  # this attempt's number
    attempt_limit: int
    url: str
    secret_salt: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    return or_(
        (WebhookDelivery.status == "pending") & (WebhookDelivery.next_attempt_at <= now),
        (WebhookDelivery.status == "delivering")
        & (WebhookDelivery.claimed_at < now - CLAIM_TIMEOUT),
    )


def claim(delivery_id: int) -> Claimed | None:
    """Take the delivery for this attempt; None if it is not due (done, waiting, or taken)."""
    now = utcnow()
    active = select(WebhookEndpoint.id).where(WebhookEndpoint.is_active.is_(True))
    row = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.attempts < WebhookDelivery.attempt_limit,
            WebhookDelivery.endpoint_id.in_(active.scalar_subquery()),
            _claimable(now),
        )
        .values(status="delivering", claimed_at=now, attempts=WebhookDelivery.attempts + 1)
        .returning(
            WebhookDelivery.id,
            WebhookDelivery.endpoint_id,
            WebhookDelivery.event,
            WebhookDelivery.body,
            WebhookDelivery.attempts,
            WebhookDelivery.attempt_limit,
        )
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        return None
    endpoint = db.session.execute(
        select(WebhookEndpoint.url, WebhookEndpoint.secret_salt).filter_by(id=row.endpoint_id)
    ).one()
    return Claimed(*row, url=endpoint.url, secret_salt=endpoint.secret_salt)


def _short(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= ERROR_MAX else text[: ERROR_MAX - 1] + "…"


def headers(claimed: Claimed, data: bytes, timestamp: int) -> dict[str, str]:
    """The delivery's headers, signed over *timestamp* and the exact *data*."""
    secret = signing.endpoint_secret(claimed.secret_salt)
    site = current_app.config["SITE_URL"]
    return {
        "Content-Type": "application/json",
        "User-Agent": f"MigrantWorkersConventionCampaign-Webhooks/1 (+{site})",
        "X-Campaign-Event": claimed.event,
        "X-Campaign-Delivery": str(claimed.id),
        "X-Campaign-Timestamp": str(timestamp),
        "X-Campaign-Signature": signing.signature_header(secret, timestamp, data),
    }


def post(claimed: Claimed) -> Outcome:
    """One signed POST of the claimed delivery's exact body; what came back."""
    config = current_app.config
    allow_private = bool(config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"])
    try:
        check_url(claimed.url, allow_private=allow_private)
    except UnsafeAddress as error:
        return Outcome(None, f"refused: {error}"[:ERROR_MAX])
    data = claimed.body.encode("utf-8")
    timeout = float(config["WEBHOOK_TIMEOUT_SECONDS"])
    with transport.session(allow_private=allow_private) as client:
        try:
            response = client.post(
                claimed.url,
                data=data,
                headers=headers(claimed, data, int(time.time())),
                timeout=(timeout, timeout),
                allow_redirects=False,
                verify=config.get("WEBHOOK_CA_BUNDLE") or True,
                stream=True,  # the answer's body is never read
            )
        except requests.RequestException as error:
            return Outcome(None, _short(error))
        response.close()
    if 200 <= response.status_code < 300:
        return Outcome(response.status_code, None)
    reason = f"HTTP {response.status_code} {response.reason or ''}".strip()
    return Outcome(response.status_code, reason[:ERROR_MAX])


def backoff_seconds(attempt: int) -> int:
    """The wait after failed attempt *attempt*: the base, doubled each time, at most an hour."""
    base = int(current_app.config["WEBHOOK_RETRY_BASE_SECONDS"])
    return int(min(BACKOFF_CAP_SECONDS, base * 2 ** max(0, attempt - 1)))


def settle(claimed: Claimed, outcome: Outcome) -> tuple[str, int | None]:
    """Record the attempt and the delivery's new state: (status, seconds until the retry)."""
    now = utcnow()
    db.session.add(
        WebhookAttempt(
            delivery_id=claimed.id,
            number=claimed.attempts,
            attempted_at=now,
            status_code=outcome.status_code,
            error=outcome.error,
            is_success=outcome.ok,
        )
    )
    values: dict[str, object] = {
        "last_attempt_at": now,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "claimed_at": None,
    }
    retry_in: int | None = None
    if outcome.ok:
        status = values["status"] = "delivered"
        values["delivered_at"] = now
    elif claimed.attempts < claimed.attempt_limit:
        status = values["status"] = "pending"
        retry_in = backoff_seconds(claimed.attempts)
        values["next_attempt_at"] = now + dt.timedelta(seconds=retry_in)
    else:
        status = values["status"] = "failed"
    db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == claimed.id, WebhookDelivery.attempts == claimed.attempts)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if status == "delivered":
        _set_failures(claimed.endpoint_id, 0)
    elif status == "failed":
        _count_failure(claimed.endpoint_id, now)
    return status, retry_in


def _set_failures(endpoint_id: int, count: int) -> None:
    db.session.execute(
        update(WebhookEndpoint).filter_by(id=endpoint_id).values(consecutive_failures=count)
    )


def _count_failure(endpoint_id: int, now: dt.datetime) -> None:
    """One more delivery failed for good; at the limit, disable the endpoint (once)."""
    failures = db.session.scalar(
        update(WebhookEndpoint)
        .filter_by(id=endpoint_id)
        .values(consecutive_failures=WebhookEndpoint.consecutive_failures + 1)
        .returning(WebhookEndpoint.consecutive_failures)
    )
    if failures is None or failures < int(current_app.config["WEBHOOK_DISABLE_AFTER"]):
        return
    disabled = db.session.scalar(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.is_active.is_(True))
        .values(is_active=False, disabled_at=now)
        .returning(WebhookEndpoint.id)
        .execution_options(synchronize_session=False)
    )
    if disabled is not None:
        notices.queue_disabled_notice(endpoint_id=endpoint_id, failures=failures)


def due(now: dt.datetime, limit: int = 500) -> list[int]:
    """Deliveries of active endpoints whose job seems lost: due a while ago, or claimed by a
    worker that died."""
    rows = db.session.scalars(
        select(WebhookDelivery.id)
        .join(WebhookEndpoint)
        .where(
            WebhookEndpoint.is_active.is_(True),
            WebhookDelivery.attempts < WebhookDelivery.attempt_limit,
            _claimable(now - SWEEP_GRACE),
        )
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    )
    return list(rows)


def expire_abandoned(now: dt.datetime) -> int:
    """A last attempt whose worker died is not tried again: the delivery failed."""
    result = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.status == "delivering",
            WebhookDelivery.claimed_at < now - CLAIM_TIMEOUT,
            WebhookDelivery.attempts >= WebhookDelivery.attempt_limit,
        )
        .values(
            status="failed", claimed_at=None, last_error="the worker stopped during the attempt"
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
