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
    assert body["count"] == 2 and body["state"] is None
    assert [e["name"] for e in body["endorsements"]] == ["Listed Two", "Listed One"]  # GTM, MEX
    assert all(set(e) == FIELDS for e in body["endorsements"])
    text = response.get_data(as_text=True)
    assert "Hidden" not in text and "@" not in text
    listed = body["endorsements"][1]
    assert listed["party"] == "Partido Ejemplo" and listed["state"] == "MEX"
    assert body["endorsements"][0]["party"] is None


def test_one_state(client: FlaskClient) -> None:
    _world()
    body = client.get("/api/v1/endorsements?state=mex").get_json()
    assert body["state"] == "MEX" and [e["name"] for e in body["endorsements"]] == ["Listed One"]
    assert client.get("/api/v1/endorsements?state=FRA").get_json()["count"] == 0


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
