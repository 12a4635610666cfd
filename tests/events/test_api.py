"""The events and the materials in the JSON API: public facts only, strict parameters, ETags."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.extensions import db
from tests.factories import (
    EventFactory,
    MaterialFactory,
    MaterialVersionFactory,
    OrganisationFactory,
    state,
)


def test_events_in_the_api(app: Flask, client: FlaskClient) -> None:
    now = dt.datetime.now(dt.UTC)
    organisation = OrganisationFactory(name="Senegal Migrant Network")
    EventFactory(
        title="Panel in Dakar", starts_at=now + dt.timedelta(days=2), organisations=[organisation]
    )
    EventFactory(
        title="Waiting", review="pending", published_at=None, starts_at=now + dt.timedelta(days=1)
    )
    EventFactory(title="Old vigil", kind="vigil", starts_at=now - dt.timedelta(days=30))
    db.session.commit()
    response = client.get("/api/v1/events?state=sen")
    assert response.status_code == 200 and response.headers["ETag"]
    [item] = response.get_json()
    assert item["title"] == "Panel in Dakar" and item["organisations"] == [
        "Senegal Migrant Network"
    ]
    assert item["timezone"] == "Africa/Dakar" and item["starts_at"].endswith("+00:00")
    assert "created_by" not in item and "review" not in item
    assert client.get(
        "/api/v1/events", headers={"If-None-Match": response.headers["ETag"]}
    ).status_code in (200, 304)
    assert [e["title"] for e in client.get("/api/v1/events?past=1").get_json()] == ["Old vigil"]
    assert client.get(f"/api/v1/events/{item['id']}").get_json()["id"] == item["id"]


@pytest.mark.parametrize(
    "query",
    [
        "state=XXX",
        "state=%0d%0a",
        "kind=rave",
        "region=Mars",
        "month=2030-13",
        "month=x",
        "past=yes",
        "page=0",
        "per_page=100000",
        "page=99999999999999999999",
    ],
)
def test_bad_event_parameters_are_400(app: Flask, client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 400 and response.get_json()["error"]


@pytest.mark.parametrize("path", ["/api/v1/events/0", "/api/v1/events/99999999999999999999"])
def test_missing_events_are_404(app: Flask, client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_an_unpublished_event_is_404(app: Flask, client: FlaskClient) -> None:
    event = EventFactory(review="rejected", review_reason="No", published_at=None)
    db.session.commit()
    assert client.get(f"/api/v1/events/{event.id}").status_code == 404


def test_materials_in_the_api(app: Flask, client: FlaskClient) -> None:
    material = MaterialFactory(title="Flyer", kind="flyer", language="fr", state=state("SEN"))
    MaterialVersionFactory(material=material, number=1, downloads=3)
    MaterialVersionFactory(material=material, number=2, downloads=4)
    MaterialFactory(title="No file yet")
    db.session.commit()
    [item] = client.get("/api/v1/materials?language=fr&kind=flyer").get_json()
    assert item["title"] == "Flyer" and item["downloads"] == 7 and item["state"] == "SEN"
    assert [v["number"] for v in item["versions"]] == [2, 1]
    assert client.get("/api/v1/materials?language=es").get_json() == []
    assert client.get("/api/v1/materials?language=de").status_code == 400
    assert client.get("/api/v1/materials?kind=%00").status_code == 400
