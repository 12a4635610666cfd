"""Coordinators issue, scope and revoke keys: the key is shown once, on the answer to the POST,
and nowhere else; bad input is a 400 that writes nothing; partners and strangers get nothing."""

from __future__ import annotations

import re
from typing import Any

import html5lib
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.apikeys.models import ApiKey
from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.organisations.models import Organisation
from tests.factories import ApiKeyFactory, OrganisationFactory
from tests.osdi.conftest import API, auth
from tests.support.auth import csrf_from, log_in, make_user

KEY = re.compile(r'<code id="api-key" dir="ltr">(mwc_[0-9a-f]{8}_[\w-]{43})</code>')


def _page(organisation: Organisation) -> str:
    return f"/admin/organisations/{organisation.id}/api-keys"


def _issue(client: FlaskClient, organisation: Organisation, **fields: Any) -> Any:
    data = {
        "csrf_token": csrf_from(client, _page(organisation)),
        "name": "Action Network",
        "scopes": ["read", "write"],
        **fields,
    }
    return client.post(_page(organisation), data=data)


def _keys() -> list[ApiKey]:
    db.session.expire_all()
    return list(db.session.scalars(select(ApiKey).order_by(ApiKey.id)))


def test_a_key_is_shown_once_and_works(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    detail = coordinator.get(f"/admin/organisations/{organisation.id}")
    assert _page(organisation) in detail.get_data(as_text=True)
    response = _issue(coordinator, organisation)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("no-store")
    match = KEY.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    key = match.group(1)
    [row] = _keys()
    assert (row.name, row.scopes, row.organisation_id) == (
        "Action Network",
        "read write",
        organisation.id,
    )
    assert row.created_by is not None and row.created_by.role == "coordinator"
    listing = coordinator.get(_page(organisation)).get_data(as_text=True)
    assert row.prefix in listing and key not in listing and key[13:] not in listing
    audit = " ".join(str(event.after) for event in db.session.scalars(select(AuditEvent)).all())
    assert row.prefix in audit and key[13:] not in audit  # audited, never the key
    assert coordinator.get(f"{API}/petitions", headers=auth(key)).status_code == 200


def test_scopes_are_changed_and_a_key_revoked(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    key = KEY.search(_issue(coordinator, organisation).get_data(as_text=True))
    assert key
    [row] = _keys()
    token = csrf_from(coordinator, _page(organisation))
    response = coordinator.post(
        f"/admin/api-keys/{row.id}/scopes", data={"csrf_token": token, "scopes": ["read"]}
    )
    assert response.status_code == 302
    assert _keys()[0].scopes == "read"
    assert (
        coordinator.post(
            f"{API}/petitions/individual/signatures", json={}, headers=auth(key.group(1))
        ).status_code
        == 403
    )
    response = coordinator.post(f"/admin/api-keys/{row.id}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    assert _keys()[0].revoked_at is not None
    assert coordinator.get(f"{API}/petitions", headers=auth(key.group(1))).status_code == 401
    actions = {e.action for e in db.session.scalars(select(AuditEvent)).all()}
    assert {"apikey.issued", "apikey.scoped", "apikey.revoked"} <= actions


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Give the key a name."),
        ({"name": "   "}, "Give the key a name."),
        ({"name": "x" * 101}, "At most 100 characters."),
        ({"name": "Sync\r\nX: y"}, "Please remove line breaks"),
        ({"name": "=cmd|' /C calc'!A0"}, "Please start with a letter or a digit."),
        ({"scopes": []}, "Choose at least one scope."),
        ({"scopes": ["admin"]}, "Choose scopes from the list."),
        ({"scopes": ["read", "delete"]}, "Choose scopes from the list."),
    ],
)
def test_bad_input_is_a_400_that_writes_nothing(
    coordinator: FlaskClient, organisation: Organisation, fields: dict[str, Any], message: str
) -> None:
    response = _issue(coordinator, organisation, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and not KEY.search(page)
    assert _keys() == []


def test_posts_without_csrf_write_nothing(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    row = ApiKeyFactory(organisation=organisation, scopes="read")
    db.session.commit()
    data = {"name": "No token", "scopes": ["read"]}
    assert coordinator.post(_page(organisation), data=data).status_code == 400
    assert coordinator.post(f"/admin/api-keys/{row.id}/revoke").status_code == 400
    scopes = {"scopes": ["read", "write"]}
    assert coordinator.post(f"/admin/api-keys/{row.id}/scopes", data=scopes).status_code == 400
    [kept] = _keys()
    assert (kept.scopes, kept.revoked_at) == ("read", None)


@pytest.mark.parametrize("role", ["anonymous", "partner"])
def test_partners_and_strangers_have_no_access(
    client: FlaskClient, organisation: Organisation, role: str
) -> None:
    row = ApiKeyFactory(organisation=organisation)
    db.session.commit()
    if role == "partner":
        log_in(client, make_user("partner", organisation=organisation))
    expected = 403 if role == "partner" else 302
    assert client.get(_page(organisation)).status_code == expected
    token = csrf_from(client, "/account/login") if role == "anonymous" else None
    if token is None:
        token = csrf_from(client, "/account/")
    for path, data in (
        (_page(organisation), {"name": "Mine", "scopes": ["read", "write"]}),
        (f"/admin/api-keys/{row.id}/revoke", {}),
        (f"/admin/api-keys/{row.id}/scopes", {"scopes": ["write"]}),
    ):
        assert client.post(path, data={"csrf_token": token, **data}).status_code == expected
    [kept] = _keys()
    assert (kept.scopes, kept.revoked_at) == ("read write", None)


def test_unknown_or_merged_is_a_404(coordinator: FlaskClient) -> None:
    survivor, merged = OrganisationFactory(), OrganisationFactory()
    db.session.flush()
    merged.merged_into_id = survivor.id
    db.session.commit()
    assert coordinator.get(_page(merged)).status_code == 404
    assert coordinator.get("/admin/organisations/999999/api-keys").status_code == 404
    token = csrf_from(coordinator, _page(survivor))
    assert (
        coordinator.post("/admin/api-keys/999999/revoke", data={"csrf_token": token}).status_code
        == 404
    )


def _well_formed(html: str) -> None:
    html5lib.HTMLParser(strict=True).parse(html)  # raises on the first parse error
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_the_pages_are_well_formed_with_unique_ids(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    issued = _issue(coordinator, organisation)
    _well_formed(issued.get_data(as_text=True))
    _issue(coordinator, organisation, name="Second tool", scopes=["read"])
    token = csrf_from(coordinator, _page(organisation))
    coordinator.post(f"/admin/api-keys/{_keys()[0].id}/revoke", data={"csrf_token": token})
    _well_formed(coordinator.get(_page(organisation)).get_data(as_text=True))
    refused = _issue(coordinator, organisation, name="", scopes=[])
    page = refused.get_data(as_text=True)
    _well_formed(page)
    assert 'href="#new-name"' in page and 'href="#new-scopes"' in page
    assert 'id="new-name"' in page and 'id="new-scopes"' in page
