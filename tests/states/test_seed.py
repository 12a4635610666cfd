"""The seed: the registry as the reference data has it, and a second run changing nothing."""

from __future__ import annotations

import csv
import datetime as dt

from flask import Flask
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.organisations.models import SteeringMembership
from campaign.states.models import State, StatusChange
from campaign.states.queries import registry_stats
from campaign.states.seed import DATA_DIR, STEERING_COMMITTEE


def test_counts_after_seed(app: Flask) -> None:
    stats = registry_stats()
    assert stats.total == 193
    assert stats.parties == 60
    assert stats.by_ratification == 29
    assert stats.by_accession == 31
    assert stats.signatories == 11
    assert stats.no_action == 122
    assert stats.ever_signed == 40


def test_steering_committee_seeded(app: Flask) -> None:
    names = set(
        db.session.scalars(select(SteeringMembership).join(SteeringMembership.organisation))
        .unique()
        .all()
    )
    assert {m.organisation.name for m in names} == {name for name, _ in STEERING_COMMITTEE}
    assert len(names) == 13


def test_second_seed_changes_nothing(app: Flask) -> None:
    def snapshot() -> tuple[int, int, int, list[tuple[str, str]]]:
        return (
            db.session.scalar(select(func.count()).select_from(State)) or 0,
            db.session.scalar(select(func.count()).select_from(StatusChange)) or 0,
            db.session.scalar(select(func.count()).select_from(SteeringMembership)) or 0,
            [(s.iso3, s.status) for s in db.session.scalars(select(State).order_by(State.iso3))],
        )

    before = snapshot()
    result = app.test_cli_runner().invoke(args=["campaign", "seed"])
    assert result.exit_code == 0, result.output
    assert "0 states added, 0 status changes recorded, 0 steering-committee members added" in (
        result.output
    )
    db.session.expire_all()
    assert snapshot() == before


def test_every_party_has_its_deposit_dated_change(app: Flask) -> None:
    with (DATA_DIR / "mwc_status.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["status"] == "party"]
    assert len(rows) == 60
    for row in rows:
        state = db.session.scalars(select(State).filter_by(iso3=row["iso3"])).one()
        deposit = dt.date.fromisoformat(row["deposit_date"])
        consent = [c for c in state.changes if c.to_status == "party"]
        assert [(c.act, c.effective_on) for c in consent] == [(row["method"], deposit)], row["iso3"]
        assert state.consented_on == deposit


def test_signature_then_ratification_in_order(app: Flask) -> None:
    mexico = db.session.scalars(select(State).filter_by(iso3="MEX")).one()
    assert [c.act for c in mexico.changes] == ["signature", "ratification"]
    assert [c.from_status for c in mexico.changes] == ["none", "signatory"]
    assert all(c.source and c.recorded_via == "seed" for c in mexico.changes)


def test_zimbabwe_party_by_accession(app: Flask) -> None:
    zimbabwe = db.session.scalars(select(State).filter_by(iso3="ZWE")).one()
    assert zimbabwe.status == "party"
    assert zimbabwe.consent_method == "accession"
    assert zimbabwe.consented_on == dt.date(2024, 11, 5)
    assert zimbabwe.signed_on is None
    assert [(c.act, c.from_status, c.effective_on) for c in zimbabwe.changes] == [
        ("accession", "none", dt.date(2024, 11, 5))
    ]


def test_state_with_no_action_has_no_history(app: Flask) -> None:
    brazil = db.session.scalars(select(State).filter_by(iso3="BRA")).one()
    assert brazil.status == "none"
    assert brazil.changes == []


def test_iso2_patterns_in_the_data_become_iso_codes(app: Flask) -> None:
    codes = dict(db.session.execute(select(State.iso3, State.iso2)).all())
    assert codes["GRC"] == "GR"
    assert codes["GBR"] == "GB"
    assert all(len(code) == 2 and code.isalpha() and code.isupper() for code in codes.values())
