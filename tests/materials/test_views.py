"""The library through its pages, on the local filesystem: upload, versions, downloads and
their headers, the portal, and the table of bad uploads (nothing kept, no row, no file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.extensions import db
from tests.events.helpers import partner_of
from tests.factories import MaterialFactory, state
from tests.materials import samples
from tests.materials.helpers import files_in, rows, upload, versions
from tests.support.auth import log_in, make_user


@pytest.fixture
def library(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "materials"
    monkeypatch.setitem(app.config, "MATERIALS_DIR", str(directory))
    monkeypatch.setitem(app.config, "MATERIALS_STORAGE", "local")
    return directory


def test_upload_versions_and_download(
    app: Flask, coordinator: FlaskClient, library: Path, new_client
) -> None:
    response = upload(coordinator, samples.pdf("v1"), "Tract pour le 18 décembre.pdf")
    assert response.status_code == 302, response.get_data(as_text=True)
    [first] = versions()
    assert files_in(library) == [first.storage_key]
    page = response.headers["Location"]
    assert (
        upload(coordinator, samples.pdf("v2"), "tract-v2.pdf", path=page, note="Dates").status_code
        == 302
    )
    assert (
        upload(coordinator, samples.pdf("v2"), "again.pdf", path=page).status_code == 400
    )  # same file
    assert rows() == (1, 2) and len(files_in(library)) == 2

    public = new_client()
    listing = public.get("/materials?language=fr&kind=flyer").get_data(as_text=True)
    assert "Flyer for Migrants Day" in listing and "Version 1" in listing
    assert "Flyer for Migrants Day" not in public.get("/materials?language=es").get_data(
        as_text=True
    )
    latest = public.get(f"/materials/{first.material_id}/latest")
    assert latest.status_code == 302
    response = public.get(latest.headers["Location"])
    assert response.status_code == 200 and response.data == samples.pdf("v2")
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        "inline; filename=\"tract-v2.pdf\"; filename*=UTF-8''tract-v2.pdf"
    )
    assert (
        "max-age" in response.headers["Cache-Control"]
        and "public" in response.headers["Cache-Control"]
    )
    etag = response.headers["ETag"]
    assert (
        public.get(latest.headers["Location"], headers={"If-None-Match": etag}).status_code == 304
    )
    original = public.get(f"/materials/files/{first.id}")
    assert (
        "filename*=UTF-8''Tract%20pour%20le%2018%20d%C3%A9cembre.pdf"
        in original.headers["Content-Disposition"]
    )
    assert 'filename="Tract_pour_le_18_decembre.pdf"' in original.headers["Content-Disposition"]
    assert public.head(f"/materials/files/{first.id}").status_code == 200
    db.session.expire_all()
    assert [v.downloads for v in versions()] == [1, 1]  # a 304 and a HEAD count nothing


def test_office_documents_are_attachments(
    app: Flask, coordinator: FlaskClient, library: Path
) -> None:
    assert (
        upload(coordinator, samples.docx(), "Lettre.docx", declared="text/plain").status_code == 302
    )
    [version] = versions()
    response = coordinator.get(f"/materials/files/{version.id}")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Lettre.docx"')
    assert response.mimetype.endswith("wordprocessingml.document")


BAD_UPLOADS = [
    (samples.pdf(), "flyer.png", {}, "ends in .png"),
    (samples.HTML, "flyer.pdf", {}, "not a PDF"),
    (samples.SVG, "logo.svg", {}, "SVG"),
    (samples.docm(), "macro.docx", {}, "macros"),
    (b"", "empty.pdf", {}, "empty"),
    (samples.pdf(), "../../../etc/cron.d/x.pdf", {}, "path"),
    (samples.pdf(), "flyer\x00.pdf", {}, "control"),
    (samples.pdf(), "flyer\u202efdp.exe", {}, "control"),
    (samples.pdf() + b"0" * (256 * 1024), "big.pdf", {}, "larger than"),
    (samples.pdf(), "flyer.pdf", {"title": "Flyer\r\nBcc: x"}, "line breaks"),
    (samples.pdf(), "flyer.pdf", {"title": "<script>x</script>"}, "&lt; and &gt;"),
    (samples.pdf(), "flyer.pdf", {"title": "=1+1"}, "letter or a digit"),
    (samples.pdf(), "flyer.pdf", {"title": "Flyer \u202eevil"}, "direction-control"),
    (samples.pdf(), "flyer.pdf", {"language": "de"}, "Not a valid choice"),
    (samples.pdf(), "flyer.pdf", {"state": "ATL"}, "Not a valid choice"),
    (samples.pdf(), "flyer.pdf", {"state": "SEN", "region": "Africa"}, "not both"),
]


@pytest.mark.parametrize(("data", "name", "changes", "says"), BAD_UPLOADS)
def test_bad_uploads_keep_nothing(
    app: Flask,
    coordinator: FlaskClient,
    library: Path,
    data: bytes,
    name: str,
    changes: dict,
    says: str,
) -> None:
    response = upload(coordinator, data, name, **changes)
    assert response.status_code == 400
    assert says in response.get_data(as_text=True)
    assert rows() == (0, 0) and files_in(library) == []


def test_an_oversized_body_is_refused_before_it_is_read(
    app: Flask, coordinator: FlaskClient, library: Path
) -> None:
    response = upload(coordinator, samples.pdf() + b"0" * (2 * 1024 * 1024), "huge.pdf")
    assert response.status_code == 413
    assert rows() == (0, 0) and files_in(library) == []


def test_missing_csrf_and_a_double_submission(
    app: Flask, coordinator: FlaskClient, library: Path
) -> None:
    assert upload(coordinator, samples.pdf(), csrf=False).status_code == 400
    assert rows() == (0, 0) and files_in(library) == []
    assert upload(coordinator, samples.pdf()).status_code == 302
    assert upload(coordinator, samples.pdf()).status_code == 302
    assert rows() == (1, 1) and len(files_in(library)) == 1


def test_astral_and_rtl_titles(app: Flask, coordinator: FlaskClient, library: Path) -> None:
    title = "ملخص الاتفاقية 😀 𝕄"
    assert (
        upload(coordinator, samples.png(), "ملخص.png", title=title, language="ar").status_code
        == 302
    )
    assert title in coordinator.get("/materials?language=ar").get_data(as_text=True)


def test_only_coordinators_upload(app: Flask, client: FlaskClient, library: Path) -> None:
    log_in(client, make_user("partner"))
    assert client.get("/admin/materials/new").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/materials/files/99999999999999999999",
        "/materials/files/0",
        "/materials/99999999999999999999/latest",
        "/materials/5/latest",
    ],
)
def test_missing_ids(app: Flask, client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_a_row_without_its_file_is_a_404(app: Flask, client: FlaskClient, library: Path) -> None:
    from tests.factories import MaterialVersionFactory

    version = MaterialVersionFactory()
    db.session.commit()
    assert client.get(f"/materials/files/{version.id}").status_code == 404


def test_a_partner_in_senegal_finds_the_french_flyer(
    app: Flask, coordinator: FlaskClient, library: Path, new_client
) -> None:
    assert (
        upload(coordinator, samples.pdf("sn"), title="Flyer Sénégal", state="SEN").status_code
        == 302
    )
    assert (
        upload(
            coordinator, samples.pdf("af"), title="Guide Afrique", region="Africa", kind="guide"
        ).status_code
        == 302
    )
    assert (
        upload(coordinator, samples.pdf("fr"), title="Tract France", state="FRA").status_code == 302
    )
    assert upload(coordinator, samples.pdf("es"), title="Folleto", language="es").status_code == 302
    partner = new_client()
    partner_of(partner, "SEN")
    page = partner.get("/fr/partner/materials").get_data(as_text=True)
    assert "Flyer Sénégal" in page and "Guide Afrique" in page
    assert "Tract France" not in page and "Folleto" not in page
    assert "Folleto" in partner.get("/partner/materials?language=es").get_data(as_text=True)
    assert partner.get("/partner/materials?language=%00").status_code == 200
    MaterialFactory(title="Not uploaded yet", state=state("SEN"))
    db.session.commit()
    assert "Not uploaded yet" not in partner.get("/fr/partner/materials").get_data(as_text=True)
