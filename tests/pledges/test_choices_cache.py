"""The country choices of the pledge forms: in the page's language, cached per language."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.pledges import queries
from campaign.pledges.forms import _codes_of
from campaign.pledges.queries import _sort_key
from campaign.settings.services import ProcessCache
from campaign.states.models import State
from tests.factories import StateFactory
from tests.public.test_query_budget import statements

OPTION = re.compile(r'<option[^>]*value="([A-Z]{3})"[^>]*>([^<]*)</option>')
STATES_TABLE = re.compile(r"\bstates\b")


@pytest.fixture
def cached(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(app.config, "RUNTIME_CACHE_SECONDS", 5)
    ProcessCache.clear_every()
    yield
    ProcessCache.clear_every()


def _choices(client: FlaskClient, prefix: str) -> list[tuple[str, str]]:
    page = client.get(f"{prefix}/pledge/individual")
    assert page.status_code == 200
    return [
        (iso3, html.unescape(name)) for iso3, name in OPTION.findall(page.get_data(as_text=True))
    ]


def test_english_choices_are_the_registry_names_in_order(client: FlaskClient) -> None:
    registry = db.session.execute(select(State.iso3, State.name).order_by(State.name)).all()
    assert _choices(client, "") == [tuple(row) for row in registry]


@pytest.mark.parametrize(
    ("prefix", "iso3", "name"),
    [("/fr", "DEU", "Allemagne"), ("/es", "DEU", "Alemania"), ("/ru", "DEU", "Германия")],
)
def test_choices_are_named_and_sorted_in_the_page_language(
    client: FlaskClient, prefix: str, iso3: str, name: str
) -> None:
    choices = _choices(client, prefix)
    assert len(choices) == 193 and (iso3, name) in choices
    names = [choice_name for _, choice_name in choices]
    assert names == sorted(names, key=_sort_key)


def test_accented_names_sort_with_their_letter_in_french(client: FlaskClient) -> None:
    names = [name for _, name in _choices(client, "/fr")]
    assert names.index("Danemark") < names.index("Égypte") < names.index("Espagne")


def test_each_language_is_cached_apart(app: Flask, client: FlaskClient, cached: None) -> None:
    french, spanish = _choices(client, "/fr"), _choices(client, "/es")
    assert french != spanish
    with statements(app) as seen:
        assert _choices(client, "/fr") == french
        assert _choices(client, "/es") == spanish
    assert not [s for s in seen if STATES_TABLE.search(s)], seen


def test_a_renamed_state_shows_at_once(app: Flask, client: FlaskClient, cached: None) -> None:
    assert ("MEX", "Mexico") in _choices(client, "")
    state = db.session.scalars(select(State).filter_by(iso3="MEX")).one()
    state.name = "Mexico (United Mexican States)"
    db.session.flush()
    assert ("MEX", "Mexico (United Mexican States)") in _choices(client, "")


def test_the_chosen_state_joins_the_session_without_a_query(app: Flask, cached: None) -> None:
    with app.test_request_context():
        first = queries.state_for_choice("BRA")
        with statements(app) as seen:
            again = queries.state_for_choice("BRA")
    assert first is again and first is not None and first in db.session
    assert (first.iso3, first.name, first.iso2) == ("BRA", "Brazil", "BR")
    assert seen == []
    assert queries.state_for_choice("---") is None


def test_the_chosen_states_id_comes_without_a_query(app: Flask, cached: None) -> None:
    brazil = db.session.scalars(select(State.id).filter_by(iso3="BRA")).one()
    with app.test_request_context():
        assert queries.state_id_for_choice("BRA") == brazil
        with statements(app) as seen:
            assert queries.state_id_for_choice("BRA") == brazil
            assert queries.state_id_for_choice("---") is None
    assert seen == []


def test_a_state_added_is_found_at_once(app: Flask, cached: None) -> None:
    """The kept id map is dropped when a state is written in this process (the registry's
    ISO codes change a few times a decade: South Sudan, 2011)."""
    with app.test_request_context():
        assert queries.state_id_for_choice("BRA") is not None
        new = StateFactory()
        db.session.flush()
        with statements(app) as seen:
            assert queries.state_id_for_choice(new.iso3) == new.id
            assert queries.state_id_for_choice(new.iso3) == new.id
    assert len(seen) == 1  # the map read again once, then kept


def test_a_form_works_out_the_codes_of_the_kept_list_once(app: Flask, cached: None) -> None:
    with app.test_request_context():
        choices = queries.country_choices()
        assert queries.country_choices() is choices  # the kept list itself, not a copy
        codes = _codes_of(choices)
        assert _codes_of(choices) is codes
    assert {"MEX", "BRA", "", "---"} <= codes and len(codes) == len(choices) + 2


FIXED = re.compile(r'<option[^>]*value="(|---)"[^>]*>([^<]*)</option>')


@pytest.mark.parametrize(
    ("path", "choose", "none"),
    [
        ("/pledge/individual", "Choose…", "Other country, or prefer not to say"),
        ("/fr/pledge/individual", "Choisir…", "Autre pays, ou je préfère ne pas le dire"),
        ("/pledge/organisation", "Choose…", "International, or other"),
        ("/fr/pledge/individual", "Choisir…", "Autre pays, ou je préfère ne pas le dire"),
        ("/pledge/individual", "Choose…", "Other country, or prefer not to say"),
    ],
)
def test_the_two_fixed_choices_are_kept_per_language_and_form(
    client: FlaskClient, cached: None, path: str, choose: str, none: str
) -> None:
    """The fixed choices are put together with the kept list once per list, label and language:
    each page still shows its own form's label, in its own language."""
    for _ in range(2):
        page = client.get(path).get_data(as_text=True)
        fixed = [(value, html.unescape(text)) for value, text in FIXED.findall(page)]
        assert ("", choose) in fixed and ("---", none) in fixed, fixed
        assert all(text in (choose, none) for _, text in fixed), fixed
