"""A pledge signed on a page in another language gets its mails, and their links, in it."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.pledges.helpers import form_data, outbox, pledge_by_email
from tests.support.auth import csrf_from

SITE = "http://127.0.0.1:5000"


def _sign_on(client: FlaskClient, prefix: str, kind: str = "individual") -> None:
    page = f"{prefix}/pledge/{kind}"
    data = {**form_data(kind), "csrf_token": csrf_from(client, page)}
    response = client.post(page, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"{prefix}/pledge/check-your-email")


def test_a_pledge_signed_on_a_french_page_is_french_and_so_are_its_links(
    client: FlaskClient,
) -> None:
    _sign_on(client, "/fr")
    pledge = pledge_by_email(form_data("individual")["email"])
    assert pledge.locale == "fr"
    [mail] = outbox(pledge.id)
    for body in (mail.body_text, mail.body_html or ""):
        assert f"{SITE}/fr/pledge/confirm/" in body
        assert f"{SITE}/fr/pledge/manage/" in body
    confirm = mail.body_text.split(f"{SITE}/fr/pledge/confirm/", 1)[1].split()[0]
    page = client.get(f"/fr/pledge/confirm/{confirm}")
    assert page.status_code == 200


def test_an_organisation_signing_in_spanish_is_mailed_in_spanish(client: FlaskClient) -> None:
    _sign_on(client, "/es", "organisation")
    pledge = pledge_by_email(form_data("organisation")["email"])
    assert pledge.locale == "es"
    [mail] = outbox(pledge.id)
    assert f"{SITE}/es/pledge/confirm/" in mail.body_text


def test_an_english_pledge_keeps_its_links_without_a_prefix(client: FlaskClient) -> None:
    _sign_on(client, "")
    pledge = pledge_by_email(form_data("individual")["email"])
    assert pledge.locale == "en"
    [mail] = outbox(pledge.id)
    assert f"{SITE}/pledge/confirm/" in mail.body_text
    assert f"{SITE}/pledge/manage/" in mail.body_text
    assert mail.subject == "Please confirm your pledge of support"
