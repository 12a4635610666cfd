"""`flask states sync`: the treaty sync by hand, from the web or a file, with a dry run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from campaign.extensions import db
from campaign.sync import services
from campaign.sync.parser import Participant

states_cli = AppGroup("states", help="The treaty registry.")


@states_cli.command("sync")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the status document from this file.",
)
@click.option("--url", help="Fetch the status document from here instead of TREATY_SYNC_URL.")
@click.option("--dry-run", is_flag=True, help="Print what would be proposed; write nothing.")
def sync_command(path: Path | None, url: str | None, dry_run: bool) -> None:
    """Compare the UN Treaty Collection's status document with the registry."""
    if path is not None and url:
        raise click.UsageError("Give --file or --url, not both.")
    settings = services.SyncSettings.from_config(current_app.config)
    if path is not None:
        report = services.sync_file(
            path=path, settings=settings, dry_run=dry_run, progress=_progress
        )
    else:
        report = services.sync_url(
            url=url or current_app.config["TREATY_SYNC_URL"],
            settings=settings,
            dry_run=dry_run,
            progress=_progress,
        )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()  # a failed run is kept too: coordinators see it
    _print(report, dry_run=dry_run)
    if report.failed:
        raise click.ClickException(f"Refused: {report.run.error}")


def _progress(participants: Sequence[Participant]) -> Iterator[Participant]:
    with click.progressbar(participants, label="Participants") as bar:
        yield from bar


def _print(report: services.SyncReport, *, dry_run: bool) -> None:
    run = report.run
    if run.outcome == "unchanged":
        click.echo("The document is unchanged since the last good run: nothing to propose.")
    verb = "Would propose" if dry_run else "Proposed"
    for draft in report.drafts:
        click.echo(f"{verb}: {draft.kind} {draft.state.name} ({draft.state.iso3}): {draft.detail}")
    for name in run.unknown_names:
        click.echo(f"Not in the registry: {name}")
    if report.already_proposed:
        click.echo(f"{report.already_proposed} difference(s) already wait for review.")
    if run.outcome in ("proposed", "no_changes"):
        click.echo(f"{run.row_count} participants read; {len(report.drafts)} new proposal(s).")
    if dry_run:
        click.echo("Dry run: nothing was written.")
