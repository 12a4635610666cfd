"""The dry run: every row checked by the pledge form, deduplicated by canonical address, and
reported row by row with the reason; nothing is written to pledges."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.pledges.import_models import PledgeImportAddress
from tests.factories import PledgeFactory
from tests.pledge_imports.helpers import LIST, dry_run, outcomes, pledge_count

HEADER = "First Name,Last Name,Email,Country,Message,Public,Updates\n"
ROWS = [
    "Amina,Yusuf,amina@example.org,MEX,For my sister,yes,yes",  # 2 created
    "Rafael,Ortega,rafael@example.org,Philippines,,no,",  # 3 created (English name)
    "Li,Wei,AMINA+tag@Example.org,CN,,,",  # 4 merged: same canonical address as row 2
    "=HYPERLINK(1),X,formula@example.org,MEX,,,",  # 5 refused: formula
    "<script>alert(1)</script>,,script@example.org,MEX,,,",  # 6 refused: markup
    "Eve\u202egnp.exe,,rtl@example.org,MEX,,,",  # 7 refused: RTL override
    "\U0001d49cmina \U0001f30d,,astral@example.org,MEX,,,",  # 8 created: astral letters
    "Bad,Mail,not-an-address,MEX,,,",  # 9 refused: email
    "Nowhere,Man,nowhere@example.org,Atlantis,,,",  # 10 refused: country
    '"Line\r\nBreak",,crlf@example.org,MEX,,,',  # 11 refused: line break in a name
    "Held,Before,held@example.org,,,,",  # 12 merged: pledged before the import
    "Maybe,Public,maybe@example.org,FR,,perhaps,",  # 13 refused: not yes/no
    "Amina,Yusuf,amina@example.org,MEX,For my sister,yes,yes",  # 14 merged: duplicate row
    "+44 Plus,,plus@example.org,GB,,,",  # 15 refused: formula
    "Too,Many,many@example.org,MEX,,,,extra",  # 16 refused: more cells than the header
    "Message,Formula,msgformula@example.org,MEX,=1+2,,",  # 17 created (kept; exports quote it)
]
FILE = HEADER + "\n".join(ROWS) + "\n"


def test_each_row_is_reported_with_its_reason_and_nothing_is_written(
    coordinator: FlaskClient,
) -> None:
    PledgeFactory(email="held@example.org", confirmed=True)
    before = pledge_count()
    pledge_import = dry_run(coordinator, FILE)
    assert pledge_import.state == "checked"
    assert (pledge_import.dry_created, pledge_import.dry_merged, pledge_import.dry_refused) == (
        4,
        3,
        9,
    )
    assert pledge_import.processed == pledge_import.total_rows == len(ROWS)
    notes = outcomes(pledge_import, "dry_run")
    assert {line for line, (outcome, _) in notes.items() if outcome == "created"} == {2, 3, 8, 17}
    assert notes[4] == ("merged", "The same address as row 2 of this file.")
    assert notes[14] == ("merged", "The same address as row 2 of this file.")
    assert notes[12] == ("merged", "Already pledged: nothing is changed.")
    assert "Please start with a letter or a digit." in notes[5][1]
    assert "Please do not use the characters < and >." in notes[6][1]
    assert "direction-control" in notes[7][1]
    assert "valid email address" in notes[9][1]
    assert notes[10] == ("refused", "Unknown country “Atlantis”.")
    assert "line breaks" in notes[11][1]
    assert "is not yes or no" in notes[13][1]
    assert "Please start with a letter or a digit." in notes[15][1]
    assert notes[16] == ("refused", "The row has more cells than the header.")
    assert pledge_count() == before  # nothing written to pledges
    seen = select(PledgeImportAddress).filter_by(import_id=pledge_import.id)
    assert db.session.scalars(seen).all() == []  # the dry run's scratch addresses are gone
    page = coordinator.get(f"{LIST}/{pledge_import.id}").get_data(as_text=True)
    assert "Unknown country “Atlantis”." in page
    assert 'value="16" max="16"' in page


def test_only_the_first_reasons_are_listed_and_the_rest_counted(
    coordinator: FlaskClient, app: object
) -> None:
    rows = "".join(f"Someone {n},not-an-address-{n},MEX\n" for n in range(30))
    flask_app = coordinator.application
    flask_app.config["PLEDGE_IMPORT_LISTED"] = 10
    flask_app.config["PLEDGE_IMPORT_BATCH_ROWS"] = 7
    try:
        pledge_import = dry_run(coordinator, "Name,Email,Country\n" + rows)
    finally:
        flask_app.config["PLEDGE_IMPORT_LISTED"] = 100
        flask_app.config["PLEDGE_IMPORT_BATCH_ROWS"] = 500
    assert pledge_import.dry_refused == 30
    assert sorted(outcomes(pledge_import, "dry_run")) == list(range(2, 12))
    page = coordinator.get(f"{LIST}/{pledge_import.id}").get_data(as_text=True)
    assert "… and 20 more rows." in page


def test_organisations_are_checked_by_the_organisation_form(coordinator: FlaskClient) -> None:
    content = (
        "Type,Organization Name,Organisation kind,Contact person,Email,Job Title,Statement,"
        "Website\n"
        "Organization,Kafa'a,ngo,Rana Haddad,rana@example.org,Director,We support it.,"
        "https://kafaa.example.org\n"
        "Individual,,,Omar,omar@example.org,,,\n"
        "Organization,Nameless,ngo,Rana,rana2@example.org,Director,,\n"
        "Household,X,ngo,Y,y@example.org,Z,W,\n"
    )
    pledge_import = dry_run(coordinator, content, name="3", country="")
    notes = outcomes(pledge_import, "dry_run")
    assert notes[2][0] == "created" and notes[3][0] == "created"
    assert "Please write a statement of support." in notes[4][1]
    assert notes[5] == ("refused", "The kind must be individual or organisation.")
