"""Factories for pledge imports, their rows' notes, the addresses a dry run met, and the link
from a pledge to the import that created it (rows only: no file on disk, no job)."""

from __future__ import annotations

import factory

from campaign.pledges.import_models import (
    ImportedPledge,
    PledgeImport,
    PledgeImportAddress,
    PledgeImportNote,
)
from tests.factories.base import Factory
from tests.factories.pledges import PledgeFactory


class PledgeImportFactory(Factory):
    class Meta:
        model = PledgeImport

    stored_name = factory.Sequence(lambda n: f"{n:032x}.csv")
    original_name = factory.Sequence(lambda n: f"signatures-{n}.csv")
    header = factory.LazyFunction(lambda: ["Name", "Email", "Country"])
    total_rows = 3
    data_offset = 19
    offset = 19
    last_row = 1


class PledgeImportNoteFactory(Factory):
    class Meta:
        model = PledgeImportNote

    import_id = factory.LazyFunction(lambda: PledgeImportFactory().id)
    phase = "dry_run"
    outcome = "refused"
    line = factory.Sequence(lambda n: n + 2)
    reason = "Email: Please give a valid email address."


class PledgeImportAddressFactory(Factory):
    class Meta:
        model = PledgeImportAddress

    import_id = factory.LazyFunction(lambda: PledgeImportFactory().id)
    kind = "individual"
    email_canonical = factory.Sequence(lambda n: f"seen{n}@example.org")
    line = factory.Sequence(lambda n: n + 2)


class ImportedPledgeFactory(Factory):
    class Meta:
        model = ImportedPledge

    pledge_id = factory.LazyFunction(lambda: PledgeFactory(confirmed=True).id)
    import_id = factory.LazyFunction(lambda: PledgeImportFactory(state="done").id)
    line = factory.Sequence(lambda n: n + 2)
