"""The road's pages are well-formed HTML in every language (html5lib's strict parser), with
stages, changes and proposals on them."""

from __future__ import annotations

from collections.abc import Callable

import html5lib
import pytest
from flask.testing import FlaskClient

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.road import services
from tests.factories import state
from tests.road.helpers import move, partner_of
from tests.support.auth import log_in, make_user

PREFIXES = ("", "/fr", "/es", "/ru", "/ar", "/zh")


def _parses(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(response.get_data(as_text=True))
    except html5lib.html5parser.ParseError as error:
        raise AssertionError(f"{path}: {error}") from error


def _history() -> User:
    """A confirmed change and a proposal for Brazil; the partner who proposed it."""
    coordinator = make_user("coordinator", email="recorder@example.org")
    services.record_stage_change(state=state("BRA"), move=move(), actor=coordinator)
    partner = partner_of("BRA")
    services.propose_stage_change(
        state=state("BRA"), move=move("before_parliament"), partner=partner
    )
    db.session.commit()
    return partner


@pytest.mark.parametrize("prefix", PREFIXES)
def test_public_pages_parse(client: FlaskClient, prefix: str) -> None:
    _history()
    _parses(client, f"{prefix}/road-to-ratification")
    _parses(client, f"{prefix}/states/BRA")
    _parses(client, f"{prefix}/subscriptions/")


def test_back_office_and_portal_pages_parse(
    client: FlaskClient, new_client: Callable[[], FlaskClient]
) -> None:
    partner = _history()
    log_in(client, make_user("admin"))
    for path in ("/admin/road/", "/admin/road/stages", "/admin/states/BRA", "/admin/states"):
        _parses(client, path)
    _parses(client, "/admin/outreach?stage=none")
    browser = new_client()
    log_in(browser, partner)
    _parses(browser, "/partner/road/BRA")
    _parses(browser, "/partner/")
