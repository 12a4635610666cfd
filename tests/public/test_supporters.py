"""Public pledge figures: totals on the home page, supporters by country, residents' pledges."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from campaign.db import utcnow
from campaign.extensions import db
from campaign.pledges import counters
from campaign.pledges.models import Pledge
from tests.factories import PledgeFactory, state


def _pledge(name: str, email: str, iso3: str | None, **values: object) -> Pledge:
    pledge = PledgeFactory(
        name=name,
        email=email,
        email_canonical=email,
        country=state(iso3) if iso3 else None,
        confirmed=True,
        **values,
    )
    counters.sync_count(pledge)
    return pledge


def _organisation(name: str, moderation: str, iso3: str | None) -> Pledge:
    pledge = PledgeFactory(
        organisational=True,
        confirmed=True,
        name="Contact Person",
        email=f"{moderation}@org.example",
        email_canonical=f"{moderation}@org.example",
        organisation_name=name,
        moderation=moderation,
        is_public=True,
        country=state(iso3) if iso3 else None,
    )
    counters.sync_count(pledge)
    return pledge


def test_home_and_state_pages_show_counts(app: Flask, client: FlaskClient) -> None:
    _pledge("Amina Hassan", "a@example.org", "MEX", is_public=True)
    _pledge("Boris", "b@example.org", "MEX")
    _pledge("Chen", "c@example.org", None)
    _organisation("Sin Fronteras", "approved", "MEX")
    _organisation("Pending Org", "pending", "MEX")
    counters.set_offline_count(state=state("MEX"), count=40)
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "<strong>44</strong> pledges of support: 3 people online" in home
    assert "40 on paper, and 1 organisations" in home
    mexico = client.get("/states/MEX").get_data(as_text=True)
    assert "2 people online, 40 on paper" in mexico and "and 1 organisations" in mexico


def test_supporters_list_only_consenting_and_approved(app: Flask, client: FlaskClient) -> None:
    _pledge("Amina Hassan", "a@example.org", "MEX", is_public=True)
    _pledge("Boris Secret", "b@example.org", "MEX", is_public=False)
    _pledge("أمينة 𝔘", "r@example.org", "MEX", is_public=True)
    _pledge("Withdrawn Person", "w@example.org", "MEX", is_public=True, withdrawn_at=utcnow())
    _organisation("Sin Fronteras", "approved", "MEX")
    _organisation("Rejected Org", "rejected", None)
    db.session.commit()
    page = client.get("/supporters").get_data(as_text=True)
    assert "Sin Fronteras" in page and "Rejected Org" not in page
    assert "Amina" not in page  # individuals are only counted here
    listed = client.get("/supporters/MEX").get_data(as_text=True)
    assert "<bdi>Amina</bdi>, Mexico" in listed and "Hassan" not in listed
    assert "<bdi>أمينة</bdi>" in listed
    assert "Boris" not in listed and "Withdrawn" not in listed
    assert "a@example.org" not in listed


def test_unknown_supporter_country_is_404(app: Flask, client: FlaskClient) -> None:
    for code in ("XXX", "MEXI", "<s>", "123"):
        assert client.get(f"/supporters/{code}").status_code == 404
