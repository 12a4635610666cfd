"""What a key sees: the signatures and people that came through its own organisation (its
OSDI posts and its embeds), never another's, never a withdrawn or erased one; OSDI paging."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.pledges import services
from tests.factories import OrganisationFactory
from tests.osdi.conftest import API, Issue, auth, person
from tests.pledges.helpers import INDIVIDUAL, pledge_by_email, pledges, sign

TOKEN = re.compile(r'name="embed_token" value="([^"]+)"')


def post(client: FlaskClient, key: str, email: str) -> Any:
    response = client.post(
        f"{API}/petitions/individual/signatures", json=person(email=email), headers=auth(key)
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def get(client: FlaskClient, key: str, path: str, **query: Any) -> Any:
    return client.get(f"{API}{path}", headers=auth(key), query_string=query)


def _embed_sign(client: FlaskClient, organisation: Organisation, email: str) -> None:
    page = client.get("/embed/pledge", query_string={"org": organisation.id})
    match = TOKEN.search(page.get_data(as_text=True))
    assert match
    response = client.post(
        "/embed/pledge",
        query_string={"org": organisation.id},
        data={**INDIVIDUAL, "email": email, "embed_token": match.group(1)},
        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 302


@pytest.fixture
def other_key(issue: Issue) -> str:
    return issue(OrganisationFactory(name="Otra Red de Apoyo"))


def test_another_organisations_key_sees_none_of_it(
    client: FlaskClient, key: str, other_key: str
) -> None:
    mine = post(client, key, "mine@example.org")
    sign(client, email="from.the.form@example.org")
    signature_path = mine["_links"]["self"]["href"].removeprefix("http://localhost" + API)
    person_path = mine["_links"]["osdi:person"]["href"].removeprefix("http://localhost" + API)
    for path in ("/people", "/petitions/individual/signatures"):
        body = get(client, other_key, path).get_json()
        assert body["total_records"] == 0
        assert "mine@example.org" not in str(body)
    assert get(client, other_key, signature_path).status_code == 404
    assert get(client, other_key, person_path).status_code == 404
    assert get(client, key, signature_path).status_code == 200
    people = get(client, key, "/people").get_json()
    assert [p["email_addresses"][0]["address"] for p in people["_embedded"]["osdi:people"]] == [
        "mine@example.org"
    ]  # never the form's signer


def test_the_embed_with_org_is_the_organisations_own(
    client: FlaskClient, key: str, organisation: Organisation, other_key: str
) -> None:
    _embed_sign(client, organisation, "embedded@example.org")
    pledge = pledge_by_email("embedded@example.org")
    assert (pledge.source, pledge.source_organisation_id) == ("embed", organisation.id)
    listed = get(client, key, "/petitions/individual/signatures").get_json()
    assert listed["total_records"] == 1
    assert listed["_embedded"]["osdi:signatures"][0]["status"] == "pending confirmation"
    assert get(client, other_key, "/people").get_json()["total_records"] == 0


def test_withdrawn_and_erased_pledges_never_appear(client: FlaskClient, key: str) -> None:
    for email in ("stays@example.org", "withdraws@example.org", "erases@example.org"):
        post(client, key, email)
    services.withdraw_pledge(pledge=pledge_by_email("withdraws@example.org"))
    services.erase_pledge(pledge=pledge_by_email("erases@example.org"))
    db.session.commit()
    for path in ("/people", "/petitions/individual/signatures"):
        body = get(client, key, path).get_json()
        assert body["total_records"] == 1
        assert "withdraws@" not in str(body) and "erased" not in str(body)
    gone = [p.id for p in pledges() if p.email != "stays@example.org"]
    for pledge_id in gone:
        assert get(client, key, f"/petitions/individual/signatures/{pledge_id}").status_code == 404
        assert get(client, key, f"/people/{pledge_id}").status_code == 404


@pytest.mark.parametrize("number", ["0", "2147483648", "9223372036854775807"])
def test_ids_out_of_range_are_404(client: FlaskClient, key: str, number: str) -> None:
    assert get(client, key, f"/people/{number}").status_code == 404
    assert get(client, key, f"/petitions/individual/signatures/{number}").status_code == 404


def test_a_person_with_both_pledges_is_one_person(client: FlaskClient, key: str) -> None:
    post(client, key, "both@example.org")
    body = {
        **person(email="both@example.org"),
        "organisation": {"name": "Casa Migrante", "kind": "ngo", "role": "Coordinadora"},
    }
    response = client.post(f"{API}/petitions/organisation/signatures", json=body, headers=auth(key))
    assert response.status_code == 201
    first = pledges()[0]
    assert response.get_json()["_links"]["osdi:person"]["href"].endswith(f"/people/{first.id}")
    assert get(client, key, "/people").get_json()["total_records"] == 1
    assert get(client, key, f"/people/{pledges()[1].id}").status_code == 404


def test_osdi_paging(client: FlaskClient, key: str) -> None:
    for n in range(5):
        post(client, key, f"page{n}@example.org")
    first = get(client, key, "/petitions/individual/signatures", per_page=2).get_json()
    assert (first["page"], first["per_page"], first["total_pages"], first["total_records"]) == (
        1,
        2,
        3,
        5,
    )
    assert "prev" not in first["_links"] and "page=2" in first["_links"]["next"]["href"]
    last = get(client, key, "/petitions/individual/signatures", per_page=2, page=3).get_json()
    assert len(last["_embedded"]["osdi:signatures"]) == 1 and "next" not in last["_links"]
    assert "page=2" in last["_links"]["prev"]["href"]
    beyond = get(client, key, "/people", per_page=2, page=9).get_json()
    assert beyond["_embedded"]["osdi:people"] == []
    seen = {
        s["identifiers"][0]
        for page in (1, 2, 3)
        for s in get(
            client, key, "/petitions/individual/signatures", per_page=2, page=page
        ).get_json()["_embedded"]["osdi:signatures"]
    }
    assert len(seen) == 5


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "9" * 30, "501", "١"])
@pytest.mark.parametrize("name", ["page", "per_page"])
@pytest.mark.parametrize("path", ["/people", "/petitions", "/petitions/individual/signatures"])
def test_bad_paging_is_a_400(
    client: FlaskClient, key: str, path: str, name: str, value: str
) -> None:
    if name == "page" and value == "501":
        value = "100001"
    response = get(client, key, path, **{name: value})
    assert response.status_code == 400
    assert name in response.get_json()["error"]


def test_the_petitions_and_their_totals(client: FlaskClient, key: str) -> None:
    listed = get(client, key, "/petitions").get_json()
    assert listed["total_records"] == 2
    petitions = {p["identifiers"][0]: p for p in listed["_embedded"]["osdi:petitions"]}
    assert set(petitions) == {
        "mwc-campaign:petition-individual",
        "mwc-campaign:petition-organisation",
    }
    one = get(client, key, "/petitions/individual").get_json()
    assert one["total_signatures"] == 0
    assert one["_links"]["osdi:record_signature_helper"]["href"].endswith(
        "/petitions/individual/signatures"
    )
    assert get(client, key, "/petitions/nobody").status_code == 404
    entry = get(client, key, "/").get_json()
    assert {"osdi:petitions", "osdi:people"} <= set(entry["_links"])
