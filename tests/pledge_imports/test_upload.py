"""Uploads: what a file must be (UTF-8 CSV with a header and rows, within the limits), and who
may upload. Every bad input is a clear 4xx that stores nothing: no import, no file, no pledge."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.pledges.import_models import PledgeImport
from tests.pledge_imports.helpers import (
    LIST,
    PLAIN,
    import_count,
    pledge_count,
    stored_files,
    upload,
    uploaded,
)
from tests.support.auth import log_in, make_user

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x00"
WIDE = ("Email," + ",".join(f"c{n}" for n in range(100_000)) + "\n").encode()
LONG_CELL = b'Name,Email\n"' + b"x" * (csv.field_size_limit() + 10) + b'",a@example.org\n'

BAD_FILES = {
    "empty": (b"", "The file is empty."),
    "blank lines only": (b"\n\r\n  \n", "The file is empty."),
    "only a header": (b"Name,Email\n", "The file has a header but no rows."),
    "png": (PNG, "not a CSV file"),
    "pdf": (PDF, "not a CSV file"),
    "utf-16": (PLAIN.encode("utf-16"), "UTF-16"),
    "latin-1": ("Name,Email\nJosé,jose@example.org\n".encode("latin-1"), "not UTF-8"),
    "100,000 columns": (WIDE, "at most 200 are read"),
    "cell over the csv field limit": (LONG_CELL, "longer than the limit"),
    "unclosed quote": (
        b'Name,Email\n"Amina,amina@example.org\nRafael,r@example.org\n',
        "quotes do not",
    ),
    "text after a quote": (b'Name,Email\n"Amina"x,amina@example.org\n', "quotes do not match"),
    "a row over 1 MB": (b"Name,Email\n" + b"a" * (1024 * 1024 + 5) + b"\n", "longer than 1 MB"),
}


@pytest.mark.parametrize("content,message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_and_nothing_is_kept(
    coordinator: FlaskClient, app: Flask, content: bytes, message: str
) -> None:
    app.config["PLEDGE_IMPORT_MAX_BYTES"] = 4 * 1024 * 1024
    try:
        files = stored_files()
        response = upload(coordinator, content)
    finally:
        app.config["PLEDGE_IMPORT_MAX_BYTES"] = 1024 * 1024
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert import_count() == 0 and pledge_count() == 0
    assert stored_files() == files


def test_a_file_over_the_limit_is_refused_before_it_is_read(coordinator: FlaskClient) -> None:
    files = stored_files()
    response = upload(coordinator, b"Name,Email\n" + b"a,b@example.org\n" * 80_000)  # 1.2 MB
    assert response.status_code == 413
    assert "larger than 1.0 MB" in response.get_data(as_text=True)
    assert import_count() == 0 and stored_files() == files


def test_a_file_just_over_the_limit_within_the_form_allowance(coordinator: FlaskClient) -> None:
    body = b"Name,Email\n" + b"a" * (1024 * 1024)
    response = upload(coordinator, body)
    assert response.status_code == 400
    assert "larger than 1.0 MB" in response.get_data(as_text=True)
    assert import_count() == 0


def test_no_file_chosen(coordinator: FlaskClient) -> None:
    from tests.support.auth import csrf_from

    response = coordinator.post(LIST, data={"csrf_token": csrf_from(coordinator, LIST)})
    assert response.status_code == 400
    assert "Choose a CSV file." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "content,delimiter",
    [
        (PLAIN, ","),
        (PLAIN.replace(",", ";"), ";"),
        (PLAIN.replace(",", "\t"), "\t"),
        ("\ufeff" + PLAIN, ","),
        ("Email\namina@example.org\n", ","),
    ],
    ids=["comma", "semicolon", "tab", "bom", "one column"],
)
def test_a_good_file_is_stored_under_a_name_of_ours(
    coordinator: FlaskClient, content: str, delimiter: str
) -> None:
    pledge_import = uploaded(coordinator, content)
    assert pledge_import.delimiter == delimiter
    assert pledge_import.total_rows == content.count("\n") - 1
    assert pledge_import.header[0] in ("First Name", "Email")
    assert pledge_import.original_name == "signatures.csv"
    assert pledge_import.stored_name != "signatures.csv"
    assert any(path.name == pledge_import.stored_name for path in stored_files())
    page = coordinator.get(f"{LIST}/{pledge_import.id}/mapping").get_data(as_text=True)
    assert "amina@example.org" in page  # the first rows are shown


def test_the_uploaded_name_is_never_a_path(coordinator: FlaskClient) -> None:
    response = upload(coordinator, PLAIN.encode(), name="../../etc/passwd\u202e.csv")
    assert response.status_code == 302
    pledge_import = db.session.scalars(db.select(PledgeImport)).one()
    assert "/" not in pledge_import.stored_name and "\u202e" not in pledge_import.original_name


def test_missing_csrf_is_refused(coordinator: FlaskClient) -> None:
    response = coordinator.post(
        LIST,
        data={"file": (io.BytesIO(PLAIN.encode()), "s.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert import_count() == 0


@pytest.mark.parametrize(
    "path", [LIST, f"{LIST}/1", f"{LIST}/1/mapping"], ids=["list", "import", "mapping"]
)
def test_partners_and_strangers_are_kept_out(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 302  # to the login page
    log_in(client, make_user("partner"))
    assert client.get(path).status_code == 403
    response = client.post(path, data={"file": (io.BytesIO(PLAIN.encode()), "s.csv")})
    assert response.status_code in (400, 403, 405)
    assert import_count() == 0


@pytest.mark.parametrize("import_id", ["999999", str(2**63 - 1), str(2**80), "-1", "x"])
def test_an_unknown_or_overflowing_import_id_is_a_404(
    coordinator: FlaskClient, import_id: str
) -> None:
    for path in (f"{LIST}/{import_id}", f"{LIST}/{import_id}/mapping"):
        assert coordinator.get(path).status_code == 404
    assert coordinator.post(f"{LIST}/{import_id}/discard").status_code in (400, 404)
