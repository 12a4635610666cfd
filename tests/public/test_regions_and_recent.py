"""Recent changes on the home page, partners and the follow link on a state page, region pages,
and names and dates in the reader's language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.i18n.localised import number
from campaign.states.models import REGIONS, State
from campaign.states.services import Act, correct_status_change, record_status_change
from tests.factories import OrganisationFactory, PartnershipFactory, state

RECENT = re.compile(r'<ul class="recent">(.*?)</ul>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
SOURCE = "https://treaties.un.org/doc/Publication/CN/2026/CN.1.2026-Eng.pdf"


def _recent(client: FlaskClient, prefix: str = "") -> list[str]:
    match = RECENT.search(client.get(f"{prefix}/").get_data(as_text=True))
    assert match is not None
    return [" ".join(TAG.sub("", item).split()) for item in match.group(1).split("</li>")[:-1]]


def test_home_lists_the_most_recent_acts_first(client: FlaskClient) -> None:
    recent = _recent(client)
    assert len(recent) == 5
    assert recent[0] == "5 November 2024: Zimbabwe, Accession"


def test_a_new_act_tops_the_list_and_a_retracted_one_leaves_it(client: FlaskClient) -> None:
    act = Act("signature", dt.date(2026, 9, 1), "Depositary notification", SOURCE)
    change = record_status_change(state=state("BRA"), act=act, recorded_by=None, via="seed")
    assert change is not None
    db.session.commit()
    assert _recent(client)[0] == "1 September 2026: Brazil, Signature"

    correct_status_change(
        change=change,
        source="Corrigendum",
        recorded_by=None,
        effective_on=dt.date(2026, 8, 30),
        via="sync",
    )
    db.session.commit()
    assert _recent(client)[0] == "30 August 2026: Brazil, Signature"

    correct_status_change(
        change=change, source="Withdrawn", recorded_by=None, retract=True, via="sync"
    )
    db.session.commit()
    assert all("Brazil" not in line for line in _recent(client))


def test_home_links_every_region_and_the_map(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    for region in REGIONS:
        assert f'href="/regions/{region}"' in page
    assert 'href="/map"' in page


def test_region_page_groups_states_by_subregion_with_counts(client: FlaskClient) -> None:
    response = client.get("/regions/Africa")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    africa = db.session.scalars(select(State).filter_by(region="Africa")).all()
    parties = sum(member.status == "party" for member in africa)
    assert f"<strong>{parties}</strong> parties of {len(africa)} states" in page
    assert "<h2" in page and "Western Africa" in page and "Northern Africa" in page
    assert len(re.findall(r'<th scope="row"><a href="/states/', page)) == len(africa)
    assert 'aria-current="page">Africa</a>' in page


@pytest.mark.parametrize("region", ["Antarctica", "africa", "<script>", "A" * 300, "%00"])
def test_unknown_region_is_not_found(client: FlaskClient, region: str) -> None:
    response = client.get(f"/regions/{region}")
    assert response.status_code == 404
    assert "<script>" not in response.get_data(as_text=True)


def test_state_page_names_its_partners_and_offers_to_follow(client: FlaskClient) -> None:
    lead = OrganisationFactory(name="Conectas Direitos Humanos")
    PartnershipFactory(organisation=lead, state=state("BRA"), role="lead")
    PartnershipFactory(organisation=OrganisationFactory(name="Missão Paz"), state=state("BRA"))
    db.session.commit()
    page = client.get("/states/BRA").get_data(as_text=True)
    partners = re.search(r'<ul class="partners">(.*?)</ul>', page, re.DOTALL)
    assert partners is not None
    items = [" ".join(TAG.sub("", i).split()) for i in partners.group(1).split("</li>")[:-1]]
    assert items == ["Conectas Direitos Humanos (Lead partner)", "Missão Paz (Partner)"]
    assert 'href="/subscriptions/?state=BRA"' in page
    assert "No national partner" in client.get("/states/MEX").get_data(as_text=True)


def test_pages_name_states_and_dates_in_the_reader_language(client: FlaskClient) -> None:
    page = client.get("/fr/states/MEX").get_data(as_text=True)
    assert "<h1>Mexique</h1>" in page
    assert '<time datetime="1999-03-08">8 mars 1999</time>' in page
    assert "<h1>المكسيك</h1>" in client.get("/ar/states/MEX").get_data(as_text=True)
    assert "<h1>墨西哥</h1>" in client.get("/zh/states/MEX").get_data(as_text=True)
    listed = client.get("/es/states").get_data(as_text=True)
    assert ">México</a>" in listed and ">Japón</a>" in listed
    assert "<title>Mexique : " in client.get("/fr/map").get_data(as_text=True) or (
        "<title>Mexique: " in client.get("/fr/map").get_data(as_text=True)
    )
    assert _recent(client, "/ru")[0].startswith("5 ноября 2024 г.: Зимбабве")


def test_numbers_are_written_as_the_language_writes_them(app: Flask) -> None:
    spaces = str.maketrans({"\u202f": " ", "\xa0": " "})
    assert number(1234567, "en") == "1,234,567"
    assert number(1234567, "fr").translate(spaces) == "1 234 567"
    assert number(1234567, "es").translate(spaces) in ("1.234.567", "1 234 567")
    assert number(1234567, "ru").translate(spaces) == "1 234 567"
