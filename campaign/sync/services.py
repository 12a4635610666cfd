"""Running the treaty sync: fetch, refuse or read, compare, and store what to review.

Every run is stored (a dry run stores nothing), failed ones with a message coordinators see.
A refused document proposes nothing and changes nothing. Services flush, never commit.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campaign.db import utcnow
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.sync import diff, fetch, queries, review
from campaign.sync.models import AUTO_KINDS, ProposedChange, SyncRun
from campaign.sync.parser import ParseError, parse_document


@dataclass(frozen=True)
class SyncSettings:
    """The knobs of a run, read from the app's configuration by the task and the command."""

    timeout: float = 30.0
    min_rows_ratio: float = 0.9
    auto_approve: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SyncSettings:
        return cls(
            timeout=float(config["TREATY_SYNC_TIMEOUT"]),
            min_rows_ratio=float(config["TREATY_SYNC_MIN_ROWS_RATIO"]),
            auto_approve=bool(config["TREATY_SYNC_AUTO_APPROVE"]),
        )


@dataclass
class SyncReport:
    """A run and the differences it found that were not already waiting for review."""

    run: SyncRun
    drafts: list[diff.Draft] = field(default_factory=list)
    already_proposed: int = 0
    transient: bool = False  # a failure that a retry may cure (timeout, HTTP 5xx)

    @property
    def failed(self) -> bool:
        return self.run.outcome == "failed"


def sync_url(
    *,
    url: str,
    settings: SyncSettings,
    dry_run: bool = False,
    progress: diff.Progress | None = None,
) -> SyncReport:
    """Fetch *url* (conditionally, after a good run from it) and sync from what came back."""
    previous = queries.last_good_run(source=url)
    try:
        fetched = fetch.fetch_url(
            url,
            timeout=settings.timeout,
            etag=previous.etag if previous else None,
            last_modified=previous.last_modified if previous else None,
        )
    except fetch.FetchError as error:
        run = _new_run(source=url, http_status=error.status)
        return _finish(_fail(run, str(error)), dry_run=dry_run, transient=error.transient)
    return sync_fetched(
        fetched=fetched, settings=settings, dry_run=dry_run, progress=progress, previous=previous
    )


def sync_file(
    *,
    path: Path,
    settings: SyncSettings,
    dry_run: bool = False,
    progress: diff.Progress | None = None,
) -> SyncReport:
    """Sync from a copy of the document on disk."""
    try:
        fetched = fetch.read_file(path)
    except fetch.FetchError as error:
        return _finish(_fail(_new_run(source=str(path)), str(error)), dry_run=dry_run)
    return sync_fetched(fetched=fetched, settings=settings, dry_run=dry_run, progress=progress)


def sync_fetched(
    *,
    fetched: fetch.Fetched,
    settings: SyncSettings,
    dry_run: bool = False,
    progress: diff.Progress | None = None,
    previous: SyncRun | None = None,
) -> SyncReport:
    """Read what was fetched, refuse it or store the differences as proposals."""
    run = _new_run(source=fetched.source, http_status=fetched.status)
    run.started_at = fetched.fetched_at
    run.etag, run.last_modified = fetched.etag, fetched.last_modified
    if fetched.not_modified and previous is not None:
        return _finish(_unchanged(run, previous), dry_run=dry_run)
    content = fetched.content or b""
    run.document_sha256 = hashlib.sha256(content).hexdigest()
    last = queries.last_good_run()
    if last is not None and last.document_sha256 == run.document_sha256:
        return _finish(_unchanged(run, last), dry_run=dry_run)
    try:
        drafts = _read(run, content, last, settings.min_rows_ratio, progress)
    except ParseError as error:
        return _finish(_fail(run, str(error)), dry_run=dry_run)
    fresh = [d for d in drafts if not queries.is_already_proposed(d.fingerprint, _sha(run))]
    run.proposal_count = len(fresh)
    run.outcome = "proposed" if fresh else "no_changes"
    if not dry_run:
        db.session.add(run)
        _propose(run, fresh, auto_approve=settings.auto_approve)
    report = _finish(run, dry_run=dry_run)
    report.drafts, report.already_proposed = fresh, len(drafts) - len(fresh)
    return report


def _read(
    run: SyncRun,
    content: bytes,
    last: SyncRun | None,
    min_rows_ratio: float,
    progress: diff.Progress | None,
) -> list[diff.Draft]:
    participants = parse_document(content)
    run.row_count = len(participants)
    _check_row_count(len(participants), last, min_rows_ratio)
    states = queries.registry_states()
    matched = diff.match(participants, states, progress)
    run.unknown_names = matched.unknown
    return diff.diff(matched, states)


def _check_row_count(count: int, last: SyncRun | None, ratio: float) -> None:
    """Refuse a table far shorter than the last good one (or, at first, than the registry)."""
    if last is not None and last.row_count:
        baseline, what = last.row_count, "the last good document"
    else:
        baseline, what = queries.acting_states_count(), "the registry's signatories and parties"
    needed = math.ceil(baseline * ratio)
    if count < needed:
        raise ParseError(
            f"The document lists {count} participants, far fewer than the {baseline} of {what} "
            f"(at least {needed} expected): it may be incomplete, so it was refused."
        )


def _propose(run: SyncRun, drafts: list[diff.Draft], *, auto_approve: bool) -> None:
    for draft in drafts:
        proposal = _proposal(run, draft)
        db.session.add(proposal)
        db.session.flush()
        if auto_approve and draft.kind in AUTO_KINDS:
            try:
                review.auto_approve(proposal=proposal)
            except DomainError as error:  # nothing was recorded: it waits for a coordinator
                proposal.detail += f" Not approved automatically: {error}"
    db.session.flush()


def _proposal(run: SyncRun, draft: diff.Draft) -> ProposedChange:
    state = draft.state
    return ProposedChange(
        run=run,
        state=state,
        kind=draft.kind,
        fingerprint=draft.fingerprint,
        act=draft.act,
        method=draft.method,
        effective_on=draft.effective_on,
        detail=draft.detail,
        document_name=draft.document_name,
        current_status=state.status,
        current_signed_on=state.signed_on,
        current_consented_on=state.consented_on,
        current_method=state.consent_method,
        document_sha256=_sha(run),
        fetched_at=run.started_at,
        source=run.source,
    )


def _new_run(*, source: str, http_status: int | None = None) -> SyncRun:
    return SyncRun(
        source=source[:500],
        started_at=utcnow(),
        http_status=http_status,
        error="",
        proposal_count=0,
        unknown_names=[],
    )


def _unchanged(run: SyncRun, previous: SyncRun) -> SyncRun:
    """A 304 or the same bytes again: keep the last good document's facts, propose nothing."""
    run.outcome = "unchanged"
    run.document_sha256 = run.document_sha256 or previous.document_sha256
    run.etag = run.etag or previous.etag
    run.last_modified = run.last_modified or previous.last_modified
    run.row_count = previous.row_count
    return run


def _fail(run: SyncRun, message: str) -> SyncRun:
    run.outcome, run.error = "failed", message
    return run


def _finish(run: SyncRun, *, dry_run: bool, transient: bool = False) -> SyncReport:
    run.finished_at = utcnow()
    if not dry_run:
        db.session.add(run)
        db.session.flush()
    return SyncReport(run=run, transient=transient)


def _sha(run: SyncRun) -> str:
    assert run.document_sha256 is not None
    return run.document_sha256
