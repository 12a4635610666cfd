"""API keys: issued once and kept only as a hash; missing, unknown, revoked or merged → 401;
a read-only key → 403 on POST; Bearer as well as OSDI-API-Token; a per-key rate limit."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from campaign.apikeys import services
from campaign.apikeys.models import ApiKey
from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.organisations.models import Organisation
from tests.factories import OrganisationFactory
from tests.osdi.conftest import API, Issue, auth, person
from tests.pledges.helpers import pledges


def _status(client: FlaskClient, headers: dict[str, str], path: str = "/petitions") -> int:
    return client.get(f"{API}{path}", headers=headers).status_code


def test_the_database_never_holds_the_key(key: str, organisation: Organisation) -> None:
    [row] = db.session.scalars(select(ApiKey).filter_by(organisation_id=organisation.id)).all()
    assert key.startswith(row.prefix + "_") and len(key) >= 50
    secret = key[len(row.prefix) + 1 :]
    dumped = [
        str(value)
        for table in ("api_keys", "audit_events")
        for record in db.session.execute(text(f"SELECT * FROM {table}"))  # noqa: S608
        for value in record
    ]
    assert not any(secret in value for value in dumped)
    assert row.key_hash == services.hash_key(key) and row.key_hash != key
    [event] = db.session.scalars(select(AuditEvent).filter_by(action="apikey.issued")).all()
    assert event.after is not None and event.after["prefix"] == row.prefix


def test_two_keys_are_unrelated(issue: Issue, organisation: Organisation) -> None:
    first, second = issue(organisation), issue(organisation)
    assert first[:12] != second[:12] and first[13:] != second[13:]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"OSDI-API-Token": ""},
        {"OSDI-API-Token": "mwc_00000000_" + "x" * 43},
        {"OSDI-API-Token": "nonsense"},
        {"OSDI-API-Token": "ü" * 20},
        {"OSDI-API-Token": "mwc_\x00" * 10},
        {"OSDI-API-Token": "mwc_" + "a" * 5000},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
    ],
)
def test_no_key_or_an_unknown_one_is_a_401(
    client: FlaskClient, key: str, headers: dict[str, str]
) -> None:
    response = client.get(f"{API}/people", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "error" in response.get_json()


def test_a_key_works_in_either_header(client: FlaskClient, key: str) -> None:
    assert _status(client, auth(key)) == 200
    assert _status(client, {"Authorization": f"Bearer {key}"}) == 200
    assert _status(client, {"OSDI-API-Token": key[:-1]}) == 401  # one character short
    assert _status(client, {"OSDI-API-Token": key + "x"}) == 401


def test_a_revoked_key_is_a_401(client: FlaskClient, key: str, organisation: Organisation) -> None:
    assert _status(client, auth(key)) == 200
    [row] = services.keys_of(organisation.id)
    assert services.revoke_key(key=row, actor=None)
    db.session.commit()
    assert _status(client, auth(key)) == 401
    assert not services.revoke_key(key=row, actor=None)  # once


def test_a_read_only_key_reads_but_cannot_post(
    client: FlaskClient, issue: Issue, organisation: Organisation
) -> None:
    key = issue(organisation, scopes=("read",))
    assert _status(client, auth(key)) == 200
    response = client.post(
        f"{API}/petitions/individual/signatures", json=person(), headers=auth(key)
    )
    assert response.status_code == 403
    assert "write" in response.get_json()["error"]
    assert pledges() == []


def test_a_write_only_key_posts_but_cannot_read(
    client: FlaskClient, issue: Issue, organisation: Organisation
) -> None:
    key = issue(organisation, scopes=("write",))
    assert _status(client, auth(key)) == 403
    response = client.post(
        f"{API}/petitions/individual/signatures", json=person(), headers=auth(key)
    )
    assert response.status_code == 201


def test_a_merged_organisations_keys_stop_working(
    client: FlaskClient, key: str, organisation: Organisation
) -> None:
    assert _status(client, auth(key)) == 200
    survivor = OrganisationFactory(name="Red Migrante Unida")
    db.session.flush()
    organisation.merged_into_id = survivor.id
    db.session.commit()
    assert _status(client, auth(key)) == 401


def test_last_used_is_noted(client: FlaskClient, key: str, organisation: Organisation) -> None:
    [row] = services.keys_of(organisation.id)
    assert row.last_used_at is None
    _status(client, auth(key))
    db.session.expire_all()
    assert services.keys_of(organisation.id)[0].last_used_at is not None


def test_over_the_keys_rate_limit_is_a_429(
    app: Flask, client: FlaskClient, key: str, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "OSDI_RATE_LIMIT", "3 per minute")
    assert [_status(client, auth(key)) for _ in range(3)] == [200, 200, 200]
    over = client.get(f"{API}/petitions", headers=auth(key))
    assert over.status_code == 429
    assert int(over.headers["Retry-After"]) >= 1
    assert over.get_json()["error"]
    other = issue(OrganisationFactory(name="Otra Red"))
    assert _status(client, auth(other)) == 200  # each key its own count


def test_no_cookie_and_no_csrf(client: FlaskClient, key: str) -> None:
    """Token-authenticated: a POST needs no CSRF token, and nothing sets a cookie."""
    response = client.post(
        f"{API}/petitions/individual/signatures", json=person(), headers=auth(key)
    )
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers
    assert client.get_cookie("session") is None
    assert response.headers["Cache-Control"] == "no-store"
