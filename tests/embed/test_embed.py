"""The embeddable pledge and count: framed only by the origins an organisation registered,
signed without any cookie, with the pledge form's own checks; every other page unframeable."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from flask.testing import FlaskClient

from campaign.embed import tokens
from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.pledges.models import Pledge
from tests.factories import OrganisationFactory
from tests.pledges.helpers import INDIVIDUAL, outbox, pledges
from tests.support.rows import count

PARTNER = "https://partner.example"
OTHER = "https://www.other.example"
TOKEN = re.compile(r'name="embed_token" value="([^"]+)"')
OWN_ORIGIN = "http://localhost"


@pytest.fixture
def organisation() -> Organisation:
    from campaign.embed.models import EmbedOrigin

    org = OrganisationFactory(name="Partner Network")
    db.session.flush()
    db.session.add_all(
        [
            EmbedOrigin(organisation_id=org.id, origin=PARTNER),
            EmbedOrigin(organisation_id=org.id, origin=OTHER),
        ]
    )
    db.session.commit()
    return org


def _frame_ancestors(response: Any) -> str:
    policy = response.headers["Content-Security-Policy"]
    match = re.search(r"frame-ancestors ([^;]*)", policy)
    assert match, policy
    return match.group(1).strip()


def _token(client: FlaskClient, org: Organisation | None) -> str:
    query = {"org": org.id} if org else {}
    page = client.get("/embed/pledge", query_string=query).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match
    return match.group(1)


def _sign(
    client: FlaskClient,
    org: Organisation | None,
    *,
    headers: dict[str, str] | None = None,
    token: str | None = None,
    **changes: str,
) -> Any:
    data = {
        **INDIVIDUAL,
        **changes,
        "embed_token": token if token is not None else _token(client, org),
    }
    query = {"org": org.id} if org else {}
    return client.post(
        "/embed/pledge",
        query_string=query,
        data=data,
        headers={"Origin": OWN_ORIGIN, "Sec-Fetch-Site": "same-origin", **(headers or {})},
    )


@pytest.mark.parametrize("path", ["/embed/pledge", "/embed/count", "/fr/embed/pledge"])
def test_an_embed_may_be_framed_by_the_registered_origins_only(
    client: FlaskClient, organisation: Organisation, path: str
) -> None:
    response = client.get(path, query_string={"org": organisation.id})
    assert response.status_code == 200
    assert _frame_ancestors(response) == f"{PARTNER} {OTHER}"
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers


def test_an_embed_without_an_organisation_cannot_be_framed(client: FlaskClient) -> None:
    response = client.get("/embed/pledge")
    assert response.status_code == 200
    assert _frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_an_organisation_without_origins_cannot_be_framed(client: FlaskClient) -> None:
    org = OrganisationFactory(name="No Origins Yet")
    db.session.commit()
    response = client.get("/embed/pledge", query_string={"org": org.id})
    assert _frame_ancestors(response) == "'none'"


@pytest.mark.parametrize(
    "path", ["/", "/pledge/individual", "/states", "/map", "/api/v1/docs", "/account/login"]
)
def test_every_other_page_stays_unframeable(
    client: FlaskClient, organisation: Organisation, path: str
) -> None:
    response = client.get(path, query_string={"org": organisation.id})
    assert _frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "value", ["abc", "0", "-1", "1.5", "9" * 30, "1e3", "٣", "<script>", "1\r\nX: y"]
)
@pytest.mark.parametrize("path", ["/embed/pledge", "/embed/count"])
def test_a_bad_organisation_is_a_404(client: FlaskClient, path: str, value: str) -> None:
    assert client.get(path, query_string={"org": value}).status_code == 404


def test_a_merged_organisation_is_a_404(client: FlaskClient, organisation: Organisation) -> None:
    keep = OrganisationFactory(name="The Merged Into")
    db.session.flush()
    organisation.merged_into_id = keep.id
    db.session.commit()
    assert client.get("/embed/pledge", query_string={"org": organisation.id}).status_code == 404


def test_signing_through_the_embed(client: FlaskClient, organisation: Organisation) -> None:
    response = _sign(client, organisation)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/embed/pledge/thanks")
    assert "Set-Cookie" not in response.headers
    stored = pledges()
    assert [p.email for p in stored] == [INDIVIDUAL["email"]]
    assert stored[0].confirmed_at is None  # confirmed by the mailed link, as every pledge
    assert len(outbox(stored[0].id)) == 1
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "Check your email" in thanks.get_data(as_text=True)
    assert _frame_ancestors(thanks) == f"{PARTNER} {OTHER}"


def test_a_browser_sends_a_null_origin_from_this_site(
    client: FlaskClient, organisation: Organisation
) -> None:
    """This site's Referrer-Policy (no-referrer) makes Chromium send `Origin: null` on the
    framed form's POST; `Sec-Fetch-Site: same-origin` is what tells it came from here."""
    response = _sign(client, organisation, headers={"Origin": "null"})
    assert response.status_code == 302
    assert count(Pledge) == 1


def test_the_same_pledge_twice_is_one_pledge(
    client: FlaskClient, organisation: Organisation
) -> None:
    _sign(client, organisation)
    _sign(client, organisation)
    assert count(Pledge) == 1


def test_the_embed_sets_no_cookie_even_on_errors(
    client: FlaskClient, organisation: Organisation
) -> None:
    response = _sign(client, organisation, email="not-an-address")
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("headers", "token"),
    [
        ({"Origin": "https://evil.example"}, None),
        ({"Origin": "null", "Sec-Fetch-Site": "cross-site"}, None),
        ({"Sec-Fetch-Site": "cross-site"}, None),
        ({"Sec-Fetch-Site": "same-site"}, None),
        ({}, ""),
        ({}, "forged.token.value"),
        ({}, "x" * 500),
    ],
)
def test_a_submission_from_elsewhere_is_refused(
    client: FlaskClient, organisation: Organisation, headers: dict[str, str], token: str | None
) -> None:
    response = _sign(client, organisation, headers=headers, token=token)
    assert response.status_code == 400
    assert "expired or was sent from elsewhere" in response.get_data(as_text=True)
    assert count(Pledge) == 0


def test_a_token_for_another_organisation_is_refused(
    client: FlaskClient, organisation: Organisation
) -> None:
    response = _sign(client, organisation, token=_token(client, None))
    assert response.status_code == 400
    assert count(Pledge) == 0


def test_an_expired_token_is_refused(client: FlaskClient, organisation: Organisation) -> None:
    token = _token(client, organisation)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=tokens.MAX_AGE_SECONDS + 60)
    with time_machine.travel(later, tick=False):
        response = _sign(client, organisation, token=token)
    assert response.status_code == 400
    assert count(Pledge) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"name": ""},
        {"name": "x" * 5000},
        {"name": "Amina\r\nBcc: victim@example.org"},
        {"email": ""},
        {"email": "not-an-address"},
        {"email": "a@b.example\r\nBcc: victim@example.org"},
        {"country": "XXX"},
        {"country": "<script>"},
        {"accept_privacy": ""},
        {"message": "\u202eevil" + "x" * 5000},
    ],
)
def test_bad_input_through_the_embed(
    client: FlaskClient, organisation: Organisation, changes: dict[str, str]
) -> None:
    response = _sign(client, organisation, **changes)
    assert response.status_code == 400
    assert count(Pledge) == 0
    assert "<script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "<script>alert(1)</script>"])
def test_formulas_and_markup_in_a_name_are_refused(
    client: FlaskClient, organisation: Organisation, name: str
) -> None:
    response = _sign(client, organisation, name=name)
    assert response.status_code == 400
    assert count(Pledge) == 0
    assert "<script>alert" not in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["أمينة يوسف", "𝒜mina 😀", "Zoë Ñúñez"])
def test_names_in_any_script_are_stored_as_given(
    client: FlaskClient, organisation: Organisation, name: str
) -> None:
    assert _sign(client, organisation, name=name).status_code == 302
    assert pledges()[0].name == name


def test_the_count(client: FlaskClient, organisation: Organisation) -> None:
    page = client.get("/embed/count", query_string={"org": organisation.id, "state": "MEX"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "pledge" in html and "Mexico" in html
    for bad in ("XXX", "MEXICO", "<script>", "١٢٣"):
        assert client.get("/embed/count", query_string={"state": bad}).status_code == 404
