"""Several counters in one round trip (campaign/ratelimits/pipelined.py): the library's own
counters and windows, on Redis in one script call, in memory one by one, with the same answers."""

from __future__ import annotations

import pytest
import redis
from flask import Flask
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from campaign.ratelimits import pipelined, ratelimits
from tests.support.servers import RedisServer


@pytest.fixture(params=["redis", "memory"])
def limiter(request: pytest.FixtureRequest, redis_server: RedisServer) -> FixedWindowRateLimiter:
    if request.param == "memory":
        return FixedWindowRateLimiter(MemoryStorage())
    redis.Redis.from_url(redis_server.url(2)).flushdb()
    return FixedWindowRateLimiter(storage_from_string(redis_server.url(2)))


def _script_calls(redis_server: RedisServer) -> int:
    stats = redis.Redis.from_url(redis_server.url(1)).info("commandstats")
    return sum(
        int(stats.get(f"cmdstat_{name}", {}).get("calls", 0)) for name in ("evalsha", "eval")
    )


def test_hit_all_counts_each_limit_as_the_library_would(limiter: FixedWindowRateLimiter) -> None:
    burst, day = parse("2 per minute"), parse("50 per day")
    hits = [(burst, "pledge", "k"), (day, "pledge", "k")]
    assert pipelined.hit_all(limiter, hits) == [True, True]
    assert pipelined.hit_all(limiter, hits) == [True, True]
    assert pipelined.hit_all(limiter, hits) == [False, True]
    # The library reads the same counters and windows.
    assert not limiter.test(burst, "pledge", "k")
    assert limiter.get_window_stats(day, "pledge", "k").remaining == 47
    assert limiter.get_window_stats(burst, "pledge", "k").reset_time > 0
    assert limiter.test(burst, "pledge", "other")


def test_hit_if_new_counts_the_client_only_for_a_new_address(
    limiter: FixedWindowRateLimiter,
) -> None:
    hour, client = parse("1 per hour"), parse("2 per hour")
    first = (hour, "mail-address", "c:a@example.org")
    assert pipelined.hit_if_new(limiter, first, [(client, "mail-client", "c")]) == [True, True]
    # The same address again: not new, the client not counted (still one of two).
    assert pipelined.hit_if_new(limiter, first, [(client, "mail-client", "c")]) == [False, True]
    assert limiter.get_window_stats(client, "mail-client", "c").remaining == 1
    second = (hour, "mail-address", "c:b@example.org")
    assert pipelined.hit_if_new(limiter, second, [(client, "mail-client", "c")]) == [True, True]
    third = (hour, "mail-address", "c:d@example.org")
    assert pipelined.hit_if_new(limiter, third, [(client, "mail-client", "c")]) == [True, False]
    # A known address finds the tripped limit too.
    assert pipelined.hit_if_new(limiter, first, [(client, "mail-client", "c")]) == [False, False]


def test_a_pledge_counts_against_both_limits_in_one_round_trip(
    app: Flask, redis_server: RedisServer, fresh_limits: None
) -> None:
    with app.app_context():
        ratelimits.hit("5 per minute; 50 per day", "warm", "k")  # the script is loaded once
        before = _script_calls(redis_server)
        verdict = ratelimits.hit("5 per minute; 50 per day", "pledge", "k")
        after = _script_calls(redis_server)
    assert verdict.allowed
    assert after - before == 1


def test_the_mail_guard_counts_address_and_client_in_one_round_trip(
    app: Flask, redis_server: RedisServer, fresh_limits: None
) -> None:
    with app.app_context():
        ratelimits.hit_if_new(("1 per hour", "warm", "a"), ("20 per hour", "warm", "c"))
        before = _script_calls(redis_server)
        new, verdict = ratelimits.hit_if_new(
            ("1 per hour", "mail-address", "c:a"), ("20 per hour; 100 per day", "mail-client", "c")
        )
        after = _script_calls(redis_server)
    assert new and verdict.allowed
    assert after - before == 1


def test_over_a_limit_the_verdict_waits_for_its_window(app: Flask, fresh_limits: None) -> None:
    with app.app_context():
        for _ in range(2):
            assert ratelimits.hit("2 per minute; 50 per day", "pledge", "w").allowed
        verdict = ratelimits.hit("2 per minute; 50 per day", "pledge", "w")
    assert not verdict.allowed
    assert 1 <= verdict.retry_after <= 60


def test_a_pledge_counts_guard_and_pledge_limits_once_an_hour_per_address(
    app: Flask, fresh_limits: None
) -> None:
    """The pledge limits count an address new to its client this hour, as the client's limit
    does: the same address again (a double click) is tested, not counted."""

    def count(address: str) -> tuple[bool, bool, bool]:
        first = ("1 per hour", "mail-address", f"c:{address}")
        new, client, pledges = ratelimits.hit_if_new_and(
            first, ("2 per hour", "mail-client", "c"), ("2 per minute", "pledge", "ip")
        )
        return new, client.allowed, pledges.allowed

    with app.app_context():
        assert count("a@example.org") == (True, True, True)
        assert count("a@example.org") == (False, True, True)  # known: neither counted again
        assert count("a@example.org") == (False, True, True)
        assert count("b@example.org") == (True, True, True)  # the second of each
        assert count("d@example.org") == (True, False, False)  # the third: over both
        assert count("a@example.org") == (False, False, False)  # no way around a tripped limit


def test_the_guard_and_the_pledge_limits_take_one_round_trip(
    app: Flask, redis_server: RedisServer, fresh_limits: None
) -> None:
    with app.app_context():
        first, then = ("1 per hour", "mail-address", "c:a"), ("20 per hour", "mail-client", "c")
        also = ("2 per minute; 50 per day", "pledge", "ip")
        for warm in ("w1", "w2"):  # loads the script; two pledges from "ip" this minute
            ratelimits.hit_if_new_and(("1 per hour", "warm", warm), then, also)
        before = _script_calls(redis_server)
        new, client, pledges = ratelimits.hit_if_new_and(first, then, also)
        after = _script_calls(redis_server)
        assert new and client.allowed and not pledges.allowed  # the third pledge of the minute
    assert 1 <= pledges.retry_after <= 60
    assert after - before == 1
