"""The few seconds' cache of public pages: who gets a copy, what is kept, and for how long."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import Client

from campaign.extensions import db
from campaign.public.response_cache import MAX_ENTRIES, ResponseCache
from campaign.states.models import State
from campaign.states.services import Act, record_status_change
from tests.conftest import make_app

SOURCE = "https://treaties.un.org/doc/Publication/CN/2026/CN.1.2026-Eng.pdf"


class Origin:
    """A WSGI app that counts its calls and answers what it is told to."""

    def __init__(self) -> None:
        self.calls = 0
        self.status = "200 OK"
        self.headers: list[tuple[str, str]] = [("Content-Type", "text/html; charset=utf-8")]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.calls += 1
        start_response(self.status, [*self.headers, ("X-RateLimit-Remaining", "9")])
        return [f"call {self.calls} {environ['PATH_INFO']}".encode()]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def parts() -> tuple[Origin, Clock, Client]:
    origin, clock = Origin(), Clock()
    return origin, clock, Client(ResponseCache(origin, 5, clock=clock), use_cookies=False)


def test_a_repeat_within_the_time_is_a_copy_and_after_it_fresh(
    parts: tuple[Origin, Clock, Client],
) -> None:
    origin, clock, client = parts
    assert client.get("/fr/states/MEX").get_data() == b"call 1 /fr/states/MEX"
    clock.now += 4.9
    copy = client.get("/fr/states/MEX")
    assert copy.get_data() == b"call 1 /fr/states/MEX" and origin.calls == 1
    assert "X-RateLimit-Remaining" not in copy.headers  # per client: never replayed
    clock.now += 0.2
    assert client.get("/fr/states/MEX").get_data() == b"call 2 /fr/states/MEX"


@pytest.mark.parametrize(
    ("path", "environ"),
    [
        ("/", {"HTTP_COOKIE": "session=abc"}),
        ("/", {"HTTP_IF_NONE_MATCH": '"x"'}),
        ("/", {"HTTP_IF_MODIFIED_SINCE": "Tue, 01 Dec 2026 00:00:00 GMT"}),
        ("/?utm=1", {}),
        ("/states", {}),
        ("/states/mex", {}),
        ("/pledge/individual", {}),
        ("/xx/", {}),
        ("/states/MEX/../../admin/", {}),
    ],
)
def test_what_always_reaches_the_application(
    parts: tuple[Origin, Clock, Client], path: str, environ: dict[str, str]
) -> None:
    origin, _, client = parts
    client.get(path, environ_overrides=environ)
    client.get(path, environ_overrides=environ)
    assert origin.calls == 2


def test_a_post_an_error_and_a_set_cookie_are_never_kept(
    parts: tuple[Origin, Clock, Client],
) -> None:
    origin, _, client = parts
    client.post("/")
    client.post("/")
    assert origin.calls == 2
    origin.status = "500 INTERNAL SERVER ERROR"
    client.get("/")
    client.get("/")
    assert origin.calls == 4
    origin.status, origin.headers = "200 OK", [("Set-Cookie", "session=new")]
    client.get("/")
    client.get("/")
    assert origin.calls == 6


def test_hosts_are_kept_apart_and_the_cache_stays_bounded(
    parts: tuple[Origin, Clock, Client],
) -> None:
    origin, _, client = parts
    client.get("/", headers={"Host": "a.example"})
    client.get("/", headers={"Host": "b.example"})
    assert origin.calls == 2
    for n in range(MAX_ENTRIES + 10):
        client.get("/", headers={"Host": f"h{n}.example"})
    cache = client.application
    assert isinstance(cache, ResponseCache) and len(cache._copies) <= MAX_ENTRIES


def test_in_the_application_anonymous_readers_share_a_copy_and_others_do_not(
    service_env: dict[str, str], app: Flask
) -> None:
    cached = make_app(service_env, PUBLIC_CACHE_SECONDS=3600)
    anonymous = Client(cached)
    before = anonymous.get("/").get_data(as_text=True)
    assert "<strong>60</strong> parties" in before
    brazil = db.session.scalars(select(State).filter_by(iso3="BRA")).one()
    act = Act("accession", dt.date(2026, 11, 30), "Depositary notification", SOURCE)
    record_status_change(state=brazil, act=act, recorded_by=None, via="seed", alert=False)
    db.session.commit()
    assert anonymous.get("/").get_data(as_text=True) == before  # a copy, for a while
    fresh = (
        Client(cached, use_cookies=False)
        .get("/", environ_overrides={"HTTP_COOKIE": "session=x"})
        .get_data(as_text=True)
    )
    assert "<strong>61</strong> parties" in fresh
    assert "<strong>61</strong> parties" in Client(cached).get("/?fresh=1").get_data(as_text=True)
