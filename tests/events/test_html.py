"""Every page of events and materials, in the six languages, is well-formed HTML (html5lib's
strict parser), with a <main> and a title; Arabic pages read right to left."""

from __future__ import annotations

import datetime as dt

import html5lib
import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.extensions import db
from tests.events.helpers import partner_of
from tests.factories import EventFactory, MaterialFactory, MaterialVersionFactory
from tests.support.auth import log_in, make_user

LANGUAGES = ("", "/ar", "/zh", "/fr", "/ru", "/es")


def _parse(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(response.get_data(as_text=True))
    except html5lib.html5parser.ParseError as error:
        raise AssertionError(f"{path}: {error}") from error
    assert document.find("body/main") is not None and document.find("head/title").text.strip()
    if path.startswith("/ar/"):
        assert document.get("dir") == "rtl"


@pytest.fixture
def content(app: Flask) -> int:
    now = dt.datetime.now(dt.UTC)
    event = EventFactory(starts_at=now + dt.timedelta(days=3), description="Line <one>\nLine & two")
    EventFactory(
        starts_at=now - dt.timedelta(days=40),
        kind="online",
        state=None,
        city="",
        online_url="https://meet.example.org/a",
    )
    EventFactory(review="pending", published_at=None, created_via="portal")
    material = MaterialFactory(title="Résumé <b>")
    MaterialVersionFactory(material=material, number=1)
    MaterialVersionFactory(material=material, number=2, note="Dates")
    db.session.commit()
    return int(event.id)


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_public_pages(app: Flask, client: FlaskClient, content: int, prefix: str) -> None:
    for path in ("/events", "/events/archive", f"/events/{content}", "/materials"):
        _parse(client, prefix + path)


@pytest.mark.parametrize("prefix", ("", "/ar", "/fr"))
def test_back_office_and_portal_pages(
    app: Flask, client: FlaskClient, new_client, content: int, prefix: str
) -> None:
    log_in(client, make_user("coordinator"))
    material_id = db.session.scalar(db.select(MaterialFactory._meta.model.id))
    for path in (
        "/admin/events",
        "/admin/events/new",
        f"/admin/events/{content}/edit",
        "/admin/materials",
        "/admin/materials/new",
        f"/admin/materials/{material_id}",
    ):
        _parse(client, prefix + path)
    partner = new_client()
    partner_of(partner, "SEN")
    for path in ("/partner/events", "/partner/events/new", "/partner/materials"):
        _parse(partner, prefix + path)
