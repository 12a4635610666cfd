"""The origins an organisation registers for its embeds: read strictly, kept in one spelling,
added and removed by coordinators on the record."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.embed.models import EmbedOrigin
from campaign.embed.origins import InvalidOrigin, normalise_origin
from campaign.extensions import db
from campaign.organisations.models import Organisation
from tests.factories import OrganisationFactory
from tests.support.auth import csrf_from
from tests.support.rows import count


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("https://partner.example", "https://partner.example"),
        ("  https://Partner.EXAMPLE/ ", "https://partner.example"),
        ("https://partner.example:443", "https://partner.example"),
        ("https://partner.example:8443", "https://partner.example:8443"),
        ("HTTPS://www.partner.example", "https://www.partner.example"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
        ("https://موقع.example", "https://xn--4gbrim.example"),
        ("http://localhost:8000", "http://localhost:8000"),  # allowed in tests
        ("http://127.0.0.1:5001", "http://127.0.0.1:5001"),
        ("https://😀.example", "https://xn--e28h.example"),  # as a browser sends it
    ],
)
def test_origins_have_one_spelling(app: Flask, text: str, origin: str) -> None:
    assert normalise_origin(text) == origin


BAD = [
    "",
    " ",
    "partner.example",
    "http://partner.example",  # https only, but for the machine itself in development
    "ftp://partner.example",
    "javascript:alert(1)",
    "https://partner.example/pledge",
    "https://partner.example/?a=1",
    "https://partner.example#x",
    "https://user:pass@partner.example",
    "https://*.partner.example",
    "https://partner",
    "https://-bad-.example",
    "https://partner.example:99999",
    "https://partner.example\r\nX-Injected: 1",
    "https://partner.example\x00",
    "<script>alert(1)</script>",
    '=HYPERLINK("https://x.example")',
    "https://" + "a" * 300 + ".example",
    "https://\u202eelpmaxe.partner",
]


@pytest.mark.parametrize("text", BAD)
def test_bad_origins_are_refused(app: Flask, text: str) -> None:
    with pytest.raises(InvalidOrigin):
        normalise_origin(text)


@pytest.fixture
def organisation() -> Organisation:
    org = OrganisationFactory(name="Origin Keepers")
    db.session.commit()
    return org


def _page(organisation: Organisation) -> str:
    return f"/admin/organisations/{organisation.id}/embed"


def _add(client: FlaskClient, organisation: Organisation, origin: str, csrf: bool = True) -> Any:
    data = {"origin": origin}
    if csrf:
        data["csrf_token"] = csrf_from(client, _page(organisation))
    return client.post(_page(organisation), data=data)


def _origins(organisation: Organisation) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(EmbedOrigin.origin).filter_by(organisation_id=organisation.id))
    )


def test_a_coordinator_adds_and_removes_an_origin(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    response = _add(coordinator, organisation, "https://Partner.example/")
    assert response.status_code == 302
    assert _origins(organisation) == ["https://partner.example"]
    page = coordinator.get(_page(organisation)).get_data(as_text=True)
    assert "https://partner.example" in page
    assert f"/embed/pledge?org={organisation.id}" in page  # the snippet to paste
    actions = db.session.scalars(select(AuditEvent.action).filter_by(entity_id=organisation.id))
    assert "embed.origin_added" in list(actions)
    token = csrf_from(coordinator, _page(organisation))
    removed = coordinator.post(
        _page(organisation) + "/remove",
        data={"csrf_token": token, "origin": "https://partner.example"},
    )
    assert removed.status_code == 302
    assert _origins(organisation) == []


@pytest.mark.parametrize("text", [b for b in BAD if b.strip()][:12])
def test_bad_origins_in_the_form(
    coordinator: FlaskClient, organisation: Organisation, text: str
) -> None:
    before = count(AuditEvent)
    response = _add(coordinator, organisation, text)
    assert response.status_code == 400
    assert _origins(organisation) == []
    assert count(AuditEvent) == before
    assert "<script>alert" not in response.get_data(as_text=True)


def test_an_empty_origin_is_a_clear_400(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    response = _add(coordinator, organisation, "")
    assert response.status_code == 400
    assert "Give the origin" in response.get_data(as_text=True)


def test_the_same_origin_twice_is_refused(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    _add(coordinator, organisation, "https://partner.example")
    response = _add(coordinator, organisation, "https://PARTNER.example:443")
    assert response.status_code == 400
    assert "registered already" in response.get_data(as_text=True)
    assert _origins(organisation) == ["https://partner.example"]


def test_removing_an_unknown_origin_is_a_400(
    coordinator: FlaskClient, organisation: Organisation
) -> None:
    token = csrf_from(coordinator, _page(organisation))
    response = coordinator.post(
        _page(organisation) + "/remove", data={"csrf_token": token, "origin": "https://x.example"}
    )
    assert response.status_code == 400


def test_missing_csrf_writes_nothing(coordinator: FlaskClient, organisation: Organisation) -> None:
    response = _add(coordinator, organisation, "https://partner.example", csrf=False)
    assert response.status_code == 400
    assert _origins(organisation) == []


@pytest.mark.parametrize("role", ["anonymous", "partner"])
def test_only_coordinators(client: FlaskClient, organisation: Organisation, role: str) -> None:
    from tests.support.auth import log_in, make_user

    if role == "partner":
        log_in(client, make_user("partner", organisation=organisation))
    response = client.post(_page(organisation), data={"origin": "https://partner.example"})
    assert response.status_code in (302, 400, 403)
    assert client.get(_page(organisation)).status_code in (302, 403)
    assert _origins(organisation) == []


@pytest.mark.parametrize(
    "path", ["/admin/organisations/999999/embed", "/admin/organisations/99999999999999999999/embed"]
)
def test_unknown_organisations_are_404(coordinator: FlaskClient, path: str) -> None:
    assert coordinator.get(path).status_code == 404
