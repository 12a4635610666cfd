"""An official's journey over real HTTP, with the real worker and SMTP server: sign, confirm
from the mail, verified by a coordinator, then listed (and never before)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import select

from campaign.endorsements.models import Endorsement
from campaign.endorsements.services import review_endorsement
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from tests.endorsements.helpers import OFFICIAL
from tests.support.auth import make_user
from tests.support.live import LiveServer, csrf_token, get_form
from tests.support.mail import text_part
from tests.support.servers import SmtpSink
from tests.support.worker import CeleryWorker

LINK = re.compile(r"(http://127\.0\.0\.1:\d+/endorsement/confirm/[\w.\-]+)")


def test_sign_confirm_by_mail_verify_and_list(
    live_server: LiveServer, worker: CeleryWorker, smtp_sink: SmtpSink, fresh_limits: None
) -> None:
    browser = requests.Session()
    form = f"{live_server.url}/pledge/official"
    data = {**OFFICIAL, "name": "Lucía لوسيا 𝔘", "email": "lucia.journey@example.org"}
    response = browser.post(
        form,
        data={"csrf_token": get_form(browser, form), **data},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/endorsement/check-your-email")

    [mail] = smtp_sink.wait_for(1)
    assert mail["X-Envelope-To"] == "lucia.journey@example.org"
    assert mail["Subject"] == "Please confirm your endorsement of the Convention"
    match = LINK.search(text_part(mail))
    assert match, text_part(mail)
    page = browser.get(match.group(1), timeout=30)  # a mail scanner: confirms nothing
    assert page.status_code == 200 and "Confirm my endorsement" in page.text
    confirmed = browser.post(match.group(1), data={"csrf_token": csrf_token(page.text)}, timeout=30)
    assert confirmed.status_code == 200 and "your endorsement is confirmed" in confirmed.text

    supporters = f"{live_server.url}/supporters/MEX"
    assert "Lucía لوسيا 𝔘" not in browser.get(supporters, timeout=30).text  # not verified yet
    endorsement = db.session.scalars(select(Endorsement)).one()
    assert endorsement.confirmed_at is not None
    review_endorsement(
        endorsement=endorsement, verify=True, reason="", actor=make_user("coordinator")
    )
    db.session.commit()
    listed = browser.get(supporters, timeout=30).text
    assert "Lucía لوسيا 𝔘" in listed and "lucia.journey" not in listed
    api = browser.get(f"{live_server.url}/api/v1/endorsements?state=MEX", timeout=30).json()
    assert [e["name"] for e in api] == ["Lucía لوسيا 𝔘"]


def test_ten_identical_submissions_at_once_make_one_endorsement_and_one_mail(
    live_server: LiveServer, worker: CeleryWorker, smtp_sink: SmtpSink, fresh_limits: None
) -> None:
    form = f"{live_server.url}/pledge/official"
    email = "surge.official@example.org"
    # Ten: the most one client may send in a minute (POST_LIMIT) before a 429.
    sessions = [requests.Session() for _ in range(10)]
    tokens = [get_form(s, form) for s in sessions]
    start = threading.Barrier(10)

    def submit(index: int) -> int:
        start.wait()
        data = {"csrf_token": tokens[index], **OFFICIAL, "email": email}
        return sessions[index].post(form, data=data, allow_redirects=False, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        assert set(pool.map(submit, range(10))) == {302}
    [row] = db.session.scalars(select(Endorsement).filter_by(email=email)).all()
    queued = select(OutboundEmail).where(
        OutboundEmail.idempotency_key.startswith(f"endorsement-confirm:{row.id}:")
    )
    assert len(db.session.scalars(queued).all()) == 1  # the others within the resend cooldown
    [mail] = smtp_sink.wait_for(1)
    assert mail["X-Envelope-To"] == email
