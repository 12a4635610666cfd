"""What people do on a phone, in real Chromium: sign in French and confirm from the mail, read
the site in Arabic right to left, and see the map's colours."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, Page

from campaign.extensions import db
from campaign.pledges.models import PledgeCounter
from tests.support.live import LiveServer
from tests.support.mail import text_part
from tests.support.servers import SmtpSink
from tests.support.worker import CeleryWorker

FRENCH_LINK = re.compile(r"(http://127\.0\.0\.1:\d+/fr/pledge/confirm/[\w.\-]+)")
PARTY, SIGNATORY, NONE = "rgb(26, 127, 55)", "rgb(179, 89, 0)", "rgb(183, 183, 183)"


def in_language(app: Flask, code: str, message: str, **values: Any) -> str:
    """What *message* reads as in *code*; it must be translated (not the English text)."""
    with app.test_request_context(), force_locale(code):
        translated = gettext(message, **values)
    assert translated != message % values if values else translated != message
    return translated


def _online(scope: str) -> int:
    db.session.expire_all()
    counter = db.session.get(PledgeCounter, (scope, "individual"))
    return counter.online if counter is not None else 0


def _pledge_count(page: Page) -> int:
    strong = page.locator("main p strong").filter(has_text=re.compile(r"^\d+$")).first
    return int(strong.inner_text())


def test_sign_in_french_confirm_from_the_mail_and_see_the_count_move(
    app: Flask,
    live_server: LiveServer,
    worker: CeleryWorker,
    smtp_sink: SmtpSink,
    fresh_limits: None,
    page: Page,
) -> None:
    page.goto(f"{live_server.url}/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    before = _pledge_count(page)
    page.get_by_role(
        "link", name=in_language(app, "fr", "Sign the pledge as an individual")
    ).click()
    assert page.url.endswith("/fr/pledge/individual")
    page.fill("#name", "Aminata Diallo")
    page.fill("#email", "aminata.browser@example.org")
    page.select_option("#country", "SEN")
    page.check("#accept_privacy")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/fr/pledge/check-your-email$"))

    [mail] = smtp_sink.wait_for(1)
    assert mail["X-Envelope-To"] == "aminata.browser@example.org"
    assert mail["Subject"] == in_language(app, "fr", "Please confirm your pledge of support")
    link = FRENCH_LINK.search(text_part(mail))
    assert link, text_part(mail)
    assert _online("SEN") == 0

    page.goto(link.group(1))
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator("main form button[type=submit]").click()
    heading = in_language(app, "fr", "Thank you: your pledge is confirmed")
    assert page.locator("h1").inner_text() == heading
    assert _online("SEN") == 1

    page.goto(f"{live_server.url}/fr/")
    assert _pledge_count(page) == before + 1


def test_arabic_reads_right_to_left_with_mirrored_navigation(
    live_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ar/states")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        items = page.locator("nav.main-nav li").all()
        first, second = items[0].bounding_box(), items[1].bounding_box()
        assert first and second and first["x"] > second["x"]  # the first item on the right
        brand = page.locator(".brand").bounding_box()
        assert brand and brand["x"] + brand["width"] > 1280 / 2  # the brand starts on the right
        cell = page.locator("table.states th[scope=row]").first
        assert cell.evaluate("c => getComputedStyle(c).textAlign") in ("start", "right")

        page.goto(f"{live_server.url}/fr/states")  # and French is left to right again
        items = page.locator("nav.main-nav li").all()
        first, second = items[0].bounding_box(), items[1].bounding_box()
        assert first and second and first["x"] < second["x"]
    finally:
        context.close()


def test_the_map_colours_party_signatory_and_no_action(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/map")
    fill = "e => getComputedStyle(e).fill"
    assert page.locator('a[data-iso3="MEX"] path').evaluate(fill) == PARTY
    assert page.locator('a[data-iso3="ARM"] path').evaluate(fill) == SIGNATORY
    assert page.locator('a[data-iso3="BRA"] path').evaluate(fill) == NONE
    page.locator('a[data-iso3="MEX"]').click()
    page.wait_for_url(re.compile(r"/states/MEX$"))
    assert page.locator("h1").inner_text() == "Mexico"
