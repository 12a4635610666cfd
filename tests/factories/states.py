"""Factories for states outside the seeded registry and for entries of a state's history."""

from __future__ import annotations

import datetime as dt

import factory

from campaign.states.models import State, StatusChange
from tests.factories.accounts import UserFactory
from tests.factories.base import Factory, days_from, seeded

# ISO 3166 keeps these alpha-2 codes for users' own purposes: no member state has one, and
# the seed and the sync tests (which park a state at ZZ) never use them.
USER_ASSIGNED = tuple(f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + tuple(
    f"Q{c}" for c in "MNOPQRSTUVWXYZ"
)


class StateFactory(Factory):
    """A state that is not a UN member state; for one of those use state("MEX") instead.

    Codes repeat after len(USER_ASSIGNED) states, more than a test makes."""

    class Meta:
        model = State

    class Params:
        code = factory.Sequence(lambda n: n % len(USER_ASSIGNED))

    iso2 = factory.LazyAttribute(lambda o: USER_ASSIGNED[o.code])
    iso3 = factory.LazyAttribute(lambda o: f"{o.iso2}X")
    m49 = factory.LazyAttribute(lambda o: f"{900 + o.code}")
    name = factory.Sequence(lambda n: f"Testland {n}")
    un_name = factory.LazyAttribute(lambda o: f"Republic of {o.name}")
    region = "Europe"
    subregion = "Western Europe"


class StatusChangeFactory(Factory):
    """A signature that a coordinator recorded for France (a seeded state with no act).

    Only the history row: moving the state's status is record_status_change's business."""

    class Meta:
        model = StatusChange

    state = seeded("FRA")
    act = "signature"
    from_status = "none"
    to_status = "signatory"
    effective_on = days_from(dt.date(2026, 1, 5))
    source = "UN depositary notification C.N.1.2026.TREATIES-IV.13"
    recorded_by = factory.SubFactory(UserFactory)
    recorded_via = "user"
