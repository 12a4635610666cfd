"""The pledges back office: CSV export, paper counts, reconciliation."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.core.csv import safe_cell
from campaign.db import utcnow
from campaign.extensions import db
from campaign.pledges import counters, export
from campaign.pledges.models import Pledge, PledgeCounter
from tests.admin import audit_events
from tests.factories import PledgeFactory
from tests.pledges.helpers import counted, outbox, pledges, signed
from tests.support.auth import csrf_from


def _read_csv(client: FlaskClient) -> list[list[str]]:
    response = client.get("/admin/pledges/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def _raw_pledge(name: str, **fields: Any) -> Pledge:
    """A confirmed pledge inserted straight into the table, as no form would let it through."""
    email = f"raw{len(pledges())}@example.org"
    pledge = PledgeFactory(
        name=name, email=email, email_canonical=email, confirmed=True, **{"country": None, **fields}
    )
    db.session.commit()
    return pledge


FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+1+1", "@SUM(A1:A2)", "-2+3", "\tTab"]


def test_export_has_confirmed_pledges_only_with_formulas_defused(coordinator: FlaskClient) -> None:
    for name in FORMULAS:
        _raw_pledge(name, message="=cmd|' /C calc'!A0")
    signed(name="Not Confirmed", email="unconfirmed@example.org", confirmed=False)
    _raw_pledge("Erased Person", erased_at=utcnow())
    signed(name="Amina أمينة 🙂", email="amina@example.org")
    rows = _read_csv(coordinator)
    assert rows[0] == export.HEADER
    names = [row[export.HEADER.index("name")] for row in rows[1:]]
    assert names == ["'" + name for name in FORMULAS] + ["Amina أمينة 🙂"]
    messages = [row[export.HEADER.index("message")] for row in rows[1 : len(FORMULAS) + 1]]
    assert messages == ["'=cmd|' /C calc'!A0"] * len(FORMULAS)
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Amina = friend", "Amina = friend"),
        (None, ""),
        (True, "True"),
        (42, "42"),
    ],
)
def test_safe_cell(value: Any, cell: str) -> None:
    assert safe_cell(value) == cell


def test_export_is_audited_and_mails_no_one(coordinator: FlaskClient) -> None:
    signed(email="a@example.org")
    mails = len(outbox())
    _read_csv(coordinator)
    [event] = audit_events("pledges.exported")
    assert event.actor_label == "coordinator@example.org"
    assert len(outbox()) == mails


def _offline(client: FlaskClient, **data: str) -> Any:
    token = csrf_from(client, "/admin/pledges/counts")
    return client.post("/admin/pledges/counts", data={"csrf_token": token, **data})


def test_paper_pledges_are_recorded_beside_the_online_count(coordinator: FlaskClient) -> None:
    signed(email="a@example.org")
    assert _offline(coordinator, state="MEX", count="250").status_code == 302
    assert _offline(coordinator, state="MEX", count="300").status_code == 302
    assert counters.for_state("MEX") == (1, 0, 300)
    page = coordinator.get("/admin/pledges/counts").get_data(as_text=True)
    assert '<th scope="row">Mexico</th><td>1</td><td>300</td>' in page
    assert [e.after for e in audit_events("pledges.offline_count")] == [
        {"offline": 250},
        {"offline": 300},
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"state": "MEX", "count": "-1"},
        {"state": "MEX", "count": "abc"},
        {"state": "MEX", "count": "1.5"},
        {"state": "MEX", "count": ""},
        {"state": "MEX", "count": "10000001"},
        {"state": "ZZZ", "count": "10"},
        {"state": "---", "count": "10"},
        {"state": "", "count": "10"},
        {"state": "MEX", "count": "10", "csrf_token": ""},
    ],
)
def test_bad_paper_counts_are_refused(coordinator: FlaskClient, data: dict[str, str]) -> None:
    response = _offline(coordinator, **data)
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PledgeCounter)) == 0
    assert audit_events("pledges.offline_count") == []


def test_reconcile_button_fixes_drift(coordinator: FlaskClient) -> None:
    signed(email="a@example.org")
    counter = db.session.get(PledgeCounter, ("MEX", "individual"))
    assert counter is not None
    counter.online = 9
    db.session.commit()
    token = csrf_from(coordinator, "/admin/pledges/counts")
    response = coordinator.post("/admin/pledges/reconcile", data={"csrf_token": token})
    assert response.status_code == 302
    assert counted("MEX") == 1
    assert "Counters reconciled: 1 fixed." in coordinator.get("/admin/pledges/counts").get_data(
        as_text=True
    )
