"""The column mapping: guessed from common headers (Action Network's and CiviCRM's exports
among them), two columns joined into the name, and a mapping the file cannot satisfy refused."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from campaign.pledges.import_mapping import guess_mapping
from tests.pledge_imports.helpers import LIST, PLAIN, dry_run, map_columns, outcomes, uploaded

GUESSES = {
    "plain": (["Name", "E-mail", "Country"], {"name": 0, "email": 1, "country": 2}),
    "first and last": (
        ["First Name", "Last Name", "Email Address"],
        {"name": 0, "name_2": 1, "email": 2},
    ),
    "action network": (
        [
            "first_name",
            "last_name",
            "email",
            "zip_code",
            "can2_country",
            "can2_subscription_status",
        ][:6],
        {"name": 0, "name_2": 1, "email": 2, "country": 4, "wants_updates": 5},
    ),
    "civicrm": (
        ["Contact Type", "Organization Name", "Display Name", "Email", "Job Title", "Website"],
        {"kind": 0, "organisation_name": 1, "name": 2, "email": 3, "contact_role": 4},
    ),
    "this site's export": (
        ["kind", "name", "email", "country", "is_public", "wants_updates", "message"],
        {"kind": 0, "name": 1, "email": 2, "country": 3, "is_public": 4, "wants_updates": 5},
    ),
    "email_address": (["email_address", "Full name"], {"email": 0, "name": 1}),
}


@pytest.mark.parametrize("header,expected", GUESSES.values(), ids=GUESSES.keys())
def test_the_mapping_is_guessed_from_the_header(header: list[str], expected: dict) -> None:
    guessed = guess_mapping(header)
    assert {k: v for k, v in guessed.items() if k in expected} == expected
    assert guessed["kind_fixed"] == ("" if "kind" in expected else "individual")


def test_two_columns_make_the_name(coordinator: FlaskClient) -> None:
    pledge_import = dry_run(coordinator, PLAIN)
    assert pledge_import.mapping["name"] == 0 and pledge_import.mapping["name_2"] == 1
    assert pledge_import.dry_created == 2


BAD_MAPPINGS = {
    "no email column": ({"email": ""}, "Choose the column that holds the email address."),
    "no name column": ({"name": ""}, "Choose the column that holds the name."),
    "a column that does not exist": ({"email": "17"}, "Not a valid choice"),
    "not a column number": ({"country": "x"}, "Not a valid choice"),
    "an overflowing column": ({"country": str(2**70)}, "Not a valid choice"),
    "kind from no column": ({"kind_fixed": "", "kind": ""}, "individual or organisation"),
    "a kind that does not exist": ({"kind_fixed": "household"}, "Not a valid choice"),
}


@pytest.mark.parametrize("changes,message", BAD_MAPPINGS.values(), ids=BAD_MAPPINGS.keys())
def test_a_mapping_the_file_cannot_satisfy_is_refused(
    coordinator: FlaskClient, changes: dict[str, str], message: str
) -> None:
    pledge_import = uploaded(coordinator, PLAIN)
    import_id = pledge_import.id
    response = map_columns(coordinator, pledge_import, **changes)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    page = coordinator.get(f"{LIST}/{import_id}").get_data(as_text=True)
    assert "uploaded" in page  # no dry run was started


def test_one_kind_for_the_whole_file(coordinator: FlaskClient) -> None:
    content = (
        "Organisation,Type of organisation,Contact,Email,Role,Statement\n"
        "Kafa'a,trade union,Rana Haddad,rana@example.org,Director,We support the Convention.\n"
    )
    pledge_import = dry_run(coordinator, content, kind_fixed="organisation", name="2")
    assert outcomes(pledge_import, "dry_run")[2][0] == "created"
