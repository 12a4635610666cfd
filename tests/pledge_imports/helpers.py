"""Helpers for the pledge import tests: uploading through the back office, mapping, and
running the job's function in this process (the worker tests run the real worker)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from flask import current_app
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from campaign.extensions import db
from campaign.pledges.import_models import PledgeImport, PledgeImportNote
from campaign.pledges.models import Pledge
from tests.support.auth import csrf_from
from worker.imports import pledge_import as pledge_import_job

LIST = "/admin/pledges/imports"
PLAIN = (
    "First Name,Last Name,Email,Country,Message,Public\n"
    "Amina,Yusuf,amina@example.org,MEX,For my sister,yes\n"
    "Rafael,Ortega,rafael@example.org,Philippines,,no\n"
)


def upload(client: FlaskClient, content: bytes, name: str = "signatures.csv") -> TestResponse:
    token = csrf_from(client, LIST)
    return client.post(
        LIST,
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def uploaded(client: FlaskClient, content: bytes | str) -> PledgeImport:
    raw = content.encode() if isinstance(content, str) else content
    response = upload(client, raw)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    import_id = int(re.search(r"/imports/(\d+)/mapping", response.location).group(1))
    return db.session.get(PledgeImport, import_id, populate_existing=True)


def map_columns(client: FlaskClient, pledge_import: PledgeImport, **changes: str) -> TestResponse:
    """Post the mapping page as the coordinator saw it (the guessed mapping), with *changes*."""
    page = client.get(f"{LIST}/{pledge_import.id}/mapping").get_data(as_text=True)
    data: dict[str, str] = {
        "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    }
    for select_html in re.findall(r"<select[^>]*>.*?</select>", page, flags=re.S):
        name = re.search(r'name="([^"]+)"', select_html).group(1)
        chosen = re.search(
            r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html
        )
        data[name] = next((g for g in chosen.groups() if g is not None), "") if chosen else ""
    data.update(changes)
    return client.post(f"{LIST}/{pledge_import.id}/mapping", data=data)


def run_job(import_id: int) -> str:
    """The job's own function, in this process and this test's transaction."""
    return str(pledge_import_job.run(import_id))


def dry_run(client: FlaskClient, content: str | bytes, **changes: str) -> PledgeImport:
    pledge_import = uploaded(client, content)
    import_id = pledge_import.id
    response = map_columns(client, pledge_import, **changes)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    run_job(import_id)
    return reload(import_id)


def reload(import_id: int) -> PledgeImport:
    found = db.session.get(PledgeImport, import_id, populate_existing=True)
    assert found is not None
    return found


def start_run(client: FlaskClient, pledge_import: PledgeImport, **data: Any) -> TestResponse:
    token = csrf_from(client, f"{LIST}/{pledge_import.id}")
    form = {"csrf_token": token, "locale": "en", "attest": "y", **data}
    return client.post(f"{LIST}/{pledge_import.id}/run", data=form)


def outcomes(pledge_import: PledgeImport, phase: str) -> dict[int, tuple[str, str]]:
    notes = db.session.scalars(
        select(PledgeImportNote).filter_by(import_id=pledge_import.id, phase=phase)
    )
    return {note.line: (note.outcome, note.reason) for note in notes}


def pledge_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Pledge)) or 0)


def import_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(PledgeImport)) or 0)


def stored_files() -> list[Path]:
    path = Path(current_app.config["PLEDGE_IMPORT_DIR"])
    return sorted(path.glob("*")) if path.exists() else []
