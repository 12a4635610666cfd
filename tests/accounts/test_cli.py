"""`flask campaign create-admin`: argon2 hashes, generated passwords, clean refusals."""

from __future__ import annotations

import re

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.accounts.services import authenticate
from campaign.extensions import db

PASSWORD = "a long and boring passphrase"


def _create_admin(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["campaign", "create-admin", *args])


def _users() -> list[User]:
    db.session.expire_all()
    return list(db.session.scalars(select(User).order_by(User.id)))


def test_creates_admin_with_argon2_hash_and_lower_cased_email(app: Flask) -> None:
    result = _create_admin(app, " Ada@Example.ORG ", "--password", PASSWORD, "--name", "Ada")
    assert result.exit_code == 0, result.output
    assert "Admin ada@example.org created." in result.output
    [user] = _users()
    assert (user.email, user.role, user.name, user.is_active) == (
        "ada@example.org",
        "admin",
        "Ada",
        True,
    )
    assert user.password_hash is not None and user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash
    assert PASSWORD not in result.output
    assert authenticate(email="ada@example.org", password=PASSWORD) is user
    assert authenticate(email="ada@example.org", password=PASSWORD + "x") is None


def test_without_password_or_terminal_prints_a_generated_one_that_works(app: Flask) -> None:
    result = _create_admin(app, "ada@example.org")
    assert result.exit_code == 0, result.output
    match = re.search(r"^Generated password: (\S+)$", result.output, re.MULTILINE)
    assert match, result.output
    generated = match.group(1)
    assert len(generated) >= 16
    [user] = _users()
    assert authenticate(email="ada@example.org", password=generated) is user


def test_generated_passwords_differ(app: Flask) -> None:
    first = _create_admin(app, "one@example.org").output
    second = _create_admin(app, "two@example.org").output
    assert first.splitlines()[-1] != second.splitlines()[-1]


def test_duplicate_email_is_refused_clearly(app: Flask) -> None:
    assert _create_admin(app, "ada@example.org", "--password", PASSWORD).exit_code == 0
    result = _create_admin(app, "ADA@example.org", "--password", "another long passphrase")
    assert result.exit_code != 0
    assert "A user with the email ada@example.org already exists." in result.output
    [user] = _users()
    assert authenticate(email="ada@example.org", password=PASSWORD) is user


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "Not a valid email address"),
        ("ada@", PASSWORD, "Not a valid email address"),
        ("", PASSWORD, "Not a valid email address"),
        ("ada@example.org\r\nBcc: eve@example.org", PASSWORD, "Not a valid email address"),
        ("ada@example.org\nx", PASSWORD, "Not a valid email address"),
        ("<script>@example.org", PASSWORD, "Not a valid email address"),
        ("=cmd|' /C calc'!A0", PASSWORD, "Not a valid email address"),
        ("ada@example.org", "short", "at least 10 characters"),
        ("ada@example.org", "", "at least 10 characters"),
        ("ada@example.org", "123456789", "at least 10 characters"),
    ],
)
def test_bad_input_exits_non_zero_and_writes_nothing(
    app: Flask, email: str, password: str, message: str
) -> None:
    result = _create_admin(app, email, "--password", password)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert _users() == []
