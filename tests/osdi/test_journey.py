"""An Action Network-style client against the real app over HTTP: it lists the petitions, posts
a signature, the real worker mails the confirmation to the SMTP sink, the person confirms, and
the signature shows as confirmed and the petition's total moves."""

from __future__ import annotations

import re
from typing import Any

import requests
from sqlalchemy import select

from campaign.apikeys import services
from campaign.apikeys.models import ApiKey
from campaign.extensions import db
from tests.factories import OrganisationFactory
from tests.osdi.conftest import API, HAL, person
from tests.support.live import LiveServer, csrf_token
from tests.support.mail import text_part
from tests.support.servers import SmtpSink
from tests.support.worker import CeleryWorker

LINK = re.compile(r"(http://127\.0\.0\.1:\d+/pledge/confirm/[\w.\-]+)")


class OsdiClient:
    """What a partner's tool does: follow the Entry Point's links, send the key in a header."""

    def __init__(self, base: str, key: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.headers.update({"OSDI-API-Token": key, "Accept": HAL})

    def get(self, url: str) -> Any:
        response = self.http.get(url, timeout=30)
        assert response.status_code == 200, (url, response.status_code, response.text)
        assert response.headers["Content-Type"].startswith(HAL)
        return response.json()

    def entry(self) -> Any:
        return self.get(f"{self.base}{API}/")

    def petitions(self) -> list[Any]:
        url = self.entry()["_links"]["osdi:petitions"]["href"]
        return list(self.get(url)["_embedded"]["osdi:petitions"])

    def record(self, petition: Any, body: Any) -> requests.Response:
        helper = petition["_links"]["osdi:record_signature_helper"]["href"]
        return self.http.post(
            helper, json=body, headers={"Content-Type": "application/hal+json"}, timeout=30
        )


def _issue_key(name: str) -> str:
    organisation = OrganisationFactory(name=name)
    db.session.flush()
    _row, key = services.issue_key(
        organisation=organisation, name="Action Network", scopes=["read", "write"], actor=None
    )
    db.session.commit()
    return key


def test_list_post_confirm_and_count(
    live_server: LiveServer, worker: CeleryWorker, smtp_sink: SmtpSink, fresh_limits: None
) -> None:
    key = _issue_key("Red Migrante Norte")
    client = OsdiClient(live_server.url, key)
    [individual] = [p for p in client.petitions() if p["identifiers"][0].endswith("individual")]
    assert individual["total_signatures"] == 0

    response = client.record(individual, person(email="lucia.journey@example.org"))
    assert response.status_code == 201, response.text
    signature = response.json()
    assert signature["status"] == "pending confirmation"
    assert "Set-Cookie" not in response.headers

    [mail] = smtp_sink.wait_for(1)
    assert mail["X-Envelope-To"] == "lucia.journey@example.org"
    match = LINK.search(text_part(mail))
    assert match, text_part(mail)
    browser = requests.Session()  # the person, in their own browser
    page = browser.get(match.group(1), timeout=30)
    assert client.get(signature["_links"]["self"]["href"])["status"] == "pending confirmation"
    confirmed = browser.post(match.group(1), data={"csrf_token": csrf_token(page.text)}, timeout=30)
    assert confirmed.status_code == 200

    now = client.get(signature["_links"]["self"]["href"])
    assert now["status"] == "confirmed" and now["confirmed_date"]
    assert client.get(individual["_links"]["self"]["href"])["total_signatures"] == 1
    listed = client.get(individual["_links"]["osdi:signatures"]["href"])
    assert [s["status"] for s in listed["_embedded"]["osdi:signatures"]] == ["confirmed"]

    other = OsdiClient(live_server.url, _issue_key("Otra Red"))
    assert other.get(other.entry()["_links"]["osdi:people"]["href"])["total_records"] == 0
    hashes = db.session.scalars(select(ApiKey.key_hash)).all()
    assert key not in hashes and len(hashes) == 2
    anonymous = requests.get(f"{live_server.url}{API}/people", timeout=30)
    assert anonymous.status_code == 401
