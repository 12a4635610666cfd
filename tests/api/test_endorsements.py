"""GET /api/v1/endorsements and /api/v1/endorsements/counts: verified only, public fields,
never an address; cacheable; bad parameters are a 400 in JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient

from campaign.extensions import db
from tests.factories import EndorsementFactory, state

FIELDS = {
    "id",
    "state",
    "name",
    "office",
    "institution",
    "party",
    "statement",
    "proof_url",
    "verified_on",
}


def _world() -> None:
    EndorsementFactory(verified=True, name="Listed One", party="Partido Ejemplo")
    EndorsementFactory(verified=True, state=state("GTM"), name="Listed Two")
    EndorsementFactory(name="Unconfirmed Hidden")
    EndorsementFactory(confirmed=True, name="Waiting Hidden")
    EndorsementFactory(confirmed=True, review="rejected", name="Rejected Hidden")
    EndorsementFactory(verified=True, name="Withdrawn Hidden", withdrawn_at=dt.datetime.now(dt.UTC))
    db.session.commit()


def test_the_list_holds_verified_endorsements_and_public_fields_only(client: FlaskClient) -> None:
    _world()
    response = client.get("/api/v1/endorsements")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert response.headers["X-Total-Count"] == "2"
    assert [e["name"] for e in body] == ["Listed Two", "Listed One"]  # GTM, MEX
    assert all(set(e) == FIELDS for e in body)
    text = response.get_data(as_text=True)
    assert "Hidden" not in text and "@" not in text
    listed = body[1]
    assert listed["party"] == "Partido Ejemplo" and listed["state"] == "MEX"
    assert body[0]["party"] is None


def test_one_state(client: FlaskClient) -> None:
    _world()
    body = client.get("/api/v1/endorsements?state=mex").get_json()
    assert [(e["state"], e["name"]) for e in body] == [("MEX", "Listed One")]
    assert client.get("/api/v1/endorsements?state=FRA").get_json() == []


def test_paged_like_every_list(client: FlaskClient) -> None:
    _world()
    first = client.get("/api/v1/endorsements?per_page=1")
    assert [e["name"] for e in first.get_json()] == ["Listed Two"]
    assert first.headers["X-Total-Count"] == "2" and 'rel="next"' in first.headers["Link"]
    second = client.get("/api/v1/endorsements?per_page=1&page=2")
    assert [e["name"] for e in second.get_json()] == ["Listed One"]
    assert client.get("/api/v1/endorsements?page=0").status_code == 400


def test_as_at_counts_those_verified_by_then(client: FlaskClient) -> None:
    _world()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert client.get(f"/api/v1/endorsements?as_at={yesterday}").get_json() == []
    assert client.get(f"/api/v1/endorsements/counts?as_at={yesterday}").get_json() == {
        "total": 0,
        "by_state": {},
    }
    today = dt.date.today().isoformat()
    assert len(client.get(f"/api/v1/endorsements?as_at={today}").get_json()) == 2
    for path in ("/api/v1/endorsements", "/api/v1/endorsements/counts"):
        assert client.get(path, query_string={"as_at": "1990-01-01"}).status_code == 400


@pytest.mark.parametrize(
    "value", ["XXX", "", "ME", "MEXX", "M3X", "<script>", "ＭＥＸ", "MEX\r\nX: y", "𝔐𝔈𝔛"]
)
def test_a_bad_state_is_a_json_400(client: FlaskClient, value: str) -> None:
    response = client.get("/api/v1/endorsements", query_string={"state": value})
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_counts_per_state(client: FlaskClient) -> None:
    _world()
    EndorsementFactory(verified=True, office="Mayor")
    db.session.commit()
    body = client.get("/api/v1/endorsements/counts").get_json()
    assert body == {"total": 3, "by_state": {"GTM": 1, "MEX": 2}}


def test_cacheable_with_an_etag(client: FlaskClient) -> None:
    _world()
    for path in ("/api/v1/endorsements?state=MEX", "/api/v1/endorsements/counts"):
        first = client.get(path)
        assert first.headers["ETag"] and "public" in first.headers["Cache-Control"]
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
