"""Reviewing proposed changes: approving records the StatusChange; rejecting needs a note."""

from __future__ import annotations

from flask_babel import gettext as _

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.db import utcnow
from campaign.errors import DomainError
from campaign.states.models import METHODS, State, StatusChange
from campaign.states.services import Act, correct_status_change, record_status_change
from campaign.sync.models import AUTO_KINDS, ProposedChange

AUTO_NOTE = "Approved automatically (TREATY_SYNC_AUTO_APPROVE)."


class ReviewError(DomainError):
    """The proposal cannot be applied as it stands; the message says what to do instead."""


def approve_proposal(*, proposal: ProposedChange, reviewer: User, note: str = "") -> bool:
    """Record what *proposal* says, by *reviewer*; False when it was already reviewed.

    A new act goes through record_status_change, which queues the alert after commit; a
    method or date goes through correct_status_change. Conflicts are never applied.
    """
    if not proposal.is_pending:
        return False
    change = _apply(proposal, recorded_by=reviewer, note=note)
    _close(proposal, "approved", reviewer, note, change)
    _audit(proposal, "sync.proposal_approved", reviewer)
    return True


def reject_proposal(*, proposal: ProposedChange, reviewer: User, note: str) -> bool:
    """Close *proposal* without changing the registry; False when it was already reviewed."""
    if not note.strip():
        raise ReviewError(_("Say why you reject this proposal: the note is required."))
    if not proposal.is_pending:
        return False
    _close(proposal, "rejected", reviewer, note.strip(), None)
    _audit(proposal, "sync.proposal_rejected", reviewer)
    return True


def auto_approve(*, proposal: ProposedChange) -> None:
    """Apply a new signature or party unattended (TREATY_SYNC_AUTO_APPROVE)."""
    if proposal.kind not in AUTO_KINDS:
        raise ReviewError(_("Only new signatures and new parties are approved automatically."))
    change = _apply(proposal, recorded_by=None, note="")
    _close(proposal, "auto_approved", None, AUTO_NOTE, change)
    _audit(proposal, "sync.proposal_auto_approved", None)


def source_text(proposal: ProposedChange) -> str:
    """The source a recorded change cites: the document, when it was fetched, its hash."""
    return (
        f"UN Treaty Collection status document, chapter IV-13 ({proposal.source}), fetched "
        f"{proposal.fetched_at:%Y-%m-%d %H:%M} UTC, sha256 {proposal.document_sha256[:16]}; "
        f"treaty sync proposal {proposal.id}"
    )


def live_entry(state: State, *, signature: bool) -> StatusChange | None:
    """The state's act entry now in force for its signature, or for its consent."""
    acts = ("signature",) if signature else METHODS
    entries = sorted(state.changes, key=lambda change: change.id)
    latest = {c.corrects_id: c for c in entries if c.act == "correction"}
    live = [
        c for c in entries if c.act in acts and not (c.id in latest and latest[c.id].is_retraction)
    ]
    return live[-1] if live else None


def _apply(proposal: ProposedChange, *, recorded_by: User | None, note: str) -> StatusChange:
    if proposal.kind == "conflict":
        raise ReviewError(
            _(
                "A conflict is never applied by the sync: put the registry right on the state's "
                "page if needed, then close the conflict with a note."
            )
        )
    _check_still_applies(proposal)
    if proposal.kind in AUTO_KINDS:
        return _record(proposal, recorded_by=recorded_by, note=note)
    entry = live_entry(proposal.state, signature=proposal.act == "signature")
    if entry is None:
        raise ReviewError(_("%(state)s has no entry left to correct.", state=proposal.state.name))
    return correct_status_change(
        change=entry,
        source=source_text(proposal),
        recorded_by=recorded_by,
        effective_on=proposal.effective_on,
        method=proposal.method,
        note=note,
        via="sync",
    )


def _record(proposal: ProposedChange, *, recorded_by: User | None, note: str) -> StatusChange:
    assert proposal.act is not None and proposal.effective_on is not None
    act = Act(
        act=proposal.act,
        effective_on=proposal.effective_on,
        source=source_text(proposal),
        source_url=proposal.source if proposal.run.is_url else None,
        note=note,
    )
    change = record_status_change(
        state=proposal.state, act=act, recorded_by=recorded_by, via="sync"
    )
    if change is None:
        raise ReviewError(
            _(
                "This %(act)s of %(state)s on %(date)s is already in the state's history "
                "(perhaps retracted). Correct that entry on the state's page, then close this "
                "proposal with a note.",
                act=proposal.act,
                state=proposal.state.name,
                date=proposal.effective_on,
            )
        )
    return change


def _check_still_applies(proposal: ProposedChange) -> None:
    """Refuse a proposal whose part of the registry moved since it was made."""
    state = proposal.state
    if proposal.kind == "new_signature":
        still = state.status == "none"
    elif proposal.kind == "new_party":
        still = state.consented_on is None
    elif proposal.act == "signature":
        still = state.signed_on == proposal.current_signed_on
    else:
        current = (proposal.current_consented_on, proposal.current_method)
        still = (state.consented_on, state.consent_method) == current
    if not still:
        raise ReviewError(
            _(
                "%(state)s's entry in the registry changed since this proposal was made. "
                "Check the state's page, then close the proposal with a note.",
                state=state.name,
            )
        )


def _close(
    proposal: ProposedChange,
    status: str,
    reviewer: User | None,
    note: str,
    change: StatusChange | None,
) -> None:
    # Read the ids first: loading them may autoflush, which must not see a half-closed row.
    reviewer_id = reviewer.id if reviewer is not None else None
    change_id = change.id if change is not None else None
    proposal.review_note, proposal.reviewed_at = note, utcnow()
    proposal.reviewed_by_id, proposal.status_change_id = reviewer_id, change_id
    proposal.status = status


def _audit(proposal: ProposedChange, action: str, reviewer: User | None) -> None:
    record_event(
        actor=reviewer,
        actor_label="treaty sync",
        action=action,
        entity_type="proposed_change",
        entity_id=proposal.id,
        before={"status": "pending"},
        after={
            "status": proposal.status,
            "state": proposal.state.iso3,
            "kind": proposal.kind,
            "act": proposal.act,
            "effective_on": proposal.effective_on,
            "status_change_id": proposal.status_change_id,
            "note": proposal.review_note,
        },
    )
