"""The registry's CSV export: every member state, formula characters escaped."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from campaign.extensions import db
from tests.factories import state


def test_states_export_is_csv_with_formula_characters_escaped(coordinator: FlaskClient) -> None:
    state("MEX").notes = "@SUM(1+1)"
    db.session.commit()
    response = coordinator.get("/admin/export/states.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert "'@SUM(1+1)" in cells
    assert len(rows) == 194
