"""The user factory: a coordinator by default; a partner gets an organisation of its own."""

from __future__ import annotations

import factory

from campaign.accounts.models import User
from campaign.accounts.services import hasher
from tests.factories.base import Factory
from tests.factories.organisations import OrganisationFactory

PASSWORD = "correct horse battery staple"


class UserFactory(Factory):
    """A user whose password is PASSWORD (hashed as create_user does); password=None for an
    invited user who has not chosen one yet."""

    class Meta:
        model = User

    class Params:
        password: str | None = PASSWORD

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"Test User {n}")
    role = "coordinator"
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == "partner"),
        yes_declaration=factory.SubFactory(OrganisationFactory),
        no_declaration=None,
    )
    password_hash = factory.LazyAttribute(
        lambda o: hasher.hash(o.password) if o.password is not None else None
    )
