"""CSV import of organisations: a dry run, line-numbered rejections, all or nothing."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.organisations import importer
from campaign.organisations.models import Organisation, Partnership
from tests.support.auth import csrf_from, make_user
from tests.support.rows import count

HEADER = "name,kind,country,website,contact_name,contact_email,partner_states,partner_role\n"
GOOD = (
    HEADER + "Centro de Derechos del Migrante,ngo,MEX,https://cdm.example.org,Ana,ana@example.org,"
    "MEX;USA,lead\n" + "Migrant Forum Lanka,ngo,LKA,,,,LKA,\n"
)


def _counts() -> tuple[int, int]:
    return count(Organisation), count(Partnership)


def _post(client: FlaskClient, body: bytes, apply: bool) -> tuple[int, str]:
    token = csrf_from(client, "/admin/organisations/import")
    data: dict[str, object] = {"csrf_token": token, "file": (io.BytesIO(body), "orgs.csv")}
    if apply:
        data["apply"] = "y"
    response = client.post(
        "/admin/organisations/import", data=data, content_type="multipart/form-data"
    )
    return response.status_code, response.get_data(as_text=True)


def test_dry_run_shows_the_plan_and_writes_nothing(coordinator: FlaskClient) -> None:
    before = _counts()
    code, page = _post(coordinator, GOOD.encode(), apply=False)
    assert code == 200
    assert "Dry run" in page and "2 to create" in page and "3 partnership rows" in page
    assert _counts() == before


def test_import_creates_organisations_partnerships_and_audit(coordinator: FlaskClient) -> None:
    before = _counts()
    code, page = _post(coordinator, GOOD.encode(), apply=True)
    assert code == 200 and "Imported" in page
    assert _counts() == (before[0] + 2, before[1] + 3)
    centro = db.session.scalars(
        select(Organisation).filter_by(name="Centro de Derechos del Migrante")
    ).one()
    assert centro.country is not None and centro.country.iso3 == "MEX"
    assert sorted((p.state.iso3, p.role) for p in centro.partnerships) == [
        ("MEX", "lead"),
        ("USA", "lead"),
    ]
    events = db.session.scalars(select(AuditEvent).filter_by(entity_id=centro.id)).all()
    assert [e.action for e in events] == ["organisation.imported.create"]
    assert events[0].actor_label == "coordinator@example.org"
    # The same file again changes nothing.
    code, page = _post(coordinator, GOOD.encode(), apply=True)
    assert code == 200 and "2 unchanged" in page
    assert _counts() == (before[0] + 2, before[1] + 3)


BAD_FILES = [
    (b"", "The columns must be"),
    (b"organisation,type\nX,ngo\n", "missing: name, kind"),
    (b"name,kind,colour\nX,ngo,red\n", "unknown: colour"),
    (b"name,kind,name\nX,ngo,Y\n", "The columns must be"),
    ("name,kind\nCaf\xe9,ngo\n".encode("latin-1"), "not UTF-8"),
]
BAD_ROWS = [
    ("X,ngo,XXX,,,,,", "unknown country &#39;XXX&#39;"),
    ("X,ngo,,,,,MEX;ATL,", "unknown partner state(s): ATL"),
    ("migrant forum lanka,ngo,,,,,,", "duplicate of line 3"),
    ('"=HYPERLINK(""http://evil"")",ngo,,,,,,', "formula character"),
    ("+X,ngo,,,,,,", "formula character"),
    ('"X\r\nY",ngo,,,,,,', "control characters"),
    ("X\u202eY,ngo,,,,,,", "control characters"),
    ("<script>alert(1)</script>,ngo,,,,,,", "contains &lt; or &gt;"),
    ("X,bank,,,,,,", "kind must be one of"),
    ("X,ngo,,javascript:alert(1),,,,", "website must start"),
    ("X,ngo,,,,not-an-email,,", "contact_email is not valid"),
    ("X,ngo,,,,,,boss", "partner_role must be one of"),
    ("X,ngo,,,,,,,extra", "more cells than the header"),
    ("N" * 201 + ",ngo,,,,,,", "longer than 200"),
    (",ngo,,,,,,", "name is empty"),
]


@pytest.mark.parametrize(("body", "message"), BAD_FILES)
def test_bad_files_are_refused_whole(coordinator: FlaskClient, body: bytes, message: str) -> None:
    before = _counts()
    code, page = _post(coordinator, body, apply=True)
    assert code == 400
    assert message in page
    assert _counts() == before


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_bad_rows_are_reported_by_line_and_nothing_written(
    coordinator: FlaskClient, row: str, message: str
) -> None:
    before = _counts()
    body = GOOD + row + "\n"  # the good rows are lines 2 and 3, the bad one line 4
    code, page = _post(coordinator, body.encode(), apply=True)
    assert code == 400
    assert re.search("<td>4</td><td>[^<]*" + re.escape(message), page), page[-3000:]
    assert "nothing was imported" in page
    assert _counts() == before


def test_rtl_and_astral_names_are_accepted(coordinator: FlaskClient) -> None:
    body = HEADER + "جمعية حقوق المهاجرين 𝔘,ngo,EGY,,,,EGY,member\n"
    code, page = _post(coordinator, body.encode(), apply=True)
    assert code == 200 and "جمعية حقوق المهاجرين 𝔘" in page
    assert db.session.scalars(select(Organisation).filter_by(name="جمعية حقوق المهاجرين 𝔘")).one()


def test_ten_thousand_rows(app: Flask) -> None:
    lines = [HEADER] + [f"Organisation {n},ngo,,,,,MEX,member\n" for n in range(10_000)]
    report = importer.read_import("".join(lines).encode())
    assert report.errors == [] and report.count("create") == 10_000
    admin = make_user("admin")
    before = _counts()
    importer.apply_import(report, admin)
    db.session.commit()
    assert _counts() == (before[0] + 10_000, before[1] + 10_000)


def test_ten_thousand_rows_with_one_bad_line_import_nothing(app: Flask) -> None:
    lines = [HEADER] + [f"Organisation {n},ngo,,,,,MEX,member\n" for n in range(10_000)]
    lines[7_001] = "Organisation bad,ngo,,,,,NOPE,member\n"
    report = importer.read_import("".join(lines).encode())
    assert report.errors == [(7_002, "unknown partner state(s): NOPE")]
    with pytest.raises(importer.ImportRefused):
        importer.apply_import(report, make_user("admin"))


def test_missing_csrf_and_missing_file(coordinator: FlaskClient) -> None:
    before = _counts()
    response = coordinator.post(
        "/admin/organisations/import",
        data={"file": (io.BytesIO(GOOD.encode()), "orgs.csv"), "apply": "y"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    token = csrf_from(coordinator, "/admin/organisations/import")
    response = coordinator.post("/admin/organisations/import", data={"csrf_token": token})
    assert response.status_code == 400 and "Choose a CSV file" in response.get_data(as_text=True)
    assert _counts() == before
