"""Corrections and retractions recorded through states/services.py change what the report
shows for earlier dates: the history as known now."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.states.models import StatusChange
from campaign.states.services import correct_status_change
from tests.factories import state
from tests.report.helpers import figures, opening, report_page, table
from tests.support.auth import make_user


def _act(iso3: str, act: str) -> StatusChange:
    return db.session.scalars(
        select(StatusChange).filter_by(state_id=state(iso3).id, act=act)
    ).one()


def _correct(iso3: str, act: str, **changes: object) -> None:
    coordinator = make_user("coordinator")
    correct_status_change(
        change=_act(iso3, act),
        source="Test: the depositary's corrigendum",
        recorded_by=coordinator,
        **changes,  # type: ignore[arg-type]
    )
    db.session.commit()


def test_a_retraction_takes_the_act_out_of_every_earlier_report(client: FlaskClient) -> None:
    before = report_page(client, "as_at=1999-12-31")
    assert figures(before)["parties"] == 12
    assert "MEX" in table(before, "parties")
    _correct("MEX", "ratification", retract=True)
    after = report_page(client, "as_at=1999-12-31")
    assert figures(after)["parties"] == 11
    assert "MEX" not in table(after, "parties")
    assert "MEX" in table(after, "signatories")  # its signature of 1991 stands
    assert "by 11 States, namely," in opening(after)
    assert "MEX" not in table(report_page(client, "as_at=1999-12-31&since=1999-01-01"), "changes")
    assert figures(report_page(client, ""))["parties"] == 59


def test_a_corrected_date_moves_the_act_in_every_report(client: FlaskClient) -> None:
    _correct("EGY", "accession", effective_on=dt.date(2001, 1, 1))
    page = report_page(client, "as_at=1993-12-31")
    assert opening(page).startswith(
        "As at 31 December 1993, the Convention had been ratified or acceded to by 1 State, "
        "namely, Morocco. In addition, 3 States,"
    )
    assert "EGY" not in table(page, "signatories")  # it acceded: it never signed
    moved = report_page(client, "as_at=2001-01-01&since=2000-12-31")
    assert table(moved, "changes") == ["EGY"]
    assert "EGY" in table(moved, "parties")


def test_a_corrected_method_is_what_the_parties_table_says(client: FlaskClient) -> None:
    page = report_page(client, "as_at=1993-12-31")
    assert figures(page)["by_ratification"] == 1
    _correct("MAR", "ratification", method="accession")
    page = report_page(client, "as_at=1993-12-31")
    assert figures(page)["by_ratification"] == 0
    assert figures(page)["by_accession"] == 2
    row = page[page.index('<tr data-iso3="MAR"') :]
    assert row[: row.index("</tr>")].endswith("<td>Accession</td>")
