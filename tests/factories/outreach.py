"""Factories for outreach tasks and the entries of their threads."""

from __future__ import annotations

import factory

from campaign.outreach.models import OutreachTask, TaskUpdate
from tests.factories.base import Factory, seeded
from tests.factories.organisations import OrganisationFactory


class OutreachTaskFactory(Factory):
    class Meta:
        model = OutreachTask

    state = seeded("BRA")
    organisation = factory.SubFactory(OrganisationFactory)
    kind = "letter"
    title = factory.Sequence(lambda n: f"Letter to the ministry {n}")
    description = ""
    status = "open"
    outcome = ""


class TaskUpdateFactory(Factory):
    class Meta:
        model = TaskUpdate

    task = factory.SubFactory(OutreachTaskFactory)
    text = factory.Sequence(lambda n: f"Update {n}")
