"""The Record Signature Helper: an OSDI signature goes through the pledge form's own checks,
its dedupe, limits, mail guard and confirmation mail; bad input is a 400 naming the OSDI
fields, with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from campaign.accounts.services import create_user
from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.settings.services import set_setting
from tests.osdi.conftest import API, HAL, auth, organisation_body, person
from tests.pledges.helpers import outbox, pledges, sign

SIGN = f"{API}/petitions/individual/signatures"


def post(client: FlaskClient, key: str, body: Any, kind: str = "individual") -> Any:
    return client.post(f"{API}/petitions/{kind}/signatures", json=body, headers=auth(key))


def _limit(key: str, value: str) -> None:
    admin = create_user(email="admin@example.org", password="correct horse battery", role="admin")
    set_setting(key=key, value=value, actor=admin)
    db.session.commit()


def test_a_signature_is_a_pending_pledge_with_its_confirmation_queued(
    client: FlaskClient, key: str, organisation: Organisation
) -> None:
    response = post(client, key, person())
    assert response.status_code == 201
    assert response.mimetype == HAL
    body = response.get_json()
    assert body["status"] == "pending confirmation"
    assert body["confirmed_date"] is None
    assert response.headers["Location"] == body["_links"]["self"]["href"]
    embedded = body["_embedded"]["osdi:person"]
    assert (embedded["given_name"], embedded["family_name"]) == ("Lucía", "Ramírez")
    assert embedded["postal_addresses"] == [{"primary": True, "country": "MX"}]
    [pledge] = pledges()
    assert (pledge.kind, pledge.name, pledge.email) == (
        "individual",
        "Lucía Ramírez",
        "lucia.ramirez@example.org",
    )
    assert pledge.country is not None and pledge.country.iso3 == "MEX"
    assert pledge.message == "Por mi hermana, que trabaja en Texas."
    assert (pledge.source, pledge.source_organisation_id) == ("osdi", organisation.id)
    assert pledge.confirmed_at is None and not pledge.is_public and not pledge.wants_updates
    [mail] = outbox(pledge.id)
    assert mail.to_address == "lucia.ramirez@example.org"
    assert mail.idempotency_key == f"pledge-confirm:{pledge.id}:1"
    assert "Set-Cookie" not in response.headers


def test_the_mapping_of_optional_fields(client: FlaskClient, key: str) -> None:
    body = person(country="mex", listed_publicly=True)
    body["person"]["email_addresses"] = [
        {"address": "old@example.org"},
        {"address": "primary@example.org", "primary": True, "status": "subscribed"},
    ]
    body["person"]["languages_spoken"] = ["xx", "fr"]
    assert post(client, key, body).status_code == 201
    [pledge] = pledges()
    assert pledge.email == "primary@example.org"
    assert (pledge.is_public, pledge.wants_updates, pledge.locale) == (True, True, "fr")
    assert pledge.country is not None and pledge.country.iso3 == "MEX"


def test_no_country_is_other_or_prefer_not_to_say(client: FlaskClient, key: str) -> None:
    body = person()
    del body["person"]["postal_addresses"]
    assert post(client, key, body).status_code == 201
    assert pledges()[0].country is None


def test_the_organisation_petition_takes_the_organisation_fields(
    client: FlaskClient, key: str
) -> None:
    response = post(client, key, organisation_body(), kind="organisation")
    assert response.status_code == 201, response.get_json()
    [pledge] = pledges()
    assert (pledge.kind, pledge.organisation_name, pledge.organisation_kind) == (
        "organisation",
        "Sin Fronteras IAP",
        "ngo",
    )
    assert (pledge.website, pledge.contact_role, pledge.moderation) == (
        "https://sinfronteras.example.org",
        "Director",
        "pending",
    )
    assert response.get_json()["organisation"]["moderation"] == "pending"
    missing = post(client, key, person(email="other@example.org"), kind="organisation")
    assert missing.status_code == 400
    assert {"organisation.name", "organisation.kind", "organisation.role"} <= set(
        missing.get_json()["fields"]
    )


def test_the_same_address_twice_is_one_pledge(client: FlaskClient, key: str) -> None:
    first = post(client, key, person())
    again = post(client, key, person(email="Lucia.Ramirez+osdi@Example.org"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["identifiers"] == first.get_json()["identifiers"]
    assert len(pledges()) == 1  # mailed again only within the pledge's cap and cooldown


def test_an_address_that_signed_another_way_is_accepted_and_shows_nothing(
    client: FlaskClient, key: str
) -> None:
    assert sign(client, email="lucia.ramirez@example.org", name="Lucía R.").status_code == 302
    response = post(client, key, person())
    assert response.status_code == 202
    body = response.get_json()
    assert body["identifiers"] == [] and body["status"] == "pending confirmation"
    assert "Lucía R." not in response.get_data(as_text=True)  # the stored pledge stays unseen
    [pledge] = pledges()
    assert (pledge.source, pledge.source_organisation_id) == ("form", None)


def test_over_the_pledge_limit_it_is_suspect_and_answered_alike(
    client: FlaskClient, key: str
) -> None:
    _limit("pledge_limit_burst", "2 per minute")
    answers = [post(client, key, person(email=f"signer{n}@example.org")) for n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert {a.get_json()["status"] for a in answers} == {"pending confirmation"}
    assert [p.is_suspect for p in pledges()] == [False, False, True]
    assert [m.status for m in outbox()] == ["queued", "queued", "held"]


def test_the_mail_guard_holds_mail_to_too_many_new_addresses(client: FlaskClient, key: str) -> None:
    _limit("mail_limit_new_addresses", "2 per hour")
    for n in range(3):
        assert post(client, key, person(email=f"new{n}@example.org")).status_code == 201
    statuses = [m.status for m in outbox() if m.to_address.startswith("new")]
    assert statuses == ["queued", "queued", "held"]
    assert len(pledges()) == 3  # stored all the same


def test_the_honeypot_does_not_apply(client: FlaskClient, key: str) -> None:
    body = person(homepage="https://spam.example")
    body["person"]["homepage"] = "https://spam.example"
    assert post(client, key, body).status_code == 201
    assert len(pledges()) == 1


ACCEPTED_TEXT = [
    ("RTL and astral", {"given_name": "أمينة", "family_name": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 鈴木"}),
    ("a script in the comments is text", {"comments": "<script>alert(1)</script>"}),
    ("line breaks in the comments", {"comments": "Line one\r\nBcc: x@example.org"}),
]


@pytest.mark.parametrize(("label", "change"), ACCEPTED_TEXT, ids=[c[0] for c in ACCEPTED_TEXT])
def test_text_the_form_accepts_is_kept_as_text(
    client: FlaskClient, key: str, label: str, change: dict[str, str]
) -> None:
    body = person()
    for name, value in change.items():
        if name == "comments":
            body["comments"] = value
        else:
            body["person"][name] = value
    response = post(client, key, body)
    assert response.status_code == 201
    [pledge] = pledges()
    for name, value in change.items():
        assert value in (pledge.message if name == "comments" else pledge.name)
    assert response.get_json()["comments"] == pledge.message  # JSON, never markup
