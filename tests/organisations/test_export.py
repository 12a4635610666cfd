"""The CSV exports of organisations and partnerships, formula characters escaped."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

from campaign.extensions import db
from tests.factories import OrganisationFactory, PartnershipFactory, state


@pytest.mark.parametrize("name", ["organisations", "partnerships"])
def test_exports_are_csv_with_formula_characters_escaped(
    coordinator: FlaskClient, name: str
) -> None:
    organisation = OrganisationFactory(name='=HYPERLINK("http://evil")')
    mexico = state("MEX")
    mexico.notes = "@SUM(1+1)"
    PartnershipFactory(organisation=organisation, state=mexico, role="lead")
    db.session.commit()
    response = coordinator.get(f"/admin/export/{name}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://evil")' in cells
