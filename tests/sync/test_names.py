"""Participant names map to the registry's states tolerantly, and never by guesswork."""

from __future__ import annotations

import pytest
from flask import Flask

from campaign.sync import queries
from campaign.sync.names import NameIndex, exact_key, fold


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("St. Vincent and the Grenadines", "VCT"),
        ("Saint Vincent and the Grenadines", "VCT"),
        ("St Vincent & the Grenadines", "VCT"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("TÜRKIYE", "TUR"),
        ("Turkiye", "TUR"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Bolivia", "BOL"),
        ("Plurinational State of Bolivia", "BOL"),
        ("  Venezuela   (Bolivarian Republic of) ", "VEN"),
        ("Syrian Arab Republic", "SYR"),
        ("Syria", "SYR"),
        ("Guinea Bissau", "GNB"),
        ("Sao Tomé and Príncipe", "STP"),
        ("Congo Republic", "COG"),
        ("Democratic Republic of the Congo", "COD"),
    ],
)
def test_names_fold_to_their_state(app: Flask, name: str, iso3: str) -> None:
    state = NameIndex(queries.registry_states()).find(name)
    assert state is not None and state.iso3 == iso3


@pytest.mark.parametrize("name", ["Atlantis", "Holy See", "Congo", "Guinea Bissau Republic", ""])
def test_unknown_or_ambiguous_names_match_nothing(app: Flask, name: str) -> None:
    assert NameIndex(queries.registry_states()).find(name) is None


def test_folding_rules() -> None:
    assert fold("St. Kitts-and-Nevis") == "saint kitts and nevis"
    assert exact_key("Bolivia (Plurinational State of)") == "bolivia plurinational state of"
    assert fold("Saint Lucia") == fold("St. Lucia") == fold("ST LUCIA")
