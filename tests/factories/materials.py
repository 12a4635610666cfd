"""Factories for the materials library's documents and their versions (rows only: the files
themselves are written by the tests that need them)."""

from __future__ import annotations

import factory

from campaign.materials.models import Material, MaterialVersion
from tests.factories.base import Factory


class MaterialFactory(Factory):
    class Meta:
        model = Material

    title = factory.Sequence(lambda n: f"Summary of the Convention {n}")
    kind = "summary"
    language = "fr"
    description = ""


class MaterialVersionFactory(Factory):
    class Meta:
        model = MaterialVersion

    material = factory.SubFactory(MaterialFactory)
    number = 1
    filename = factory.Sequence(lambda n: f"summary-{n}.pdf")
    content_type = "application/pdf"
    size_bytes = 1024
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    storage_key = factory.Sequence(lambda n: f"{n:032x}.pdf")
    note = ""
    downloads = 0
