"""Fetching over real HTTP (pytest-httpserver): conditional requests, errors, the daily task."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from campaign.extensions import db
from campaign.sync import queries, services
from campaign.sync.services import SyncSettings
from tests.sync.support import SIXTY, registry

PATH = "/doc/Publication/MTDSG/Chapter-IV/IV-13.en.xml"
ETAG = '"untc-iv-13-v60"'
MODIFIED = "Tue, 05 Nov 2024 16:00:00 GMT"


def _serve_document(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request(PATH, method="GET").respond_with_data(
        SIXTY,
        headers={"ETag": ETAG, "Last-Modified": MODIFIED},
        content_type="application/xml",
    )


def test_first_a_200_then_a_conditional_304_is_a_no_op(app: Flask, httpserver: HTTPServer) -> None:
    _serve_document(httpserver)
    httpserver.expect_ordered_request(
        PATH, method="GET", headers={"If-None-Match": ETAG, "If-Modified-Since": MODIFIED}
    ).respond_with_data("", status=304, headers={"ETag": ETAG})
    url = httpserver.url_for(PATH)

    first = services.sync_url(url=url, settings=SyncSettings(timeout=5))
    db.session.commit()
    assert (first.run.http_status, first.run.outcome, first.run.etag) == (200, "no_changes", ETAG)
    assert first.run.last_modified == MODIFIED and first.run.row_count == 71

    second = services.sync_url(url=url, settings=SyncSettings(timeout=5))
    db.session.commit()
    assert (second.run.http_status, second.run.outcome, second.run.proposal_count) == (
        304,
        "unchanged",
        0,
    )
    assert second.run.document_sha256 == first.run.document_sha256
    assert second.run.etag == ETAG and second.run.row_count == 71
    httpserver.check_assertions()
    [(plain, _), (conditional, _)] = httpserver.log
    assert "If-None-Match" not in plain.headers
    assert conditional.headers["If-None-Match"] == ETAG


def test_the_same_bytes_without_validators_are_a_no_op(app: Flask, httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data(SIXTY, content_type="application/xml")
    url = httpserver.url_for(PATH)
    assert services.sync_url(url=url, settings=SyncSettings()).run.outcome == "no_changes"
    again = services.sync_url(url=url, settings=SyncSettings())
    assert (again.run.http_status, again.run.outcome) == (200, "unchanged")


@pytest.mark.parametrize(
    ("status", "body", "message", "transient"),
    [
        (503, b"<html>Service Unavailable</html>", "answered HTTP 503", True),
        (404, b"Not found", "answered HTTP 404", False),
        (200, b"<!DOCTYPE html><html><body>Maintenance</body></html>", "HTML page", False),
    ],
)
def test_http_failures_are_recorded_and_change_nothing(
    app: Flask, httpserver: HTTPServer, status: int, body: bytes, message: str, transient: bool
) -> None:
    httpserver.expect_request(PATH).respond_with_data(body, status=status, content_type="text/html")
    before = registry()
    report = services.sync_url(url=httpserver.url_for(PATH), settings=SyncSettings())
    assert (report.run.outcome, report.transient) == ("failed", transient)
    assert message in report.run.error
    assert registry() == before


def test_a_slow_server_times_out(app: Flask, httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(SIXTY, content_type="application/xml")

    httpserver.expect_request(PATH).respond_with_handler(slow)
    report = services.sync_url(url=httpserver.url_for(PATH), settings=SyncSettings(timeout=0.2))
    assert report.failed and report.transient
    assert "No answer" in report.run.error and report.run.http_status is None


def test_the_daily_task_syncs_from_the_configured_url(
    app: Flask, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, published_jobs: list[Any]
) -> None:
    # Importing the worker module builds the worker's own app (development settings), but
    # .run() is the plain function: it runs here, in this test's app and transaction.
    from worker.sync import sync_treaty

    _serve_document(httpserver)
    monkeypatch.setitem(app.config, "TREATY_SYNC_URL", httpserver.url_for(PATH))
    assert sync_treaty.run() == "no_changes"
    assert queries.recent_runs()[0].source == httpserver.url_for(PATH)
    assert published_jobs == []
