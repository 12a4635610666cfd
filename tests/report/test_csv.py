"""The CSV: a row per state as /api/v1/states?as_at lists them, formula-safe, no BOM (as the
project's other exports)."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from sqlalchemy import update

from campaign.extensions import db
from campaign.report.export import HEADER
from campaign.states.models import State


def _rows(client: FlaskClient, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = response.data
    assert not body.startswith(b"\xef\xbb\xbf")  # no BOM, like campaign/core/csv.py's others
    reader = csv.reader(io.StringIO(body.decode("utf-8")))
    header = next(reader)
    assert header == HEADER
    return [dict(zip(header, row, strict=True)) for row in reader]


def test_a_row_per_state_as_the_api_lists_them(client: FlaskClient) -> None:
    response = client.get("/report.csv?as_at=1999-12-31&since=1998-12-31")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="mwc-status-as-at-1999-12-31-en.csv"'
    )
    rows = _rows(client, "/report.csv?as_at=1999-12-31&since=1998-12-31")
    api = client.get("/api/v1/states?as_at=1999-12-31").get_json()
    assert [row["iso3"] for row in rows] == [state["iso3"] for state in api]
    for row, state in zip(rows, api, strict=True):
        assert row["status"] == state["status"]
        assert row["signed_on"] == (state["signed_on"] or "")
        assert row["consented_on"] == (state["consented_on"] or "")
        assert row["method"] == (state["method"] or "")
        assert (row["as_at"], row["since"]) == ("1999-12-31", "1998-12-31")
    assert sum(row["status"] == "party" for row in rows) == 12
    changed = {row["iso3"] for row in rows if row["changed_since"] == "yes"}
    assert changed == {"AZE", "MEX", "SEN", "TUR"}  # 1999: three consents, one signature


def test_names_in_the_language_of_the_address(client: FlaskClient) -> None:
    rows = {row["iso3"]: row for row in _rows(client, "/fr/report.csv?as_at=1993-12-31")}
    assert (rows["EGY"]["name"], rows["EGY"]["local_name"]) == ("Egypt", "Égypte")
    assert rows["EGY"]["since"] == "1992-12-31"  # the default period: the year before


def test_cells_are_formula_safe(client: FlaskClient) -> None:
    db.session.execute(update(State).where(State.iso3 == "EGY").values(name="=HYPERLINK(1)"))
    db.session.commit()
    rows = {row["iso3"]: row for row in _rows(client, "/report.csv?as_at=1993-12-31")}
    assert rows["EGY"]["name"] == "'=HYPERLINK(1)"
    assert rows["EGY"]["local_name"] == "'=HYPERLINK(1)"
