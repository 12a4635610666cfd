"""Login slowed per account as well as per client: guesses spread over many client addresses
against one account wait longer and longer (429 with Retry-After), the same for an address with
no account; an attempt after the wait is checked as usual, so the right password still logs in,
and the account's own browser is never slowed."""

from __future__ import annotations

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from campaign.accounts.devices import COOKIE
from campaign.ratelimits.login import login_attempt, login_delay
from tests.conftest import isolated_client
from tests.support.auth import PASSWORD, csrf_from, make_user
from tests.support.servers import RedisServer

LOGIN = "/account/login"
FIRST_WAIT = 60  # long enough that no wait runs out while a test runs: tests end it themselves


@pytest.fixture
def limits(
    app: Flask, fresh_limits: None, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> redis.Redis:
    """Fresh counters, waits of a minute and more, and the storage they are kept in."""
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_FIRST_DELAY_SECONDS", FIRST_WAIT)
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_MAX_DELAY_SECONDS", 200)
    return redis.Redis.from_url(redis_server.url(1))


def _let_the_wait_pass(store: redis.Redis) -> None:
    """Time moves on, through the storage: the waits after the attempts so far are over."""
    waits = list(store.scan_iter("*login-account/*/wait/*"))
    assert waits, "no wait to end"
    store.delete(*waits)


def _attempt(
    client: FlaskClient, email: str, password: str, address: str = "203.0.113.9"
) -> TestResponse:
    token = csrf_from(client, LOGIN)
    data = {"csrf_token": token, "email": email, "password": password}
    return client.post(LOGIN, data=data, environ_base={"REMOTE_ADDR": address})


def _spread_guesses(app: Flask, email: str, count: int, start: int = 1) -> list[int]:
    """*count* wrong guesses at *email*, each from another client address (a botnet)."""
    answers = []
    for number in range(start, start + count):
        client = isolated_client(app)
        answers.append(_attempt(client, email, "wrong guess", f"198.51.100.{number}").status_code)
    return answers


def _retry_after(app: Flask, email: str, address: str = "192.0.2.77") -> int:
    """The wait the next attempt at *email* is told of (it must be refused)."""
    response = _attempt(isolated_client(app), email, "wrong guess", address)
    assert response.status_code == 429
    return int(response.headers["Retry-After"])


def test_the_delays_by_default(app: Flask) -> None:
    """Five free; then 1 s, doubling, at most five minutes."""
    waits = [login_delay(attempts) for attempts in range(3, 16)]
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]


def test_guesses_from_many_addresses_are_delayed_per_account(
    app: Flask, limits: redis.Redis
) -> None:
    make_user("coordinator", "ada@example.org")
    answers = _spread_guesses(app, "ada@example.org", 8)
    assert answers == [401] * 5 + [429] * 3
    # A stranger with the right password, from yet another address, waits too.
    response = _attempt(isolated_client(app), "ada@example.org", PASSWORD, "192.0.2.77")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= FIRST_WAIT


def test_each_failure_doubles_the_wait_up_to_the_maximum(app: Flask, limits: redis.Redis) -> None:
    make_user("coordinator", "ada@example.org")
    assert _spread_guesses(app, "ada@example.org", 5) == [401] * 5
    waits = []
    for round_ in range(4):
        waits.append(_retry_after(app, "ada@example.org"))
        _let_the_wait_pass(limits)
        # After the wait the guess is checked as usual (and is wrong).
        assert _spread_guesses(app, "ada@example.org", 1, start=10 + round_) == [401]
    assert 0 < waits[0] <= 60 < waits[1] <= 120 < waits[2] <= 200  # 60, 120, 200 (not 240)
    assert 120 < waits[3] <= 200


def test_the_right_password_after_the_wait_logs_in_and_is_forgiven(
    app: Flask, limits: redis.Redis
) -> None:
    make_user("coordinator", "ada@example.org")
    assert _spread_guesses(app, "ada@example.org", 7)[-2:] == [429, 429]
    coordinator = isolated_client(app)  # on a browser new to the account
    assert _attempt(coordinator, "ada@example.org", PASSWORD, "192.0.2.5").status_code == 429
    _let_the_wait_pass(limits)
    assert _attempt(coordinator, "ada@example.org", PASSWORD, "192.0.2.5").status_code == 302
    # The success forgot the failures: five free guesses again.
    assert _spread_guesses(app, "ada@example.org", 6, start=20) == [401] * 5 + [429]


def test_an_unknown_account_gets_the_same_answers(app: Flask, limits: redis.Redis) -> None:
    make_user("coordinator", "ada@example.org")

    def answers(email: str) -> list[int]:
        first = _spread_guesses(app, email, 7)
        _let_the_wait_pass(limits)
        return first + _spread_guesses(app, email, 2, start=30)

    for email in ("ada@example.org", "nobody@example.org"):
        assert answers(email) == [401] * 5 + [429, 429, 401, 429], email
        assert FIRST_WAIT < _retry_after(app, email) <= 2 * FIRST_WAIT, email


def test_the_accounts_own_browser_still_logs_in(app: Flask, limits: redis.Redis) -> None:
    make_user("coordinator", "ada@example.org")
    own = isolated_client(app)
    assert _attempt(own, "ada@example.org", PASSWORD).status_code == 302
    assert own.get_cookie(COOKIE) is not None
    own.post("/account/logout", data={"csrf_token": csrf_from(own, "/admin/")})
    assert _spread_guesses(app, "ada@example.org", 8)[-1] == 429
    # The delay holds strangers back; the coordinator's browser is not held back at all.
    assert _attempt(own, "ada@example.org", PASSWORD).status_code == 302


def test_a_forged_device_cookie_does_not_bypass_the_delay(app: Flask, limits: redis.Redis) -> None:
    make_user("coordinator", "ada@example.org")
    _spread_guesses(app, "ada@example.org", 6)
    for forged in ("x", "W10.abc.def", "e" * 2000):
        client = isolated_client(app)
        client.set_cookie(COOKIE, forged)
        assert _attempt(client, "ada@example.org", PASSWORD, "192.0.2.8").status_code == 429


def test_a_successful_login_forgets_the_failures(app: Flask, limits: redis.Redis) -> None:
    make_user("coordinator", "ada@example.org")
    assert _spread_guesses(app, "ada@example.org", 4) == [401] * 4
    assert _attempt(isolated_client(app), "ada@example.org", PASSWORD).status_code == 302
    assert _spread_guesses(app, "ada@example.org", 5) == [401] * 5


def test_the_account_key_ignores_case_and_spaces(app: Flask, limits: redis.Redis) -> None:
    make_user("coordinator", "ada@example.org")
    spellings = ["ADA@example.org", " ada@EXAMPLE.org", "Ada@Example.Org", "ada@example.org"]
    answers = [
        _attempt(isolated_client(app), email, "wrong", f"198.51.100.{n}").status_code
        for n, email in enumerate(spellings * 2, start=1)
    ]
    assert answers[:5] == [401] * 5 and answers[5:] == [429] * 3


def test_attempts_sent_together_do_not_all_pass_one_check(
    app: Flask, limits: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two attempts that read the count before either is counted: one goes on, one waits."""
    from campaign.ratelimits import _counters

    with app.test_request_context():
        assert all(login_attempt("ada@example.org").allowed for _ in range(5))
        _let_the_wait_pass(limits)
        storage = _counters().storage.storage
        read = storage.get

        def read_then_race(key: str) -> int:
            value = read(key)
            if key.endswith("/attempts"):  # another attempt is counted just after this read
                storage.incr(key, 60)
            return value

        monkeypatch.setattr(storage, "get", read_then_race)
        late = login_attempt("ada@example.org")
    assert not late.allowed and late.retry_after == 200  # the wait after the seventh
