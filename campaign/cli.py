"""The `flask campaign ...` commands: seed the registry, create an admin."""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import AppGroup

from campaign.accounts import services as accounts
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.road.stages import ensure_default_stages
from campaign.states import seed

# An AppGroup, so that each command runs in an app context however it is invoked.
campaign_cli = AppGroup("campaign", help="Campaign administration.")


@campaign_cli.command("seed")
def seed_command() -> None:
    """Load the 193 member states, their treaty status and the steering committee (idempotent)."""
    states = seed.read_rows("un_member_states.csv")
    statuses = seed.read_rows("mwc_status.csv")
    with click.progressbar(states, label="Member states") as rows:
        added = sum(seed.seed_state(row) for row in rows)
    db.session.flush()
    with click.progressbar(statuses, label="Treaty status") as rows:
        recorded = sum(seed.seed_status(row) for row in rows)
    members = sum(seed.seed_steering_member(name, kind) for name, kind in seed.STEERING_COMMITTEE)
    ensure_default_stages()  # migration 0011 seeds them; a wiped database has none
    db.session.commit()
    click.echo(
        f"Seeded: {added} states added, {recorded} status changes recorded, "
        f"{members} steering-committee members added."
    )


@campaign_cli.command("create-admin")
@click.argument("email")
@click.option(
    "--password", help="Without it you are asked (or, with no terminal, one is generated)."
)
@click.option("--name", default="", help="The admin's display name.")
def create_admin_command(email: str, password: str | None, name: str) -> None:
    """Create an admin account for EMAIL."""
    generated = False
    if password is None:
        if sys.stdin.isatty():
            password = str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
        else:
            password, generated = secrets.token_urlsafe(16), True
    try:
        user = accounts.create_user(email=email, password=password, role="admin", name=name)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Admin {user.email} created.")
    if generated:
        click.echo(f"Generated password: {password}")
