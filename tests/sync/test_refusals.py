"""Refused documents: the run fails with a message coordinators see; nothing else changes."""

from __future__ import annotations

import pytest
from flask import Flask

from campaign.extensions import db
from campaign.sync import queries
from campaign.sync.services import SyncSettings
from tests.sync.support import SIXTY, first_rows, registry, replace_row, row, sync_bytes

MAINTENANCE = (
    b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>"
    b"<body><h1>The UN Treaty Collection is under maintenance</h1></body></html>"
)
TOO_MANY_CELLS = replace_row(
    SIXTY,
    "Albania",
    row("Albania", "", " 5 Jun\t 2007 a", cells=4),
)

REFUSED = {
    "html maintenance page": (MAINTENANCE, "HTML page"),
    "truncated xml": (SIXTY[: len(SIXTY) * 2 // 3], "not well-formed"),
    "malformed xml": (SIXTY.replace(b"</Entry></Row>", b"</Entry></Rows>", 1), "not well-formed"),
    "four columns declared": (SIXTY.replace(b'Cols="3"', b'Cols="4"'), "4 columns"),
    "a row of four cells": (TOO_MANY_CELLS, "4 cells, not 3"),
    "far fewer rows": (first_rows(SIXTY, 12), "far fewer than the 71"),
    "unknown encoding": (SIXTY.replace(b"ISO-8859-1", b"x-mac-klingon"), "unknown encoding"),
    "undeclared encoding": (SIXTY.split(b"?>", 1)[1], "does not declare its encoding"),
    "another encoding": (SIXTY.replace(b"ISO-8859-1", b"UTF-16"), "ISO-8859-1 was expected"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_document_fails_the_run_and_changes_nothing(app: Flask, case: str) -> None:
    content, message = REFUSED[case]
    before = registry()
    report = sync_bytes(content, settings=SyncSettings(auto_approve=True))
    db.session.commit()
    run = report.run
    assert (run.outcome, run.proposal_count, run.proposals) == ("failed", 0, [])
    assert message in run.error
    assert registry() == before
    assert queries.recent_runs()[0].error == run.error  # kept where coordinators look
    assert queries.last_good_run() is None


def test_far_fewer_rows_than_the_last_good_document_is_refused(app: Flask) -> None:
    assert sync_bytes(SIXTY).run.outcome == "no_changes"
    before = registry()
    report = sync_bytes(first_rows(SIXTY, 60))  # 60 of 71: below 90 %
    assert report.run.outcome == "failed"
    assert "60 participants, far fewer than the 71 of the last good document" in report.run.error
    assert registry() == before
    assert sync_bytes(first_rows(SIXTY, 70)).run.outcome != "failed"  # one fewer is fine


def test_a_refused_document_does_not_become_the_last_good_one(app: Flask) -> None:
    good = sync_bytes(SIXTY).run
    sync_bytes(MAINTENANCE)
    assert queries.last_good_run() is good
    # The good document seen again after a failure is still a no-op.
    assert sync_bytes(SIXTY).run.outcome == "unchanged"


def test_a_dry_run_of_a_refused_document_writes_nothing(app: Flask) -> None:
    before = registry()
    report = sync_bytes(MAINTENANCE, dry_run=True)
    assert report.failed and queries.recent_runs() == []
    assert registry() == before
