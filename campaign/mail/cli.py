"""`flask mail bounces PATH`: read the bounces that came back by mail, from a Maildir or mbox."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from campaign.extensions import db
from campaign.mail.bounces import read_mailbox

mail_cli = AppGroup("mail", help="The outbox and its bounces.")


@mail_cli.command("bounces")
@click.argument("path", type=click.Path(path_type=Path))
def bounces(path: Path) -> None:
    """Read the delivery reports in PATH (a Maildir or an mbox file). Safe to run again: each
    report counts once; the mailbox is left as it is."""
    try:
        tally = read_mailbox(path)
    except (ValueError, OSError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(
        f"{tally.hard} hard, {tally.soft} soft, {tally.seen_before} seen before, "
        f"{tally.ignored} without a bounce"
    )
