"""The sync against the seeded registry: proposals, conflicts, review, alerts after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign.audit.models import AuditEvent
from campaign.core.jobs import STATUS_CHANGE_ALERTS
from campaign.extensions import db
from campaign.states.models import StatusChange
from campaign.states.services import correct_status_change
from campaign.sync import review
from campaign.sync.models import ProposedChange
from campaign.sync.services import SyncSettings
from tests.support.auth import make_user
from tests.sync.support import (
    FIFTY_NINE,
    SIXTY,
    URL,
    registry,
    replace_row,
    retire_zimbabwe,
    row,
    state,
    sync_bytes,
    with_row,
)

ZIMBABWE_ON = dt.date(2024, 11, 5)


def test_the_sixty_party_snapshot_agrees_with_the_seeded_registry(app: Flask) -> None:
    before = registry()
    report = sync_bytes(SIXTY)
    assert (report.run.outcome, report.run.row_count, report.run.proposal_count) == (
        "no_changes",
        71,
        0,
    )
    assert report.run.unknown_names == [] and report.drafts == []
    assert report.run.document_sha256 and report.run.error == ""
    assert registry()[:2] == before[:2]


def test_the_fifty_nine_proposes_nothing_for_the_59_and_a_conflict_for_zimbabwe(
    app: Flask, published_jobs: list[Any]
) -> None:
    before = registry()
    report = sync_bytes(FIFTY_NINE)
    db.session.commit()
    [conflict] = report.run.proposals
    assert (conflict.state.iso3, conflict.kind, conflict.status) == ("ZWE", "conflict", "pending")
    assert conflict.act is None and "missing from the document" in conflict.detail
    assert registry()[:2] == before[:2]  # not a downgrade: Zimbabwe is still a party
    assert (state("ZWE").status, state("ZWE").consented_on) == ("party", ZIMBABWE_ON)
    assert published_jobs == []
    with pytest.raises(review.ReviewError, match="never applied"):
        review.approve_proposal(proposal=conflict, reviewer=make_user("coordinator"))


def test_the_sixtieth_party_is_proposed_once_and_approval_alerts_once(
    app: Flask, published_jobs: list[Any]
) -> None:
    zimbabwe = retire_zimbabwe()
    run = sync_bytes(SIXTY).run
    db.session.commit()
    [proposal] = run.proposals
    assert (proposal.state_id, proposal.kind, proposal.act, proposal.effective_on) == (
        zimbabwe.id,
        "new_party",
        "accession",
        ZIMBABWE_ON,
    )
    assert (proposal.document_sha256, proposal.source) == (run.document_sha256, URL)
    assert proposal.fetched_at == run.started_at
    assert zimbabwe.status == "none" and published_jobs == []

    coordinator = make_user("coordinator")
    assert review.approve_proposal(proposal=proposal, reviewer=coordinator, note="Checked")
    assert published_jobs == []  # only after commit
    db.session.commit()
    change = db.session.get(StatusChange, proposal.status_change_id)
    assert change is not None and published_jobs == [(STATUS_CHANGE_ALERTS, (change.id,))]
    assert (change.act, change.effective_on, change.recorded_via) == (
        "accession",
        ZIMBABWE_ON,
        "sync",
    )
    assert (change.recorded_by_id, change.source_url) == (coordinator.id, URL)
    assert proposal.document_sha256[:16] in change.source
    assert (state("ZWE").status, state("ZWE").consent_method) == ("party", "accession")
    assert (proposal.status, proposal.reviewed_by_id) == ("approved", coordinator.id)
    event = db.session.scalars(select(AuditEvent).filter_by(action="sync.proposal_approved")).one()
    assert (event.entity_id, event.actor_id) == (proposal.id, coordinator.id)

    # Approving twice is harmless: no second entry, no second alert.
    assert not review.approve_proposal(proposal=proposal, reviewer=coordinator)
    db.session.commit()
    assert len(published_jobs) == 1


def test_a_retracted_act_is_not_silently_recorded_again(app: Flask) -> None:
    [accession] = state("ZWE").changes
    correct_status_change(
        change=accession, source="Entered in error", recorded_by=None, via="sync", retract=True
    )
    report = sync_bytes(SIXTY)
    [proposal] = report.run.proposals
    assert proposal.kind == "new_party"
    before = registry()
    with pytest.raises(review.ReviewError, match="already in the state's history"):
        review.approve_proposal(proposal=proposal, reviewer=make_user("coordinator"))
    assert registry() == before


def test_the_same_document_again_is_a_no_op(app: Flask) -> None:
    retire_zimbabwe()
    first = sync_bytes(SIXTY)
    again = sync_bytes(SIXTY)
    assert (again.run.outcome, again.run.proposal_count) == ("unchanged", 0)
    assert again.run.document_sha256 == first.run.document_sha256
    assert again.run.row_count == 71


def test_a_pending_proposal_is_not_duplicated_by_a_changed_document(app: Flask) -> None:
    retire_zimbabwe()
    sync_bytes(SIXTY)
    changed = sync_bytes(SIXTY.replace(b"HUMAN RIGHTS", b"Human rights"))
    assert (changed.run.outcome, changed.run.proposal_count) == ("no_changes", 0)
    assert changed.already_proposed == 1
    pending = db.session.scalars(select(ProposedChange).filter_by(status="pending")).all()
    assert len(pending) == 1


def test_the_database_refuses_a_duplicate_pending_proposal(app: Flask) -> None:
    retire_zimbabwe()
    [proposal] = sync_bytes(SIXTY).run.proposals
    copy = {
        column.key: getattr(proposal, column.key)
        for column in ProposedChange.__table__.columns
        if column.key != "id"
    }
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(ProposedChange(**{**copy, "document_sha256": "0" * 64}))


def test_method_and_date_differences_are_corrections(app: Flask, published_jobs: list[Any]) -> None:
    content = replace_row(
        SIXTY,
        "Argentina",
        row("Argentina", "10 Aug\t 2004", "23 Feb\t 2007 a"),
    )
    content = replace_row(
        content,
        "Zimbabwe",
        row("Zimbabwe", "", " 6 Nov\t 2024 a"),
    )
    content = replace_row(
        content,
        "Armenia",
        row("Armenia", "27 Sep\t 2013"),
    )
    proposals = {p.state.iso3: p for p in sync_bytes(content).run.proposals}
    assert {iso3: p.kind for iso3, p in proposals.items()} == {
        "ARG": "method",
        "ZWE": "date_correction",
        "ARM": "date_correction",
    }
    coordinator = make_user("coordinator")
    for proposal in proposals.values():
        assert review.approve_proposal(proposal=proposal, reviewer=coordinator)
    db.session.commit()
    assert state("ARG").consent_method == "accession"
    assert state("ZWE").consented_on == dt.date(2024, 11, 6)
    assert state("ARM").signed_on == dt.date(2013, 9, 27)
    assert all(p.status_change and p.status_change.act == "correction" for p in proposals.values())
    assert published_jobs == []  # corrections do not alert


def test_a_stale_proposal_is_refused(app: Flask) -> None:
    content = replace_row(
        SIXTY,
        "Zimbabwe",
        row("Zimbabwe", "", " 6 Nov\t 2024 a"),
    )
    [proposal] = sync_bytes(content).run.proposals
    [accession] = state("ZWE").changes
    correct_status_change(
        change=accession,
        source="By hand",
        recorded_by=None,
        via="sync",
        effective_on=dt.date(2024, 11, 7),
    )
    with pytest.raises(review.ReviewError, match="changed since"):
        review.approve_proposal(proposal=proposal, reviewer=make_user("coordinator"))
    assert state("ZWE").consented_on == dt.date(2024, 11, 7)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            row("[Zimbabwe]", "", " 5 Nov\t 2024 a"),
            "withdrawal",
        ),
        (
            row("Zimbabwe", "", "[ 5 Nov\t 2024 a]"),
            "square brackets",
        ),
        (row("Zimbabwe"), "lower status"),
    ],
)
def test_a_lower_status_in_the_document_is_a_conflict_never_a_downgrade(
    app: Flask, line: str, reason: str
) -> None:
    before = registry()
    [conflict] = sync_bytes(replace_row(SIXTY, "Zimbabwe", line)).run.proposals
    assert conflict.kind == "conflict" and reason in conflict.detail
    assert registry()[:2] == before[:2]


def test_new_signatory_succession_and_unknown_names(app: Flask) -> None:
    content = with_row(SIXTY, row("Brazil", " 1 Sep\t 2025"))
    content = with_row(content, row("Holy See", "", " 1 Sep\t 2025 a"))
    content = with_row(content, row("Kosovo", "", " 1 Sep\t 2025 d"))
    content = replace_row(
        content,
        "Serbia",
        row("Serbia", "11 Nov\t 2004", " 1 Sep\t 2025 d"),
    )
    report = sync_bytes(content)
    kinds = {(p.state.iso3, p.kind) for p in report.run.proposals}
    assert kinds == {("BRA", "new_signature"), ("SRB", "conflict")}
    assert report.run.unknown_names == ["Holy See", "Kosovo"]
    [succession] = [p for p in report.run.proposals if p.state.iso3 == "SRB"]
    assert "succession" in succession.detail


def test_two_rows_for_one_state_are_refused(app: Flask) -> None:
    before = registry()
    content = with_row(SIXTY, row("Turkiye"))
    report = sync_bytes(content)
    assert report.run.outcome == "failed" and "Two rows" in report.run.error
    assert registry()[:2] == before[:2] and report.run.proposals == []


def test_auto_approve_applies_only_new_signatures_and_parties(
    app: Flask, published_jobs: list[Any]
) -> None:
    content = with_row(SIXTY, row("Brazil", " 1 Sep\t 2025"))
    content = replace_row(
        content,
        "Argentina",
        row("Argentina", "10 Aug\t 2004", "23 Feb\t 2007 a"),
    )
    report = sync_bytes(content, settings=SyncSettings(auto_approve=True))
    db.session.commit()
    statuses = {p.state.iso3: (p.kind, p.status) for p in report.run.proposals}
    assert statuses == {"BRA": ("new_signature", "auto_approved"), "ARG": ("method", "pending")}
    brazil = state("BRA")
    [signature] = brazil.changes
    assert (brazil.status, signature.recorded_by_id, signature.recorded_via) == (
        "signatory",
        None,
        "sync",
    )
    assert published_jobs == [(STATUS_CHANGE_ALERTS, (signature.id,))]
    assert state("ARG").consent_method == "ratification"


def test_rejecting_needs_a_note_and_changes_nothing(app: Flask) -> None:
    retire_zimbabwe()
    [proposal] = sync_bytes(SIXTY).run.proposals
    coordinator = make_user("coordinator")
    before = registry()
    with pytest.raises(review.ReviewError, match="note is required"):
        review.reject_proposal(proposal=proposal, reviewer=coordinator, note="  ")
    assert review.reject_proposal(proposal=proposal, reviewer=coordinator, note="Not yet in force")
    db.session.commit()
    assert (proposal.status, proposal.review_note) == ("rejected", "Not yet in force")
    assert registry()[:2] == before[:2]
    assert not review.approve_proposal(proposal=proposal, reviewer=coordinator)
    assert db.session.scalars(select(AuditEvent).filter_by(action="sync.proposal_rejected")).one()
