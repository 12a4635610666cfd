"""Each way a POST can fail is one failed attempt in the ledger, retried later: an untrusted
certificate, a refused connection, a timeout, a redirect (never followed), a private address
(refused before connecting, and on the connection itself); a job run twice posts once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests
from flask import Flask
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from campaign.core.jobs import DELIVER_WEBHOOK
from campaign.extensions import db
from campaign.webhooks import delivery as ledger
from campaign.webhooks import transport
from campaign.webhooks.services import emit
from tests.support.servers import free_port
from tests.webhooks.conftest import delivery, endpoint_for, posts
from worker.webhooks import deliver_webhook

# The tests call the task's own function (`.run`): calling the task itself would run it in the
# app context of the Celery app created last in this session (another test's app, with its own
# config), not in this test's, whose config the tests change.


def _one(hooks: HTTPServer, path: str = "/hook", **values: Any) -> int:
    endpoint_for(hooks, path, **values)
    [delivery_id] = emit(event="status.changed", key=path, data={"path": path})
    return delivery_id


def _failed_once(delivery_id: int) -> Any:
    row = delivery(delivery_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at > row.last_attempt_at  # the retry waits its backoff
    [attempt] = row.attempt_log
    assert attempt.is_success is False
    return attempt


def test_an_untrusted_certificate_is_a_failed_attempt(
    app: Flask, hooks: HTTPServer, monkeypatch: pytest.MonkeyPatch, published_jobs: list[Any]
) -> None:
    hooks.expect_request("/hook").respond_with_data("ok")
    monkeypatch.setitem(app.config, "WEBHOOK_CA_BUNDLE", None)  # the system's authorities only
    delivery_id = _one(hooks)
    assert deliver_webhook.run(delivery_id) == "pending"
    attempt = _failed_once(delivery_id)
    assert attempt.status_code is None and "SSLError" in attempt.error
    assert posts(hooks) == []
    assert (DELIVER_WEBHOOK, (delivery_id,)) in published_jobs  # the retry, with a countdown


def test_a_refused_connection_is_a_failed_attempt(app: Flask, hooks: HTTPServer) -> None:
    endpoint_for(hooks, url=f"https://127.0.0.1:{free_port()}/nobody")
    [delivery_id] = emit(event="status.changed", key="refused", data={})
    assert deliver_webhook.run(delivery_id) == "pending"
    assert "ConnectionError" in _failed_once(delivery_id).error


def test_a_timeout_is_a_failed_attempt(
    app: Flask, hooks: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(10)
        return Response("late")

    hooks.expect_request("/slow").respond_with_handler(slow)
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT_SECONDS", 0.5)
    delivery_id = _one(hooks, "/slow")
    try:
        assert deliver_webhook.run(delivery_id) == "pending"
    finally:
        release.set()
    assert "Timeout" in _failed_once(delivery_id).error


def test_a_redirect_is_not_followed(app: Flask, hooks: HTTPServer) -> None:
    hooks.expect_request("/moved").respond_with_response(
        Response("", status=302, headers={"Location": "/elsewhere"})
    )
    hooks.expect_request("/elsewhere").respond_with_data("ok")
    delivery_id = _one(hooks, "/moved")
    assert deliver_webhook.run(delivery_id) == "pending"
    attempt = _failed_once(delivery_id)
    assert attempt.status_code == 302 and attempt.error.startswith("HTTP 302")
    assert posts(hooks, "/elsewhere") == []


def test_a_private_address_is_refused_at_delivery(
    app: Flask, hooks: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks.expect_request("/hook").respond_with_data("ok")
    delivery_id = _one(hooks)  # registered while private addresses were allowed
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
    assert deliver_webhook.run(delivery_id) == "pending"
    assert "private or reserved" in _failed_once(delivery_id).error
    assert posts(hooks) == []


def test_the_connection_itself_refuses_a_private_peer(app: Flask, hooks: HTTPServer) -> None:
    """Whatever DNS said at the check (rebinding), the socket's peer is checked too."""
    hooks.expect_request("/hook").respond_with_data("ok")
    with (
        transport.session(allow_private=False) as client,
        pytest.raises(requests.ConnectionError, match="not a public one"),
    ):
        client.post(hooks.url_for("/hook"), data=b"{}", verify=False, timeout=5)
    assert posts(hooks) == []


def test_a_job_run_twice_posts_once(app: Flask, hooks: HTTPServer) -> None:
    hooks.expect_request("/hook").respond_with_data("ok")
    delivery_id = _one(hooks)
    claimed = ledger.claim(delivery_id)
    assert claimed is not None and claimed.attempts == 1
    assert ledger.claim(delivery_id) is None  # taken: a second run does nothing
    ledger.settle(claimed, ledger.post(claimed))
    assert deliver_webhook.run(delivery_id) == "skipped"
    assert delivery(delivery_id).status == "delivered"
    assert len(posts(hooks)) == 1


def test_nothing_is_claimed_for_an_inactive_endpoint(app: Flask, hooks: HTTPServer) -> None:
    delivery_id = _one(hooks)
    delivery(delivery_id).endpoint.is_active = False
    db.session.flush()
    assert deliver_webhook.run(delivery_id) == "skipped"
    assert delivery(delivery_id).attempts == 0
