"""Factories for treaty sync runs and the changes they propose."""

from __future__ import annotations

import datetime as dt
import hashlib

import factory

from campaign.db import utcnow
from campaign.sync.models import ProposedChange, SyncRun
from tests.factories.base import Factory, days_from, seeded

UNTC_URL = "https://treaties.un.org/doc/Publication/MTDSG/Volume%20I/Chapter%20IV/IV-13.en.xml"


class SyncRunFactory(Factory):
    """A run that read the depositary's document and found nothing new."""

    class Meta:
        model = SyncRun

    source = UNTC_URL
    http_status = 200
    document_sha256 = factory.Sequence(
        lambda n: hashlib.sha256(f"document {n}".encode()).hexdigest()
    )
    outcome = "no_changes"
    row_count = 60
    proposal_count = 0


class ProposedChangeFactory(Factory):
    """A pending new signature for France (a seeded state with none), from a run of its own."""

    class Meta:
        model = ProposedChange

    run = factory.SubFactory(SyncRunFactory, outcome="proposed", proposal_count=1)
    state = seeded("FRA")
    kind = "new_signature"
    act = "signature"
    effective_on = days_from(dt.date(2026, 1, 5))
    fingerprint = factory.LazyAttribute(
        lambda o: f"{o.state.iso3}:{o.kind}:{o.act}:{o.effective_on or '-'}"
    )
    detail = factory.LazyAttribute(lambda o: f"{o.state.name} signed on {o.effective_on}.")
    document_name = factory.LazyAttribute(lambda o: o.state.name)
    current_status = factory.LazyAttribute(lambda o: o.state.status)
    current_signed_on = factory.LazyAttribute(lambda o: o.state.signed_on)
    current_consented_on = factory.LazyAttribute(lambda o: o.state.consented_on)
    current_method = factory.LazyAttribute(lambda o: o.state.consent_method)
    document_sha256 = factory.SelfAttribute("run.document_sha256")
    fetched_at = factory.LazyFunction(utcnow)
    source = factory.SelfAttribute("run.source")
    status = "pending"
