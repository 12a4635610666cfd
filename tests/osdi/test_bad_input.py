"""Bad signatures: each a 400 whose `fields` names the OSDI field at fault, nothing written
(no pledge, no mail)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.osdi.conftest import API, auth, organisation_body, person
from tests.pledges.helpers import outbox, pledges

SIGN = f"{API}/petitions/individual/signatures"
INJECTION = "Lucía\r\nBcc: victim@example.org"


def _with(path: str, value: Any, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A valid body with the value at *path* (dotted; a number is a list index) replaced."""
    changed = copy.deepcopy(body or person())
    *parents, last = path.split(".")
    target: Any = changed
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return changed


def _without(path: str) -> dict[str, Any]:
    changed = copy.deepcopy(person())
    *parents, last = path.split(".")
    target: Any = changed
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    del target[last]
    return changed


EMAIL = "person.email_addresses.address"
COUNTRY = "person.postal_addresses.country"
BAD_JSON: list[tuple[str, Any, str]] = [
    ("a list", [person()], "body"),
    ("a number", 42, "body"),
    ("a string", "person", "body"),
    ("null", None, "body"),
    ("no person", {"comments": "hello"}, "person"),
    ("person null", {"person": None}, "person"),
    ("person a list", {"person": []}, "person"),
    ("a name that is a number", _with("person.given_name", 5), "person.given_name"),
    ("a name that is an object", _with("person.family_name", {"a": 1}), "person.family_name"),
    (
        "addresses a string",
        _with("person.email_addresses", "a@example.org"),
        "person.email_addresses",
    ),
    ("an address null", _with("person.email_addresses", [None]), "person.email_addresses"),
    ("the address null", _with("person.email_addresses.0.address", None), EMAIL),
    ("the address a list", _with("person.email_addresses.0.address", ["a@b.org"]), EMAIL),
    ("no addresses", _without("person.email_addresses"), EMAIL),
    ("malformed address", _with("person.email_addresses.0.address", "not-an-address"), EMAIL),
    (
        "address with CR/LF",
        _with("person.email_addresses.0.address", "a@example.org\r\nBcc: b@example.org"),
        EMAIL,
    ),
    ("given name with CR/LF", _with("person.given_name", INJECTION), "person.given_name"),
    ("family name with CR/LF", _with("person.family_name", "R\r\nX-Evil: 1"), "person.given_name"),
    ("country with CR/LF", _with("person.postal_addresses.0.country", "MX\r\nX: y"), COUNTRY),
    ("unknown country", _with("person.postal_addresses.0.country", "XX"), COUNTRY),
    ("unknown alpha-3", _with("person.postal_addresses.0.country", "ZZZ"), COUNTRY),
    ("a planet", _with("person.postal_addresses.0.country", "Mars"), COUNTRY),
    ("country a number", _with("person.postal_addresses.0.country", 484), COUNTRY),
    ("name too long", _with("person.given_name", "A" * 201), "person.given_name"),
    (
        "address too long",
        _with("person.email_addresses.0.address", "a" * 250 + "@example.org"),
        EMAIL,
    ),
    ("comments too long", _with("comments", "x" * 1001), "comments"),
    ("comments a list", _with("comments", ["x"]), "comments"),
    ("a formula", _with("person.given_name", '=HYPERLINK("http://evil")'), "person.given_name"),
    ("a formula with @", _with("person.given_name", "@SUM(A1)"), "person.given_name"),
    ("a script", _with("person.given_name", "<script>alert(1)</script>"), "person.given_name"),
    ("a direction override", _with("person.given_name", "Ana\u202eevil"), "person.given_name"),
    ("a NUL", _with("person.given_name", "Ana\x00"), "person.given_name"),
    (
        "no name",
        _with("person.family_name", None, _with("person.given_name", "")),
        "person.given_name",
    ),
    ("listed_publicly a string", _with("listed_publicly", "yes"), "listed_publicly"),
    ("languages a string", _with("person.languages_spoken", "fr"), "person.languages_spoken"),
]


@pytest.mark.parametrize(("label", "body", "field"), BAD_JSON, ids=[b[0] for b in BAD_JSON])
def test_a_bad_signature_names_the_field_and_writes_nothing(
    client: FlaskClient, key: str, label: str, body: Any, field: str
) -> None:
    response = client.post(SIGN, json=body, headers=auth(key))
    assert response.status_code == 400, response.get_json()
    assert response.mimetype == "application/json"
    answer = response.get_json()
    assert answer["error"]
    assert field in answer["fields"], answer
    assert pledges() == [] and outbox() == []


@pytest.mark.parametrize(
    ("label", "data", "content_type"),
    [
        ("empty", b"", "application/json"),
        ("not JSON", b"name=Ana&email=a@example.org", "application/x-www-form-urlencoded"),
        ("broken JSON", b'{"person": {', "application/json"),
        ("not UTF-8", b'{"person": {"given_name": "\xff\xfe"}}', "application/json"),
        ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ],
)
def test_a_body_that_is_not_json_is_a_400(
    client: FlaskClient, key: str, label: str, data: bytes, content_type: str
) -> None:
    response = client.post(SIGN, data=data, content_type=content_type, headers=auth(key))
    assert response.status_code in (400, 413)
    assert response.get_json()["error"]
    assert pledges() == []


def test_a_body_over_64_kib_is_refused(client: FlaskClient, key: str) -> None:
    body = _with("comments", "x" * 70_000)
    response = client.post(SIGN, json=body, headers=auth(key))
    assert response.status_code == 413
    assert pledges() == []


@pytest.mark.parametrize("field", ["name", "kind", "website", "role"])
def test_organisation_fields_with_cr_lf_are_refused(
    client: FlaskClient, key: str, field: str
) -> None:
    value = "https://x.example/\r\nX: y" if field == "website" else "Sin\r\nBcc: x@example.org"
    body = _with(f"organisation.{field}", value, organisation_body())
    response = client.post(f"{API}/petitions/organisation/signatures", json=body, headers=auth(key))
    assert response.status_code == 400
    assert f"organisation.{field}" in response.get_json()["fields"]
    assert pledges() == []


def test_an_unknown_petition_is_a_404(client: FlaskClient, key: str) -> None:
    response = client.post(f"{API}/petitions/everyone/signatures", json=person(), headers=auth(key))
    assert response.status_code == 404
    assert pledges() == []
