"""Subscribing on a page in another language: the mails' language and links follow the page."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.mail import compose
from campaign.notifications import messages
from campaign.notifications.models import Subscription
from tests.notifications.helpers import outbox_rows
from tests.support.auth import csrf_from

SITE = "http://127.0.0.1:5000"
VALID = {"email": "ana@example.org", "frequency": "weekly", "alerts": "all"}


def test_the_page_language_wins_over_the_browser_language(client: FlaskClient) -> None:
    page = client.get("/fr/subscriptions/", headers={"Accept-Language": "es, en;q=0.5"})
    assert '<option selected value="fr">' in page.get_data(as_text=True)


def test_a_subscription_from_a_french_page_gets_french_links(client: FlaskClient) -> None:
    token = csrf_from(client, "/fr/subscriptions/")
    response = client.post(
        "/fr/subscriptions/", data={**VALID, "locale": "fr", "csrf_token": token}
    )
    assert response.status_code == 302
    [subscription] = db.session.scalars(select(Subscription)).all()
    assert subscription.locale == "fr"
    [mail] = outbox_rows("subscription-confirm:")
    for body in (mail.body_text, mail.body_html or ""):
        assert f"{SITE}/fr/subscriptions/confirm/" in body


def test_links_and_dates_of_a_mail_in_another_language(app: Flask) -> None:
    english = messages.subscriber_links(42)
    french = messages.subscriber_links(42, "fr")
    assert english["preferences_url"].startswith(f"{SITE}/subscriptions/preferences/")
    assert french["preferences_url"].startswith(f"{SITE}/fr/subscriptions/preferences/")
    assert compose.link("/states", "xx") == f"{SITE}/states"  # unknown: English
    assert compose.long_date(dt.date(2026, 12, 18)) == "18 December 2026"
    subject = compose.subject("task_due", "en", due="4 December 2026", title="A\nletter")
    assert subject == "Due on 4 December 2026: A letter"


def test_follow_this_state_preselects_it(client: FlaskClient) -> None:
    page = client.get("/subscriptions/?state=mex").get_data(as_text=True)
    assert re.search(r'<option selected value="MEX">|<option value="MEX" selected>', page)
    assert re.search(r'value="followed"[^>]*checked|checked[^>]*value="followed"', page)
    for odd in ("XXX", "<script>", "M" * 500, ""):
        page = client.get("/subscriptions/", query_string={"state": odd}).get_data(as_text=True)
        assert " selected" not in page.split('name="states"', 1)[1].split("</select>")[0]
