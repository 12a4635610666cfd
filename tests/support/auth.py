"""Logging users in through the real login form, for tests of protected pages."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from campaign.accounts.models import User
from campaign.accounts.services import create_user
from campaign.extensions import db
from campaign.organisations.models import Organisation
from tests.factories import OrganisationFactory

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_user(
    role: str, email: str | None = None, organisation: Organisation | None = None
) -> User:
    if role == "partner" and organisation is None:
        organisation = OrganisationFactory(name=f"Partner organisation of {email or role}")
    user = create_user(
        email=email or f"{role}@example.org",
        password=PASSWORD,
        role=role,
        organisation_id=organisation.id if organisation else None,
    )
    db.session.commit()
    return user


def csrf_from(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on *path* (the client keeps the session cookie)."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    match = CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def log_in(client: FlaskClient, user: User) -> None:
    token = csrf_from(client, "/account/login")
    response = client.post(
        "/account/login", data={"csrf_token": token, "email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
