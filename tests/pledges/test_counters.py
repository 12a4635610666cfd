"""Counters: reconciled to the exact count after drift; paper pledges kept beside online ones."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete, func, select, update

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.pledges import counters
from campaign.pledges.counters import Drift
from campaign.pledges.models import Pledge, PledgeCounter
from campaign.states.models import State
from tests.pledges.helpers import counted, signed, state
from worker.tasks import reconcile_pledge_counters


def _exact(iso3: str) -> int:
    """Confirmed, standing, not suspect individuals of *iso3*, counted the slow way."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Pledge)
            .join(State, Pledge.country_id == State.id)
            .where(
                State.iso3 == iso3,
                Pledge.kind == "individual",
                Pledge.confirmed_at.is_not(None),
                Pledge.withdrawn_at.is_(None),
                Pledge.is_suspect.is_(False),
            )
        )
        or 0
    )


def _pledges() -> dict[str, Pledge]:
    made = {
        "mex1": signed(email="mex1@example.org"),
        "mex2": signed(email="mex2@example.org"),
        "mex-unconfirmed": signed(email="mex3@example.org", confirmed=False),
        "phl": signed(email="phl@example.org", country=state("PHL")),
        "none": signed(email="none@example.org", country=None),
    }
    assert (counted("MEX"), counted("PHL"), counted("---")) == (2, 1, 1)
    return made


def _drift(made: dict[str, Pledge]) -> None:
    """A counter set wrong, a counter lost, one of its pledges' flags flipped, a phantom flag."""
    db.session.execute(
        update(PledgeCounter).filter_by(scope="MEX", kind="individual").values(online=40)
    )
    db.session.execute(delete(PledgeCounter).filter_by(scope="---"))
    db.session.execute(update(Pledge).filter_by(id=made["phl"].id).values(is_counted=False))
    db.session.execute(
        update(Pledge).filter_by(id=made["mex-unconfirmed"].id).values(is_counted=True)
    )
    db.session.add(PledgeCounter(scope="FRA", kind="individual", online=7))
    db.session.commit()


def test_reconcile_fixes_drift_to_the_exact_count_and_reports_it(app: Flask) -> None:
    made = _pledges()
    _drift(made)
    drift = counters.reconcile()
    db.session.commit()
    assert sorted(drift, key=lambda d: d.scope) == [
        Drift("---", "individual", 0, 1),
        Drift("FRA", "individual", 7, 0),
        Drift("MEX", "individual", 40, 2),
    ]
    for iso3 in ("MEX", "PHL", "FRA"):
        assert counted(iso3) == _exact(iso3)
    assert counted("---") == 1
    db.session.expire_all()
    assert db.session.get(Pledge, made["phl"].id).is_counted  # type: ignore[union-attr]
    assert not db.session.get(Pledge, made["mex-unconfirmed"].id).is_counted  # type: ignore[union-attr]
    assert counters.reconcile() == []


def test_reconcile_keeps_paper_pledges(app: Flask) -> None:
    _pledges()
    counters.set_offline_count(state=state("MEX"), count=120)
    db.session.execute(update(PledgeCounter).filter_by(scope="MEX").values(online=0))
    assert counters.reconcile() == [Drift("MEX", "individual", 0, 2)]
    assert db.session.get(PledgeCounter, ("MEX", "individual")).offline == 120  # type: ignore[union-attr]


def test_the_worker_job_reconciles_and_records_the_drift(app: Flask) -> None:
    _drift(_pledges())
    assert reconcile_pledge_counters.run() == 3
    assert counted("MEX") == 2 and counted("FRA") == 0
    [event] = db.session.scalars(select(AuditEvent).filter_by(action="pledges.reconciled")).all()
    assert event.actor_label == "reconciliation"
    assert event.after == {
        "---/individual": "0->1",
        "FRA/individual": "7->0",
        "MEX/individual": "40->2",
    }
    assert reconcile_pledge_counters.run() == 0


def test_withdrawal_below_a_drifted_zero_does_not_fail(app: Flask) -> None:
    from campaign.pledges import services

    pledge = signed()
    db.session.execute(update(PledgeCounter).filter_by(scope="MEX").values(online=0))
    services.withdraw_pledge(pledge=pledge)
    db.session.commit()
    assert counted("MEX") == 0 and not pledge.is_counted
    assert counters.reconcile() == []


def test_paper_pledges_are_kept_beside_the_online_count(app: Flask) -> None:
    signed(email="a@example.org")
    signed(email="b@example.org", country=state("PHL"))
    mexico = state("MEX")
    assert counters.set_offline_count(state=mexico, count=250) == 0
    assert counters.set_offline_count(state=mexico, count=300) == 250  # a figure, not a sum
    assert counters.set_offline_count(state=state("PHL"), count=40) == 0
    db.session.commit()
    assert counters.for_state("MEX") == (1, 0, 300)
    assert counted("MEX") == 1
    assert counters.totals() == {"individual": 2, "organisation": 0, "offline": 340, "total": 342}
    assert counters.set_offline_count(state=mexico, count=0) == 300
    assert counters.totals()["offline"] == 40
