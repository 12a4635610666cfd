"""Coordinators register, edit, re-key, delete and enable endpoints; the secret is shown once and
nowhere else; bad input gets a clear message, a 4xx and writes nothing; others get no access."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.core.jobs import DELIVER_WEBHOOK
from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.webhooks.models import WebhookDelivery, WebhookEndpoint
from campaign.webhooks.signing import endpoint_secret
from tests.factories import (
    OrganisationFactory,
    WebhookAttemptFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)
from tests.support.auth import csrf_from, log_in, make_user
from tests.support.rows import count

SECRET = re.compile(r'<code id="secret">(whsec_[0-9a-f]{64})</code>')
URL = "https://hooks.partner.example.org/campaign"


def _register(client: FlaskClient, owner: Organisation, **fields: Any) -> Any:
    token = csrf_from(client, "/admin/webhooks/new")
    data = {
        "csrf_token": token,
        "organisation": str(owner.id),
        "url": URL,
        "events": ["status.changed", "pledge.confirmed"],
        **fields,
    }
    return client.post("/admin/webhooks/new", data=data)


def _endpoints() -> list[WebhookEndpoint]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def _audit_text() -> str:
    rows = db.session.scalars(select(AuditEvent).filter_by(entity_type="webhook_endpoint"))
    return " ".join(f"{row.action} {row.before} {row.after}" for row in rows)


def test_register_shows_the_secret_once(app: Flask, coordinator: FlaskClient) -> None:
    organisation = OrganisationFactory()
    response = _register(coordinator, organisation)
    assert response.status_code == 200
    match = SECRET.search(response.get_data(as_text=True))
    assert match is not None
    [endpoint] = _endpoints()
    assert (endpoint.url, endpoint.events) == (URL, ["pledge.confirmed", "status.changed"])
    secret = match.group(1)
    assert endpoint_secret(endpoint.secret_salt) == secret  # what the worker will sign with
    assert response.headers["Cache-Control"] == "no-store"
    for path in ("/admin/webhooks", f"/admin/webhooks/{endpoint.id}"):
        page = coordinator.get(path).get_data(as_text=True)
        assert secret not in page and endpoint.secret_salt not in page
    page = coordinator.get(f"/admin/webhooks/{endpoint.id}/edit").get_data(as_text=True)
    assert secret not in page and endpoint.secret_salt not in page
    audit = _audit_text()
    assert "webhook.created" in audit and URL in audit
    assert secret not in audit and endpoint.secret_salt not in audit


def test_rotating_gives_a_new_secret_shown_once(app: Flask, coordinator: FlaskClient) -> None:
    endpoint = WebhookEndpointFactory()
    old = endpoint_secret(endpoint.secret_salt)
    token = csrf_from(coordinator, f"/admin/webhooks/{endpoint.id}")
    response = coordinator.post(f"/admin/webhooks/{endpoint.id}/rotate", data={"csrf_token": token})
    assert response.status_code == 200
    match = SECRET.search(response.get_data(as_text=True))
    assert match is not None and match.group(1) != old
    db.session.expire_all()
    assert endpoint_secret(endpoint.secret_salt) == match.group(1)
    assert "webhook.secret_rotated" in _audit_text() and match.group(1) not in _audit_text()


def test_edit_deactivate_and_delete(app: Flask, coordinator: FlaskClient) -> None:
    endpoint = WebhookEndpointFactory()
    failed = WebhookDeliveryFactory(
        endpoint=endpoint, attempts=1, last_status_code=500, last_error="HTTP 500 Oops"
    )
    WebhookAttemptFactory(delivery=failed)
    path = f"/admin/webhooks/{endpoint.id}/edit"
    token = csrf_from(coordinator, path)
    data = {"csrf_token": token, "url": URL + "/v2", "events": ["stage.changed"]}
    assert coordinator.post(path, data=data).status_code == 302  # is_active unticked
    [edited] = _endpoints()
    assert (edited.url, edited.events, edited.is_active) == (URL + "/v2", ["stage.changed"], False)
    detail = coordinator.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "Enable again" in detail and "HTTP 500" in detail
    token = csrf_from(coordinator, f"/admin/webhooks/{endpoint.id}")
    response = coordinator.post(f"/admin/webhooks/{endpoint.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert _endpoints() == [] and count(WebhookDelivery) == 0
    assert "webhook.deleted" in _audit_text()


def test_redeliver_queues_one_fresh_attempt_after_commit(
    app: Flask, coordinator: FlaskClient, published_jobs: list[Any]
) -> None:
    delivery = WebhookDeliveryFactory(status="failed", attempts=3, attempt_limit=3)
    path = f"/admin/webhooks/deliveries/{delivery.id}"
    page = coordinator.get(path)
    assert page.status_code == 200 and "Redeliver" in page.get_data(as_text=True)
    token = csrf_from(coordinator, path)
    assert coordinator.post(f"{path}/redeliver", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert (delivery.status, delivery.attempt_limit) == ("pending", 4)
    assert (DELIVER_WEBHOOK, (delivery.id,)) in published_jobs


def test_no_redelivery_to_a_disabled_endpoint(app: Flask, coordinator: FlaskClient) -> None:
    delivery = WebhookDeliveryFactory(
        endpoint=WebhookEndpointFactory(is_active=False), status="failed", attempts=3
    )
    path = f"/admin/webhooks/deliveries/{delivery.id}"
    token = csrf_from(coordinator, path)
    response = coordinator.post(f"{path}/redeliver", data={"csrf_token": token})
    assert response.status_code == 302
    assert "Enable the endpoint" in coordinator.get(path).get_data(as_text=True)
    db.session.expire_all()
    assert delivery.status == "failed"


BAD = [
    ({"url": ""}, "Give the endpoint"),
    ({"url": "https://example.org/" + "a" * 600}, "At most 500 characters"),
    ({"url": "http://hooks.example.org/x"}, "must start with https://"),
    ({"url": "javascript:alert(1)"}, "must start with https://"),
    ({"url": "https://user:pass@hooks.example.org/x"}, "user name or a password"),
    ({"url": "https://hooks.example.org/x\r\nX-Evil: 1"}, "line breaks"),
    ({"url": "https://hooks.example.org/<script>alert(1)</script>"}, "&lt; and &gt;"),
    ({"url": "https://hooks.example.org/\u202ekoob"}, "direction-control"),
    ({"url": "https://مثال.example/\U0001f600"}, "plain ASCII"),
    ({"events": []}, "Choose at least one event"),
    ({"events": ["status.changed", "pledge.signed"]}, "Choose events from the list"),
    ({"organisation": ""}, "Choose an organisation"),
]


@pytest.mark.parametrize(("fields", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_input_is_refused_with_a_message(
    app: Flask, coordinator: FlaskClient, fields: dict[str, Any], message: str
) -> None:
    response = _register(coordinator, OrganisationFactory(), **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _endpoints() == []


def test_a_private_address_is_refused_when_the_flag_is_off(
    app: Flask, coordinator: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
    for url in ("https://127.0.0.1:8443/hook", "https://10.0.0.7/hook", "https://localhost/x"):
        response = _register(coordinator, OrganisationFactory(), url=url)
        assert response.status_code == 400
        assert "private or reserved network" in response.get_data(as_text=True)
    assert _endpoints() == []


def test_the_same_address_twice_for_one_organisation_is_refused(
    app: Flask, coordinator: FlaskClient
) -> None:
    organisation = OrganisationFactory()
    assert _register(coordinator, organisation).status_code == 200
    response = _register(coordinator, organisation)
    assert response.status_code == 400
    assert "already has an endpoint at this address" in response.get_data(as_text=True)
    assert _register(coordinator, OrganisationFactory()).status_code == 200  # another's is fine
    assert len(_endpoints()) == 2


def test_a_post_without_csrf_writes_nothing(app: Flask, coordinator: FlaskClient) -> None:
    organisation = OrganisationFactory()
    data = {"organisation": str(organisation.id), "url": URL, "events": ["status.changed"]}
    assert coordinator.post("/admin/webhooks/new", data=data).status_code == 400
    endpoint = WebhookEndpointFactory()
    for action in ("delete", "rotate", "enable"):
        assert coordinator.post(f"/admin/webhooks/{endpoint.id}/{action}").status_code == 400
    assert [e.id for e in _endpoints()] == [endpoint.id]


@pytest.mark.parametrize("role", ["anonymous", "partner"])
def test_partners_and_strangers_have_no_access(app: Flask, client: FlaskClient, role: str) -> None:
    endpoint = WebhookEndpointFactory()
    delivery = WebhookDeliveryFactory(endpoint=endpoint)
    if role == "partner":
        log_in(client, make_user("partner", organisation=endpoint.organisation))
    expected = 403 if role == "partner" else 302
    for path in (
        "/admin/webhooks",
        "/admin/webhooks/new",
        f"/admin/webhooks/{endpoint.id}",
        f"/admin/webhooks/{endpoint.id}/edit",
        f"/admin/webhooks/deliveries/{delivery.id}",
    ):
        assert client.get(path).status_code == expected, path
    for path in (f"/admin/webhooks/{endpoint.id}/delete", "/admin/webhooks/new"):
        assert client.post(path, data={"url": URL}).status_code in {400, expected}
    assert len(_endpoints()) == 1


def test_unknown_ids_are_404(app: Flask, coordinator: FlaskClient) -> None:
    for path in ("/admin/webhooks/999999", "/admin/webhooks/deliveries/999999"):
        assert coordinator.get(path).status_code == 404


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        (
            {"organisation": "99999999999999999999999", "url": URL, "events": ["status.changed"]},
            ("new",),
        ),
        (
            {"organisation": "\u0000", "url": "\U0001f600" * 600, "events": ["\u202e"]},
            ("new", "edit"),
        ),
        ({"organisation": "1", "url": ["a", "b"], "events": "status.changed"}, ("new", "edit")),
    ],
)
def test_odd_submissions_are_4xx_never_500(
    app: Flask, coordinator: FlaskClient, body: dict[str, Any], paths: tuple[str, ...]
) -> None:
    endpoint = WebhookEndpointFactory()
    token = csrf_from(coordinator, "/admin/webhooks/new")
    urls = {"new": "/admin/webhooks/new", "edit": f"/admin/webhooks/{endpoint.id}/edit"}
    for path in (urls[name] for name in paths):
        assert coordinator.post(path, data={"csrf_token": token, **body}).status_code == 400
        response = coordinator.post(path, json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 400
    assert [e.url for e in _endpoints()] == [endpoint.url]


ROUTE_TABLE = {
    ("GET", "/admin/webhooks"): 200,
    ("GET", "/admin/webhooks/new"): 200,
    ("POST", "/admin/webhooks/new"): 400,
    ("GET", "/admin/webhooks/<int:endpoint_id>"): 200,
    ("GET", "/admin/webhooks/<int:endpoint_id>/edit"): 200,
    ("POST", "/admin/webhooks/<int:endpoint_id>/edit"): 400,
    ("POST", "/admin/webhooks/<int:endpoint_id>/rotate"): 200,
    ("POST", "/admin/webhooks/<int:endpoint_id>/enable"): 302,
    ("GET", "/admin/webhooks/deliveries/<int:delivery_id>"): 200,
    ("POST", "/admin/webhooks/deliveries/<int:delivery_id>/redeliver"): 302,
    ("POST", "/admin/webhooks/<int:endpoint_id>/delete"): 302,
}


def test_each_route_in_url_map_order_answers_a_bare_post_as_the_table_says(
    app: Flask, coordinator: FlaskClient
) -> None:
    """As tests/test_authorisation.py walks them: every route, a POST carrying only the token."""
    delivery = WebhookDeliveryFactory()
    token = csrf_from(coordinator, "/admin/webhooks/new")
    seen = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin/webhooks"):
            continue
        url = rule.rule.replace("<int:endpoint_id>", str(delivery.endpoint_id))
        url = url.replace("<int:delivery_id>", str(delivery.id))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if method == "GET":
                seen[(method, rule.rule)] = coordinator.get(url).status_code
            else:
                response = coordinator.post(url, data={"csrf_token": token})
                seen[(method, rule.rule)] = response.status_code
    assert seen == ROUTE_TABLE
