"""`flask states sync`: by hand, from a file or a URL, with a dry run that writes nothing."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from pytest_httpserver import HTTPServer

from campaign.extensions import db
from campaign.sync import queries
from tests.sync.support import FIFTY_NINE, FIXTURES, registry, retire_zimbabwe, state

SIXTY_FILE = FIXTURES / "untc_IV-13_60_parties.en.xml"


def _sync(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["states", "sync", *args])
    return result.exit_code, result.output


def test_dry_run_prints_what_it_would_propose_and_writes_nothing(app: Flask) -> None:
    retire_zimbabwe()
    before = registry()
    code, output = _sync(app, "--file", str(SIXTY_FILE), "--dry-run")
    assert code == 0, output
    assert "Would propose: new_party Zimbabwe (ZWE): Party by accession on 2024-11-05" in output
    assert "71 participants read; 1 new proposal(s)." in output
    assert "Participants" in output  # the progress bar's label
    assert "Dry run: nothing was written." in output
    assert registry() == before and queries.recent_runs() == []


def test_a_file_run_stores_the_run_and_its_proposal(app: Flask) -> None:
    retire_zimbabwe()
    code, output = _sync(app, "--file", str(SIXTY_FILE))
    assert code == 0, output
    assert "Proposed: new_party Zimbabwe" in output
    [run] = queries.recent_runs()
    assert (run.outcome, run.source, run.proposal_count) == ("proposed", str(SIXTY_FILE), 1)
    assert state("ZWE").status == "none"  # proposed, not applied
    code, output = _sync(app, "--file", str(SIXTY_FILE))
    assert "unchanged" in output


def test_a_refused_file_fails_the_command_and_is_recorded(app: Flask, tmp_path: Path) -> None:
    page = tmp_path / "maintenance.xml"
    page.write_bytes(b"<!DOCTYPE html><html><body>Maintenance</body></html>")
    before = registry()
    code, output = _sync(app, "--file", str(page))
    assert code == 1 and "Refused: The source sent an HTML page" in output
    db.session.expire_all()
    assert queries.recent_runs()[0].outcome == "failed"
    assert registry()[:2] == before[:2]


def test_url_option_and_both_options(app: Flask, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/IV-13.en.xml").respond_with_data(FIFTY_NINE)
    code, output = _sync(app, "--url", httpserver.url_for("/IV-13.en.xml"), "--dry-run")
    assert code == 0, output
    assert "Would propose: conflict Zimbabwe (ZWE)" in output
    code, output = _sync(app, "--url", "http://x", "--file", str(SIXTY_FILE))
    assert code == 2 and "not both" in output
