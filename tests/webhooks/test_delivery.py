"""The real worker delivers to a real HTTPS receiver: signed, the exact body, retried with
backoff and recorded, disabled after repeated failure with a notice through the outbox,
redelivered on demand, once per fact, and never for a unit of work that rolled back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from campaign.core.jobs import DELIVER_WEBHOOK, SWEEP_WEBHOOKS, enqueue_now
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.webhooks.models import WebhookDelivery, WebhookEndpoint
from campaign.webhooks.services import emit
from campaign.webhooks.signing import (
    InvalidSignature,
    endpoint_secret,
    new_salt,
    verify_signature,
)
from tests.factories import OrganisationFactory, WebhookDeliveryFactory
from tests.support.auth import csrf_from, make_user
from tests.support.servers import SmtpSink, wait_until
from tests.support.worker import CeleryWorker
from tests.webhooks.conftest import endpoint_for, posts, reaches

DATA = {"state": {"iso3": "MEX", "name": "México"}, "note": "ٱتفاقية 公约 😀"}


def _emit(key: str, event: str = "status.changed") -> int:
    [delivery_id] = emit(event=event, key=key, data=DATA)
    db.session.commit()
    return delivery_id


def _answering(hooks: HTTPServer, path: str, status: Callable[[], int]) -> None:
    def answer(request: Request) -> Response:
        return Response("thanks", status=status())

    hooks.expect_request(path, method="POST").respond_with_handler(answer)


def _endpoint(hooks: HTTPServer, path: str = "/hook", **values: Any) -> WebhookEndpoint:
    endpoint = endpoint_for(hooks, path, **values)
    db.session.commit()
    return endpoint


def test_a_delivery_arrives_signed_with_the_exact_body(
    app: Flask, worker: CeleryWorker, hooks: HTTPServer
) -> None:
    _answering(hooks, "/hook", lambda: 204)
    endpoint = _endpoint(hooks)
    delivery_id = _emit("arrives")
    row = reaches(delivery_id, "delivered")
    [request] = posts(hooks)
    body = request.get_data()
    assert body == row.body.encode("utf-8")  # byte for byte what the ledger holds
    assert json.loads(body)["data"] == DATA
    headers = request.headers
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"].startswith("MigrantWorkersConventionCampaign-Webhooks/1")
    assert headers["X-Campaign-Event"] == "status.changed"
    assert headers["X-Campaign-Delivery"] == str(delivery_id)
    signature = headers["X-Campaign-Signature"]
    assert signature.startswith(f"t={headers['X-Campaign-Timestamp']},v1=")
    secret = endpoint_secret(endpoint.secret_salt)
    assert verify_signature(secret, signature, body) == int(headers["X-Campaign-Timestamp"])
    with pytest.raises(InvalidSignature):
        verify_signature(endpoint_secret(new_salt()), signature, body)
    assert (row.attempts, row.last_status_code, row.last_error) == (1, 204, None)
    assert [(a.number, a.status_code, a.is_success) for a in row.attempt_log] == [(1, 204, True)]


def test_a_500_is_retried_with_backoff_and_recorded(
    app: Flask, worker: CeleryWorker, hooks: HTTPServer
) -> None:
    _answering(hooks, "/fail", lambda: 500)
    endpoint = _endpoint(hooks, "/fail")
    delivery_id = _emit("fails")
    row = reaches(delivery_id, "failed")
    limit = app.config["WEBHOOK_MAX_ATTEMPTS"]
    attempts = row.attempt_log
    assert [(a.number, a.status_code, a.is_success) for a in attempts] == [
        (n, 500, False) for n in range(1, limit + 1)
    ]
    assert all(a.error and a.error.startswith("HTTP 500") for a in attempts)
    # Each retry waited at least its backoff: base, then twice the base (the worker's ETA).
    base = app.config["WEBHOOK_RETRY_BASE_SECONDS"]
    for n in range(1, limit):
        gap = attempts[n].attempted_at - attempts[n - 1].attempted_at
        assert gap >= dt.timedelta(seconds=base * 2 ** (n - 1))
    assert len(posts(hooks, "/fail")) == limit
    assert len({request.get_data() for request in posts(hooks, "/fail")}) == 1
    db.session.expire_all()
    assert (endpoint.is_active, endpoint.consecutive_failures) == (True, 1)


def test_repeated_failure_disables_the_endpoint_and_tells_the_organisation(
    app: Flask, worker: CeleryWorker, hooks: HTTPServer, smtp_sink: SmtpSink
) -> None:
    organisation = OrganisationFactory(contact_email="contact@partner.example.org")
    make_user("partner", email="it@partner.example.org", organisation=organisation)
    _answering(hooks, "/down", lambda: 503)
    endpoint = _endpoint(hooks, "/down", organisation=organisation)
    ids = [_emit(f"down-{n}") for n in range(app.config["WEBHOOK_DISABLE_AFTER"])]
    for delivery_id in ids:
        reaches(delivery_id, "failed")
    db.session.expire_all()
    assert endpoint.is_active is False and endpoint.disabled_at is not None
    notices = db.session.scalars(
        select(OutboundEmail).where(
            OutboundEmail.idempotency_key.like(f"webhook-disabled:{endpoint.id}:%")
        )
    ).all()
    assert sorted(n.to_address for n in notices) == [
        "contact@partner.example.org",
        "it@partner.example.org",
    ]
    received = smtp_sink.wait_for(2)
    assert all("disabled" in str(message["Subject"]) for message in received)
    assert all(endpoint.url in notice.body_text for notice in notices)
    # A disabled endpoint is told of nothing more.
    assert emit(event="status.changed", key="while-disabled", data={}) == []


def test_redeliver_and_enable_again_from_the_back_office(
    app: Flask, worker: CeleryWorker, hooks: HTTPServer, coordinator: FlaskClient
) -> None:
    answer = {"status": 500}
    _answering(hooks, "/flaky", lambda: answer["status"])
    endpoint = _endpoint(hooks, "/flaky")
    delivery_id = _emit("flaky")
    reaches(delivery_id, "failed")
    answer["status"] = 200
    path = f"/admin/webhooks/deliveries/{delivery_id}"
    token = csrf_from(coordinator, path)
    response = coordinator.post(f"{path}/redeliver", data={"csrf_token": token})
    assert response.status_code == 302
    row = reaches(delivery_id, "delivered")
    limit = app.config["WEBHOOK_MAX_ATTEMPTS"]
    assert row.attempts == limit + 1
    assert [a.status_code for a in row.attempt_log] == [500] * limit + [200]
    bodies = {request.get_data() for request in posts(hooks, "/flaky")}
    assert bodies == {row.body.encode()}  # the redelivery is the same body
    # Disabled by hand, then enabled again: its pending deliveries go out.
    endpoint.is_active = False
    db.session.commit()
    waiting = WebhookDeliveryFactory(
        endpoint=endpoint,
        body=row.body,
        next_attempt_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    db.session.commit()
    detail = f"/admin/webhooks/{endpoint.id}"
    token = csrf_from(coordinator, detail)
    assert coordinator.post(f"{detail}/enable", data={"csrf_token": token}).status_code == 302
    enqueue_now(SWEEP_WEBHOOKS)  # the beat's sweep, now
    reaches(waiting.id, "delivered")


def test_one_fact_is_delivered_once_and_a_rollback_sends_nothing(
    app: Flask, worker: CeleryWorker, hooks: HTTPServer
) -> None:
    _answering(hooks, "/once", lambda: 200)
    _endpoint(hooks, "/once")
    delivery_id = _emit("once")
    reaches(delivery_id, "delivered")
    assert emit(event="status.changed", key="once", data=DATA) == []  # emitted again
    db.session.commit()
    enqueue_now(DELIVER_WEBHOOK, delivery_id)  # the job run twice more
    enqueue_now(DELIVER_WEBHOOK, delivery_id)
    assert emit(event="status.changed", key="rolled-back", data=DATA)
    db.session.rollback()
    sentinel = _emit("sentinel")  # queued behind all of the above
    reaches(sentinel, "delivered")
    keys = [json.loads(request.get_data())["id"] for request in posts(hooks, "/once")]
    assert len(keys) == 2 and len(set(keys)) == 2  # "once" and the sentinel, nothing else
    assert db.session.scalar(select(WebhookDelivery.id).filter_by(event_key="rolled-back")) is None


def test_the_sweep_sends_what_a_lost_job_left_pending(
    app: Flask, worker: CeleryWorker, hooks: HTTPServer
) -> None:
    _answering(hooks, "/swept", lambda: 200)
    endpoint = _endpoint(hooks, "/swept")
    lost = WebhookDeliveryFactory(  # as if the broker was down when it was emitted
        endpoint=endpoint, next_attempt_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    db.session.commit()
    enqueue_now(SWEEP_WEBHOOKS)
    reaches(lost.id, "delivered")
    wait_until(lambda: len(posts(hooks, "/swept")) == 1)
