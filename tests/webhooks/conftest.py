"""Fixtures for the webhook tests: a real HTTPS receiver on loopback, with a certificate made
by this run (the openssl command), trusted by the app and the worker through
WEBHOOK_CA_BUNDLE; endpoints and a way to read the ledger back."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from campaign.extensions import db
from campaign.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import OrganisationFactory, WebhookEndpointFactory
from tests.support.servers import wait_until

TLS_DIR = Path(tempfile.gettempdir()) / f"campaign-webhooks-tls-{os.getpid()}"
CA_BUNDLE = TLS_DIR / "receiver.pem"
# Set while the tests are collected, before any worker starts: a worker process takes this
# process's environment, so the session's worker trusts the receiver's certificate too.
os.environ["WEBHOOK_CA_BUNDLE"] = str(CA_BUNDLE)


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for two days."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "receiver.pem", directory / "receiver.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=campaign webhook receiver",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="session")
def receiver() -> Iterator[HTTPServer]:
    """An HTTPS server on 127.0.0.1 that answers what each test tells it to."""
    cert, key = make_certificate(TLS_DIR)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context, threaded=True)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(TLS_DIR, ignore_errors=True)


@pytest.fixture
def hooks(
    app: Flask, receiver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HTTPServer]:
    """The receiver, empty, trusted by this process's app as by the worker."""
    monkeypatch.setitem(app.config, "WEBHOOK_CA_BUNDLE", str(CA_BUNDLE))
    receiver.clear()
    yield receiver
    receiver.clear()


def endpoint_for(receiver: HTTPServer, path: str = "/hook", **values: Any) -> WebhookEndpoint:
    organisation = values.pop("organisation", None) or OrganisationFactory()
    values.setdefault("url", receiver.url_for(path))
    return WebhookEndpointFactory(organisation=organisation, **values)


def delivery(delivery_id: int) -> WebhookDelivery:
    db.session.expire_all()
    return db.session.scalars(select(WebhookDelivery).filter_by(id=delivery_id)).one()


def reaches(delivery_id: int, status: str, timeout: float = 60.0) -> WebhookDelivery:
    """The delivery once it has *status* (a bounded wait for the worker)."""
    return wait_until(
        lambda: delivery(delivery_id).status == status,
        timeout,
        result=lambda: delivery(delivery_id),
    )


def posts(receiver: HTTPServer, path: str = "/hook") -> list[Any]:
    """The requests the receiver got on *path*, in order."""
    return [request for request, _ in receiver.log if request.path == path]
