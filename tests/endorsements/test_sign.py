"""Signing /pledge/official: the valid form, a table of bad input (a 400 with a message and
nothing written), duplicates, the honeypot, CSRF and the rate limits."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
import time_machine
from flask.testing import FlaskClient

from campaign.core.jobs import SEND_EMAIL
from campaign.db import utcnow
from campaign.endorsements.views import POST_LIMIT
from tests.endorsements.helpers import (
    CHECK_EMAIL,
    FORM,
    OFFICIAL,
    endorsements,
    links_in,
    mails,
    outbox_size,
    sign,
)


def test_form_renders_with_the_states_and_the_privacy_notice(client: FlaskClient) -> None:
    page = client.get(FORM).get_data(as_text=True)
    assert 'name="csrf_token"' in page and 'name="accept_privacy"' in page
    assert 'name="proof_url"' in page and '<option value="MEX">' in page
    assert 'value="---"' not in page  # an office is in a state: no "other"


def test_valid_endorsement_is_stored_unconfirmed_with_one_deferred_mail(
    client: FlaskClient, published_jobs: list[Any]
) -> None:
    response = sign(client, office=" Member  of Parliament ")
    assert response.status_code == 302 and response.headers["Location"].endswith(CHECK_EMAIL)
    [row] = endorsements()
    assert row.confirmed_at is None and row.review == "pending" and not row.is_suspect
    assert row.office_key == "member of parliament" and row.state.iso3 == "MEX"
    assert row.email == "lucia.hernandez@example.org" and row.party == "Partido Ejemplo"
    [mail] = mails()
    assert mail.idempotency_key == f"endorsement-confirm:{row.id}:1"
    assert mail.to_address == row.email
    assert mail.subject == "Please confirm your endorsement of the Convention"
    assert published_jobs == [(SEND_EMAIL, (mail.id,))]
    confirm_link, manage_link = links_in(mail.body_text)
    assert links_in(mail.body_html or "") == (confirm_link, manage_link)
    assert "Confirm my endorsement" in client.get(confirm_link).get_data(as_text=True)
    assert client.get(manage_link).status_code == 200
    assert "Check your email" in client.get(CHECK_EMAIL).get_data(as_text=True)


LONG = "x" * 201
BAD_INPUT = {
    "empty name": ({"name": ""}, "Please give your name."),
    "name left out": ({"name": None}, "Please give your name."),
    "empty office": ({"office": "  "}, "Please give your office"),
    "empty institution": ({"institution": ""}, "Please give the institution"),
    "empty statement": ({"statement": ""}, "Please write a statement of support."),
    "no state": ({"state": ""}, "Please choose a state."),
    "unknown state": ({"state": "XXX"}, "Not a valid choice"),
    "the no-country choice": ({"state": "---"}, "Not a valid choice"),
    "state in lower case": ({"state": "mex"}, "Not a valid choice"),
    "no privacy consent": ({"accept_privacy": None}, "Please accept the privacy notice"),
    "name too long": ({"name": LONG}, "200"),
    "office too long": ({"office": LONG}, "200"),
    "party too long": ({"party": LONG}, "200"),
    "statement too long": ({"statement": "x" * 2001}, "2000"),
    "proof too long": ({"proof_url": "https://example.org/" + "a" * 500}, "500"),
    "malformed email": ({"email": "lucia@"}, "valid email address"),
    "email with a space": ({"email": "lucia @example.org"}, "valid email address"),
    "email header injection": ({"email": "a@example.org\r\nBcc: b@example.org"}, "valid email"),
    "name header injection": ({"name": "Lucía\r\nBcc: x@example.org"}, "line breaks"),
    "office header injection": ({"office": "Mayor\nBcc: x@example.org"}, "line breaks"),
    "institution with a NUL": ({"institution": "City\x00Hall"}, "control characters"),
    "party header injection": ({"party": "Party\r\nX: y"}, "line breaks"),
    "proof header injection": ({"proof_url": "https://example.org/\r\nX: y"}, "line breaks"),
    "formula in the name": ({"name": '=HYPERLINK("http://x")'}, "start with a letter"),
    "formula in the office": ({"office": "+Mayor"}, "start with a letter"),
    "formula in the party": ({"party": "@SUM(A1)"}, "start with a letter"),
    "formula in the institution": ({"institution": "-1+1"}, "start with a letter"),
    "script in the name": ({"name": "<script>alert(1)</script>"}, "&lt; and &gt;"),
    "right-to-left override": ({"name": "Lucía\u202eevil"}, "direction-control"),
    "http proof": ({"proof_url": "http://diputados.example.org/x"}, "starting with https://"),
    "javascript proof": ({"proof_url": "javascript:alert(1)"}, "starting with https://"),
    "data proof": ({"proof_url": "data:text/html,hi"}, "starting with https://"),
    "proof without a host": ({"proof_url": "https:///path"}, "starting with https://"),
    "proof with a login": ({"proof_url": "https://u:p@example.org/"}, "valid web address"),
    "proof at localhost": ({"proof_url": "https://localhost/x"}, "private network"),
    "proof at a private IP": ({"proof_url": "https://192.168.1.10/x"}, "private network"),
    "proof at loopback": ({"proof_url": "https://127.0.0.1/"}, "private network"),
    "proof at an integer IP": ({"proof_url": "https://2130706433/"}, "private network"),
    "proof at IPv6 loopback": ({"proof_url": "https://[::1]/"}, "private network"),
    "proof on .internal": ({"proof_url": "https://intranet.corp.internal/"}, "private network"),
    "proof with a bad port": ({"proof_url": "https://example.org:99999/"}, "valid web address"),
    "proof not a link": ({"proof_url": "my website"}, "starting with https://"),
}


@pytest.mark.parametrize("changes,message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_a_400_with_a_message_and_nothing_written(
    client: FlaskClient, changes: dict[str, str | None], message: str
) -> None:
    before = outbox_size()
    response = sign(client, **changes)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert html.unescape(message) in page, page[-3000:]
    assert endorsements() == [] and outbox_size() == before


GOOD_UNICODE = {
    "arabic and astral": {"name": "لوسيا 𝔘𝔫𝔦 😀", "statement": "أؤيد التصديق\nعلى الاتفاقية"},
    "chinese office": {"office": "市长", "institution": "北京市人民政府"},
    "idn proof": {"proof_url": "https://пример.рф/депутаты/1"},
    "markup in the statement": {"statement": "I <3 this: <b>ratify</b>"},
}


@pytest.mark.parametrize("changes", GOOD_UNICODE.values(), ids=GOOD_UNICODE.keys())
def test_any_script_is_kept_as_written(client: FlaskClient, changes: dict[str, str]) -> None:
    assert sign(client, **changes).status_code == 302
    [row] = endorsements()
    for field, value in changes.items():
        assert getattr(row, field) == value


@pytest.mark.parametrize(
    "body",
    [
        {"state": ["MEX", "FRA"]},
        {"name": ["a", "b"], "accept_privacy": ["y", "n"]},
    ],
    ids=["two states", "repeated fields"],
)
def test_repeated_fields_never_fail(client: FlaskClient, body: dict[str, Any]) -> None:
    response = sign(client, **body)
    assert response.status_code in (302, 400)
    assert len(endorsements()) <= 1


def test_a_json_body_or_a_file_is_a_400(client: FlaskClient) -> None:
    assert client.post(FORM, json=OFFICIAL).status_code == 400
    assert endorsements() == []


def test_missing_csrf_is_a_400_and_nothing_written(client: FlaskClient) -> None:
    response = sign(client, csrf=False)
    assert response.status_code == 400
    assert endorsements() == [] and mails() == []


def test_honeypot_answers_the_same_and_writes_nothing(client: FlaskClient) -> None:
    response = sign(client, homepage="https://spam.example")
    assert response.status_code == 302 and response.headers["Location"].endswith(CHECK_EMAIL)
    assert endorsements() == [] and mails() == []


def test_same_address_state_and_office_is_one_endorsement(client: FlaskClient) -> None:
    assert sign(client).status_code == 302
    # The same office in other case and spacing, the address in another form of it.
    again = sign(client, office="member of  PARLIAMENT", email="Lucia.Hernandez+x@Example.org")
    assert again.status_code == 302 and again.headers["Location"].endswith(CHECK_EMAIL)
    assert len(endorsements()) == 1
    assert len(mails()) == 1  # within the resend cooldown: no second mail
    with time_machine.travel(utcnow() + dt.timedelta(minutes=3), tick=False):
        assert sign(client).status_code == 302
    assert len(endorsements()) == 1
    assert [m.idempotency_key.rsplit(":", 1)[1] for m in mails()] == ["1", "2"]


def test_another_office_or_state_is_another_endorsement(client: FlaskClient) -> None:
    sign(client)
    sign(client, office="Mayor", institution="City of Monterrey")
    sign(client, state="GTM")
    assert [(e.office, e.state.iso3) for e in endorsements()] == [
        ("Member of Parliament", "MEX"),
        ("Mayor", "MEX"),
        ("Member of Parliament", "GTM"),
    ]


def test_over_the_pledge_limits_it_is_kept_as_suspect_and_its_mail_held(
    client: FlaskClient,
) -> None:
    for number in range(6):  # pledge_limit_burst is 5 per minute
        sign(client, ip="203.0.113.7", email=f"official{number}@example.org")
    rows = endorsements()
    assert [row.is_suspect for row in rows] == [False] * 5 + [True]
    assert mails()[-1].status == "held"


def test_a_flood_of_posts_is_refused_with_429_and_nothing_written(client: FlaskClient) -> None:
    per_minute = int(POST_LIMIT.split()[0])
    for _ in range(per_minute):
        sign(client, ip="198.51.100.9", name="")  # counted, even when refused as invalid
    response = sign(client, ip="198.51.100.9")
    assert response.status_code == 429 and response.headers.get("Retry-After")
    assert "Too many" in response.get_data(as_text=True) or "too many" in response.get_data(
        as_text=True
    )
    assert endorsements() == []
    assert sign(client, ip="198.51.100.10").status_code == 302  # another client is not refused
