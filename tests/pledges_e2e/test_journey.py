"""The pledge journey over real HTTP with the real worker and SMTP server."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.pledges.models import Pledge, PledgeCounter
from tests.support.live import LiveServer, csrf_token, get_form
from tests.support.mail import text_part
from tests.support.servers import SmtpSink
from tests.support.worker import CeleryWorker

LINK = re.compile(r"(http://127\.0\.0\.1:\d+/pledge/confirm/[\w.\-]+)")


def _form(email: str, **extra: str) -> dict[str, str]:
    return {
        "name": "Amina أمينة 𝔘",
        "email": email,
        "country": "MEX",
        "accept_privacy": "y",
        "is_public": "y",
        **extra,
    }


def _counted(scope: str) -> int:
    db.session.expire_all()
    counter = db.session.get(PledgeCounter, (scope, "individual"))
    return counter.online if counter is not None else 0


def test_sign_confirm_by_mail_and_count(
    live_server: LiveServer, worker: CeleryWorker, smtp_sink: SmtpSink, fresh_limits: None
) -> None:
    browser = requests.Session()
    token = get_form(browser, f"{live_server.url}/pledge/individual")
    response = browser.post(
        f"{live_server.url}/pledge/individual",
        data={"csrf_token": token, **_form("amina.journey@example.org")},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/pledge/check-your-email")
    assert _counted("MEX") == 0

    [mail] = smtp_sink.wait_for(1)
    assert mail["X-Envelope-To"] == "amina.journey@example.org"
    match = LINK.search(text_part(mail))
    assert match, text_part(mail)
    link = match.group(1)

    page = browser.get(link, timeout=30)  # what a mail scanner does: must not confirm
    assert page.status_code == 200 and "Confirm my pledge" in page.text
    pledge = db.session.scalars(select(Pledge).filter_by(email="amina.journey@example.org")).one()
    assert pledge.confirmed_at is None
    assert _counted("MEX") == 0

    confirmed = browser.post(link, data={"csrf_token": csrf_token(page.text)}, timeout=30)
    assert confirmed.status_code == 200
    assert "your pledge is confirmed" in confirmed.text
    assert _counted("MEX") == 1
    again = browser.post(link, data={"csrf_token": csrf_token(page.text)}, timeout=30)
    assert again.status_code == 200
    assert _counted("MEX") == 1


def test_fifty_identical_submissions_make_one_pledge_and_one_mail(
    live_server: LiveServer, worker: CeleryWorker, smtp_sink: SmtpSink, fresh_limits: None
) -> None:
    email = "surge.same@example.org"
    sessions = [requests.Session() for _ in range(50)]
    tokens = [get_form(s, f"{live_server.url}/pledge/individual") for s in sessions]
    start = threading.Barrier(50)

    def submit(index: int) -> tuple[int, str]:
        start.wait()
        response = sessions[index].post(
            f"{live_server.url}/pledge/individual",
            data={"csrf_token": tokens[index], **_form(email)},
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code, response.headers.get("Location", "")

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(submit, range(50)))

    assert len(set(results)) == 1, set(results)
    assert results[0][0] == 302
    count = db.session.scalar(select(func.count()).select_from(Pledge).filter_by(email=email))
    assert count == 1
    # Queue a sentinel pledge behind them; once its mail arrives, every earlier job has run.
    sentinel = requests.Session()
    token = get_form(sentinel, f"{live_server.url}/pledge/individual")
    sentinel.post(
        f"{live_server.url}/pledge/individual",
        data={"csrf_token": token, **_form("sentinel.surge@example.org")},
        allow_redirects=False,
        timeout=30,
    )
    smtp_sink.wait_for(2)
    wait_for_sentinel = [m for m in smtp_sink.messages if "sentinel" in m["X-Envelope-To"]]
    assert wait_for_sentinel
    assert len(smtp_sink.to(email)) == 1
