"""A supporter downloads everything held about their address from the links in their mails:
the pledges, the subscription, the mails sent, the consents with dates; nobody else's."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.notifications import tokens as subscription_tokens
from campaign.pledges import services
from campaign.pledges import tokens as pledge_tokens
from tests.factories import PledgeFactory, SubscriptionFactory, SuppressionFactory
from tests.pledges.helpers import manage_path, outbox, pledge_by_email, sign

ADDRESS = "amina.yusuf@example.org"


def _pledge_link(pledge_id: int, fmt: str = "json") -> str:
    return f"/my-data/pledge/{pledge_tokens.make_token(pledge_tokens.MANAGE, pledge_id)}.{fmt}"


def _subscription_link(subscription_id: int, fmt: str = "json") -> str:
    token = subscription_tokens.make_token(subscription_tokens.PREFERENCES, subscription_id)
    return f"/my-data/subscription/{token}.{fmt}"


@pytest.fixture
def signed_up(client: FlaskClient) -> dict[str, Any]:
    """Amina signed the pledge from the form, confirmed it, and follows two states under
    another spelling of her address; someone else pledged too."""
    assert sign(client).status_code == 302
    pledge = pledge_by_email(ADDRESS)
    services.confirm_pledge(pledge=pledge)
    subscription = SubscriptionFactory(email="Amina.Yusuf@example.org")
    subscription.email_canonical = pledge.email_canonical
    PledgeFactory(email="someone.else@example.org", name="Someone Else")
    db.session.commit()
    return {"pledge": pledge, "subscription": subscription}


def test_the_json_holds_everything_about_the_address(
    client: FlaskClient, signed_up: dict[str, Any]
) -> None:
    pledge = signed_up["pledge"]
    response = client.get(_pledge_link(pledge.id))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    held = response.get_json()
    assert held["address"] == sorted({ADDRESS, "Amina.Yusuf@example.org"})
    [mine] = held["pledges"]
    assert (mine["name"], mine["email"], mine["country"]) == ("Amina Yusuf", ADDRESS, "MEX")
    assert mine["confirmed_at"] and mine["created_at"]
    [subscription] = held["subscriptions"]
    assert subscription["email"] == "Amina.Yusuf@example.org"
    subjects = [mail["subject"] for mail in held["mails"]]
    assert len(subjects) == len(outbox(pledge.id)) >= 1
    assert all(mail["to"] in held["address"] for mail in held["mails"])
    consents = {(c["record"], c["consent"]): c for c in held["consents"]}
    assert consents[("pledge individual", "privacy notice")]["given"] is True
    assert consents[("pledge individual", "listed publicly")]["given"] is True
    assert consents[("pledge individual", "address confirmed")]["at"] == mine["confirmed_at"]
    assert consents[("subscription", "campaign mail")]["given"] is True
    assert "someone.else@example.org" not in response.get_data(as_text=True)
    assert "Someone Else" not in response.get_data(as_text=True)


def test_the_subscription_link_gives_the_same_data(
    client: FlaskClient, signed_up: dict[str, Any]
) -> None:
    by_pledge = client.get(_pledge_link(signed_up["pledge"].id)).get_json()
    by_subscription = client.get(_subscription_link(signed_up["subscription"].id)).get_json()
    assert by_subscription == by_pledge


def test_the_csv(client: FlaskClient, signed_up: dict[str, Any]) -> None:
    response = client.get(_pledge_link(signed_up["pledge"].id, "csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "record", "field", "value"]
    assert ["pledges", "1", "name", "Amina Yusuf"] in rows
    assert ["pledges", "1", "country", "MEX"] in rows
    assert {row[0] for row in rows[1:]} >= {
        "address",
        "pledges",
        "subscriptions",
        "mails",
        "consents",
    }


def test_csv_cells_cannot_run_as_formulas(client: FlaskClient) -> None:
    pledge = PledgeFactory(
        email="formula@example.org", name='=HYPERLINK("http://x")', message="+1-1"
    )
    db.session.commit()
    text = client.get(_pledge_link(pledge.id, "csv")).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    cells = [row[3] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in cells and "'+1-1" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_a_suppressed_address_is_said_so(client: FlaskClient) -> None:
    pledge = PledgeFactory(email="bounced@example.org")
    SuppressionFactory(address="bounced@example.org", address_key=pledge.email_canonical)
    db.session.commit()
    held = client.get(_pledge_link(pledge.id)).get_json()
    assert [s["address"] for s in held["suppression"]] == ["bounced@example.org"]


def test_an_erased_pledge_holds_nothing(client: FlaskClient, signed_up: dict[str, Any]) -> None:
    pledge = signed_up["pledge"]
    services.erase_pledge(pledge=pledge)
    db.session.commit()
    assert client.get(_pledge_link(pledge.id)).status_code == 404


def test_the_manage_page_links_the_downloads(
    client: FlaskClient, signed_up: dict[str, Any]
) -> None:
    page = client.get(manage_path(signed_up["pledge"].id)).get_data(as_text=True)
    assert "/my-data/pledge/" in page and ".json" in page and ".csv" in page
    token = subscription_tokens.make_token(
        subscription_tokens.PREFERENCES, signed_up["subscription"].id
    )
    page = client.get(f"/subscriptions/preferences/{token}").get_data(as_text=True)
    assert "/my-data/subscription/" in page


@pytest.mark.parametrize(
    "path",
    [
        "/my-data/pledge/not-a-token.json",
        "/my-data/pledge/" + "x" * 600 + ".json",
        "/my-data/subscription/not-a-token.csv",
        "/my-data/unknown/abc.json",
        "/my-data/pledge/abc.xml",
        "/my-data/pledge/%3Cscript%3E.json",
        "/my-data/pledge/%E2%80%AEabc.json",
    ],
)
def test_bad_links_are_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_a_token_for_another_purpose_is_404(client: FlaskClient, signed_up: dict[str, Any]) -> None:
    pledge_id = signed_up["pledge"].id
    confirm = pledge_tokens.make_token(pledge_tokens.CONFIRM, pledge_id)
    assert client.get(f"/my-data/pledge/{confirm}.json").status_code == 404
    manage = pledge_tokens.make_token(pledge_tokens.MANAGE, pledge_id)
    assert client.get(f"/my-data/subscription/{manage}.json").status_code == 404
    payload, timestamp, signature = manage.rsplit(".", 2)
    first = "B" if signature[0] == "A" else "A"  # a whole sextet of the signature changed (the
    # last character's low bits are padding: changing them could leave the signature good)
    forged = f"{payload}.{timestamp}.{first}{signature[1:]}"
    assert client.get(f"/my-data/pledge/{forged}.json").status_code == 404
