"""A partner's page on another origin frames the pledge and a reader signs in the frame, in
real Chromium, without a single cookie being set (so a browser that blocks third-party cookies
signs the same way); the same page cannot frame any other page of the site, and a page on an
origin that was not registered cannot frame the pledge."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Browser, Frame, Page
from sqlalchemy import select

from campaign.embed.models import EmbedOrigin
from campaign.extensions import db
from campaign.pledges.models import Pledge
from tests.factories import OrganisationFactory
from tests.support.live import LiveServer
from tests.support.servers import free_port


class PartnerSite:
    """A partner's web site on http://localhost:<port>: one page with the iframes given."""

    def __init__(self) -> None:
        self.port = free_port()
        self.origin = f"http://localhost:{self.port}"
        self.pages: dict[str, str] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.pages.get(self.path, "not found").encode()
                self.send_response(200 if self.path in site.pages else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str, *frames: str) -> str:
        iframes = "".join(
            f'<iframe name="f{i}" src="{src}" width="400" height="900"></iframe>'
            for i, src in enumerate(frames)
        )
        self.pages[path] = f"<!doctype html><title>Partner</title><h1>Partner</h1>{iframes}"
        return f"{self.origin}{path}"


@pytest.fixture
def partner_site() -> Iterator[PartnerSite]:
    site = PartnerSite()
    yield site
    site.server.shutdown()


def _frame(page: Page, name: str) -> Frame:
    frame = page.frame(name=name)
    assert frame is not None, [(f.name, f.url) for f in page.frames]
    return frame


def test_a_registered_partner_frames_the_pledge_and_a_reader_signs(
    committed: Any,
    live_server: LiveServer,
    partner_site: PartnerSite,
    fresh_limits: None,
    browser: Browser,
) -> None:
    organisation = OrganisationFactory(name="Framing Partner")
    db.session.flush()
    db.session.add(EmbedOrigin(organisation_id=organisation.id, origin=partner_site.origin))
    db.session.commit()
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        url = partner_site.page(
            "/join",
            f"{live_server.url}/embed/pledge?org={organisation.id}",
            f"{live_server.url}/pledge/individual",
        )
        page.goto(url)
        embed = _frame(page, "f0")
        embed.wait_for_selector("#name")
        embed.fill("#name", "Nadia Framed")
        embed.fill("#email", "nadia.framed@example.org")
        embed.select_option("#country", "SEN")
        embed.check("#accept_privacy")
        embed.locator("form button[type=submit]").click()
        embed.wait_for_selector("text=Check your email")
        assert context.cookies() == []  # nothing was set, first- or third-party

        # The full site's own form, framed by the same page, never loads: no frame has a
        # pledge form now (the embed's shows its thanks). A refused frame may lose its name.
        assert [f.url for f in page.frames if f.locator("#name").count()] == []
    finally:
        context.close()
    db.session.expire_all()
    stored = db.session.scalars(select(Pledge).filter_by(email="nadia.framed@example.org")).one()
    assert stored.confirmed_at is None and stored.country is not None


def test_an_unregistered_origin_cannot_frame_the_pledge(
    committed: Any, live_server: LiveServer, partner_site: PartnerSite, browser: Browser
) -> None:
    organisation = OrganisationFactory(name="Someone Else")
    db.session.flush()
    db.session.add(EmbedOrigin(organisation_id=organisation.id, origin="https://partner.example"))
    db.session.commit()
    context = browser.new_context()
    page = context.new_page()
    try:
        # "load" waits for every frame of the page, the refused one included.
        page.goto(
            partner_site.page("/steal", f"{live_server.url}/embed/pledge?org={organisation.id}"),
            wait_until="load",
        )
        assert [f.url for f in page.frames if f.locator("#name").count()] == []
    finally:
        context.close()
