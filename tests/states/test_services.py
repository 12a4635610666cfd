"""Recording status changes and corrections: history appended, state moved, alerts after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask

from campaign.core.jobs import STATUS_CHANGE_ALERTS
from campaign.extensions import db
from campaign.states.models import StatusChange
from campaign.states.services import (
    Act,
    InvalidStatusChange,
    correct_status_change,
    record_status_change,
)
from tests.factories import state
from tests.support.rows import count

SOURCE = "UN Treaty Collection, depositary notification C.N.123.2026.TREATIES-IV.13"


def test_signature_moves_state_and_queues_one_alert_after_commit(
    app: Flask, published_jobs: list[Any]
) -> None:
    brazil = state("BRA")
    change = record_status_change(
        state=brazil,
        act=Act("signature", dt.date(2026, 9, 1), SOURCE),
        recorded_by=None,
        via="sync",
    )
    assert change is not None
    assert (brazil.status, brazil.signed_on) == ("signatory", dt.date(2026, 9, 1))
    assert (change.from_status, change.to_status) == ("none", "signatory")
    assert published_jobs == []
    db.session.commit()
    assert published_jobs == [(STATUS_CHANGE_ALERTS, (change.id,))]


def test_rolled_back_change_queues_nothing(app: Flask, published_jobs: list[Any]) -> None:
    before = count(StatusChange)
    record_status_change(
        state=state("BRA"),
        act=Act("signature", dt.date(2026, 9, 1), SOURCE),
        recorded_by=None,
        via="sync",
    )
    db.session.rollback()
    assert published_jobs == []
    assert count(StatusChange) == before
    assert state("BRA").status == "none"


def test_recording_the_same_act_twice_is_a_no_op(app: Flask, published_jobs: list[Any]) -> None:
    act = Act("signature", dt.date(2026, 9, 1), SOURCE)
    assert record_status_change(state=state("BRA"), act=act, recorded_by=None, via="sync")
    db.session.commit()
    size = count(StatusChange)
    assert record_status_change(state=state("BRA"), act=act, recorded_by=None, via="sync") is None
    db.session.commit()
    assert count(StatusChange) == size
    assert len(published_jobs) == 1


@pytest.mark.parametrize(
    ("iso3", "act", "message"),
    [
        ("ZWE", "accession", "already party"),
        ("ARM", "signature", "already signatory"),
        ("BRA", "ratification", "no signature"),
        ("BRA", "withdrawal", "Unknown act"),
    ],
)
def test_impossible_changes_are_refused(app: Flask, iso3: str, act: str, message: str) -> None:
    before = count(StatusChange)
    with pytest.raises(InvalidStatusChange, match=message):
        record_status_change(
            state=state(iso3),
            act=Act(act, dt.date(2026, 1, 2), SOURCE),
            recorded_by=None,
            via="sync",
        )
    assert count(StatusChange) == before


@pytest.mark.parametrize("source", ["", "   ", "\n"])
def test_a_source_is_required(app: Flask, source: str) -> None:
    with pytest.raises(InvalidStatusChange, match="source"):
        record_status_change(
            state=state("BRA"),
            act=Act("signature", dt.date(2026, 1, 2), source),
            recorded_by=None,
            via="sync",
        )


def test_date_correction_keeps_history(app: Flask) -> None:
    zimbabwe = state("ZWE")
    [accession] = zimbabwe.changes
    correction = correct_status_change(
        change=accession,
        source=SOURCE,
        recorded_by=None,
        via="sync",
        effective_on=dt.date(2024, 11, 6),
        note="Deposit date misread",
    )
    db.session.commit()
    db.session.expire_all()
    zimbabwe = state("ZWE")
    assert zimbabwe.consented_on == dt.date(2024, 11, 6)
    assert [c.act for c in zimbabwe.changes] == ["accession", "correction"]
    assert zimbabwe.changes[0].effective_on == dt.date(2024, 11, 5)  # never edited
    assert correction.corrects_id == accession.id


def test_method_correction_and_correction_of_a_correction(app: Flask) -> None:
    mexico = state("MEX")
    ratification = next(c for c in mexico.changes if c.act == "ratification")
    first = correct_status_change(
        change=ratification,
        source=SOURCE,
        recorded_by=None,
        via="sync",
        effective_on=dt.date(1999, 3, 9),
    )
    second = correct_status_change(
        change=first, source=SOURCE, recorded_by=None, via="sync", effective_on=dt.date(1999, 3, 10)
    )
    assert second.corrects_id == ratification.id
    assert mexico.consented_on == dt.date(1999, 3, 10)
    with pytest.raises(InvalidStatusChange, match="changes nothing"):
        correct_status_change(
            change=ratification,
            source=SOURCE,
            recorded_by=None,
            via="sync",
            effective_on=dt.date(1999, 3, 10),
        )


def test_retraction_undoes_a_mistaken_entry(app: Flask) -> None:
    brazil = state("BRA")
    change = record_status_change(
        state=brazil,
        act=Act("signature", dt.date(2026, 9, 1), SOURCE),
        recorded_by=None,
        via="sync",
        alert=False,
    )
    assert change is not None
    retraction = correct_status_change(
        change=change, source=SOURCE, recorded_by=None, via="sync", retract=True
    )
    assert brazil.status == "none" and brazil.signed_on is None
    assert (retraction.from_status, retraction.to_status) == ("signatory", "none")
    assert len(brazil.changes) == 2


def test_retracting_the_signature_of_a_ratifying_state_is_refused(app: Flask) -> None:
    mexico = state("MEX")
    signature = next(c for c in mexico.changes if c.act == "signature")
    with pytest.raises(InvalidStatusChange, match="without a signature"):
        correct_status_change(
            change=signature, source=SOURCE, recorded_by=None, via="sync", retract=True
        )


def test_refused_correction_leaves_nothing_pending(app: Flask) -> None:
    mexico = state("MEX")
    signature = next(c for c in mexico.changes if c.act == "signature")
    before = (count(StatusChange), len(mexico.changes), mexico.status, mexico.signed_on)
    with pytest.raises(InvalidStatusChange):
        correct_status_change(
            change=signature, source=SOURCE, recorded_by=None, via="sync", retract=True
        )
    db.session.commit()
    assert (count(StatusChange), len(mexico.changes), mexico.status, mexico.signed_on) == before


def test_a_retracted_entry_can_be_restored_by_a_further_correction(app: Flask) -> None:
    zimbabwe = state("ZWE")
    [accession] = zimbabwe.changes
    correct_status_change(
        change=accession, source=SOURCE, recorded_by=None, via="sync", retract=True
    )
    assert zimbabwe.status == "none"
    with pytest.raises(InvalidStatusChange, match="changes nothing"):
        correct_status_change(
            change=accession, source=SOURCE, recorded_by=None, via="sync", retract=True
        )
    correct_status_change(change=accession, source=SOURCE, recorded_by=None, via="sync")
    assert (zimbabwe.status, zimbabwe.consented_on) == ("party", dt.date(2024, 11, 5))
    assert [c.act for c in zimbabwe.changes] == ["accession", "correction", "correction"]
