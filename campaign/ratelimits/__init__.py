"""Every rate limit of the application, and the one way to count against one.

| limit | counted per | how many (setting) | over it |
| --- | --- | --- | --- |
| `login` | client address | `LOGIN_RATE_LIMIT` | 429 |
| `login-account` | address typed, from any client | `LOGIN_ACCOUNT_*` (below) | 429 (*) |
| `password-reset-client` | client address | `LOGIN_RATE_LIMIT` | 429 |
| `password-reset` | address asked about | `PASSWORD_RESET_RATE_LIMIT` | 429 |
| `subscribe` | client address | `SUBSCRIBE_RATE_LIMIT` | 429 |
| `pledge` | hash of client address | `pledge_limit_burst`, `pledge_limit_sustained` | suspect |
| `mail-client` | client network (IPv6 /64) | `mail_limit_new_addresses` | held (mail/guard) |
| `mail-address` | client network and address mailed | once an hour | not a new address |
| `mail-hold-alert` | client network | once an hour | no second alert |
| `osdi-key` | OSDI API key | `OSDI_RATE_LIMIT` (default 120/minute, 5000/hour) | 429 |

(*) A progressive delay, not a hard limit (that is `login`, per client), so that nobody can
lock a coordinator out by guessing: `LOGIN_ACCOUNT_FREE_FAILURES` attempts go through at once;
from then on each must come `LOGIN_ACCOUNT_FIRST_DELAY_SECONDS` after the one before, a wait
that doubles with every further failure up to `LOGIN_ACCOUNT_MAX_DELAY_SECONDS`; within it,
429 with Retry-After; after it, the attempt is checked as usual. Attempts are counted for
`LOGIN_ACCOUNT_WINDOW_SECONDS` from the first and forgotten on a success; the same for an
address with no account. Not counted on a device that has logged in to that account before
(accounts/devices.py).

(The pledge limits are admin settings, editable at run time; a suspect pledge is kept, not
counted until a coordinator releases its held mail, and its signer sees the same answer.)

Counters live in `RATELIMIT_STORAGE_URI` (Redis when `REDIS_URL` is set: shared by every
web process). When that storage cannot be reached, counting goes on per process, in memory,
with one log line, and goes back to the storage once it answers: a Redis outage never stops a
pledge or a login.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from campaign.ratelimits import pipelined

log = logging.getLogger(__name__)

# After a storage failure, how long to count in memory before trying the storage again.
RETRY_STORAGE_SECONDS = 5.0

LOGIN = "login"
LOGIN_ACCOUNT = "login-account"
PASSWORD_RESET_CLIENT = "password-reset-client"  # noqa: S105  (a limit's name)
PASSWORD_RESET = "password-reset"  # noqa: S105
SUBSCRIBE = "subscribe"
PLEDGE = "pledge"
MAIL_CLIENT = "mail-client"
MAIL_ADDRESS = "mail-address"
MAIL_HOLD_ALERT = "mail-hold-alert"
OSDI_KEY = "osdi-key"
ONCE_AN_HOUR = "1 per hour"


T = TypeVar("T")
Count = tuple[str, str, str]  # limits ("10 per minute; ..."), their name, who is counted


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the tightest exceeded window resets


class _Counters:
    """One application's counters: its storage, and the per-process fallback beside it."""

    def __init__(self, uri: str) -> None:
        options = {"socket_connect_timeout": 1, "socket_timeout": 1} if "redis" in uri else {}
        self.storage = FixedWindowRateLimiter(storage_from_string(uri, **options))
        self.memory = FixedWindowRateLimiter(MemoryStorage())
        self.down_until = 0.0

    def guarded(self, act: Callable[[FixedWindowRateLimiter], T]) -> T:
        """*act* on the storage; while it cannot be reached, on the per-process counters."""
        if not (self.down_until and time.monotonic() < self.down_until):
            try:
                verdict = act(self.storage)
            except Exception as error:  # unreachable: count here, try it again in a while
                if not self.down_until:
                    log.warning(
                        "rate-limit storage unreachable (%s: %s); counting per process",
                        type(error).__name__,
                        error,
                    )
                self.down_until = time.monotonic() + RETRY_STORAGE_SECONDS
            else:
                if self.down_until:
                    log.warning("rate-limit storage reachable again")
                    self.down_until = 0.0
                return verdict
        return act(self.memory)


class RateLimits:
    """Fixed-window counters in the current application's storage (each application its
    own: two apps in one process never count in each other's storage)."""

    def init_app(self, app: Flask) -> None:
        app.extensions["ratelimits"] = _Counters(str(app.config["RATELIMIT_STORAGE_URI"]))

    def hit(self, limits: str, name: str, key: str) -> Verdict:
        """Count one attempt by *key* against every limit in *limits* ("10 per minute; ..."),
        all in one round trip to the storage."""
        items = _parsed(limits)

        def count(limiter: FixedWindowRateLimiter) -> Verdict:
            within = pipelined.hit_all(limiter, [(item, name, key) for item in items])
            over = [item for item, ok in zip(items, within, strict=True) if not ok]
            return _verdict(limiter, over, name, key)

        return _counters().guarded(count)

    def hit_if_new(self, first: Count, then: Count) -> tuple[bool, Verdict]:
        """Count *first* (limits, name, key; one limit, such as once an hour); if that was
        within it, count *then* as well, else only look at *then*. Whether *first* was within
        its limit, and *then*'s verdict, in one round trip to the storage (the mail guard: only
        a new address counts against its client)."""
        (first_item, *_), then_items = _parsed(first[0]), _parsed(then[0])
        _, name, key = then

        def count(limiter: FixedWindowRateLimiter) -> tuple[bool, Verdict]:
            hits = [(item, name, key) for item in then_items]
            within = pipelined.hit_if_new(limiter, (first_item, first[1], first[2]), hits)
            over = [item for item, ok in zip(then_items, within[1:], strict=True) if not ok]
            return within[0], _verdict(limiter, over, name, key)

        return _counters().guarded(count)

    def hit_if_new_and(
        self, first: Count, then: Count, also: Count
    ) -> tuple[bool, Verdict, Verdict]:
        """hit_if_new(first, then), and *also* counted (or only tested) the same way as *then*,
        in one round trip: whether *first* was new, *then*'s verdict, *also*'s (a pledge: the
        mail guard's counts and the pledge limits, counted once an hour per address)."""
        (first_item, *_), then_items, also_items = (_parsed(c[0]) for c in (first, then, also))

        def count(limiter: FixedWindowRateLimiter) -> tuple[bool, Verdict, Verdict]:
            then_hits = [(item, then[1], then[2]) for item in then_items]
            also_hits = [(item, also[1], also[2]) for item in also_items]
            first_hit = (first_item, first[1], first[2])
            within = pipelined.hit_if_new(limiter, first_hit, [*then_hits, *also_hits])
            split = 1 + len(then_items)
            over_then = [i for i, ok in zip(then_items, within[1:split], strict=True) if not ok]
            over_also = [i for i, ok in zip(also_items, within[split:], strict=True) if not ok]
            return (
                within[0],
                _verdict(limiter, over_then, then[1], then[2]),
                _verdict(limiter, over_also, also[1], also[2]),
            )

        return _counters().guarded(count)


@lru_cache(maxsize=256)
def _parsed(limits: str) -> tuple[RateLimitItem, ...]:
    """The limits written in *limits* ("5 per minute; 50 per day"): parsed once per spelling,
    not on every request (kept as a tuple: every caller shares it)."""
    return tuple(parse_many(limits))


def _counters() -> _Counters:
    counters = current_app.extensions.get("ratelimits")
    assert isinstance(counters, _Counters), "RateLimits.init_app was not called"
    return counters


def _verdict(
    limiter: FixedWindowRateLimiter, exceeded: list[RateLimitItem], name: str, key: str
) -> Verdict:
    """Allowed if no limit was *exceeded*; else a wait until the last of their windows resets."""
    if not exceeded:
        return Verdict(True)
    reset = max(limiter.get_window_stats(item, name, key).reset_time for item in exceeded)
    return Verdict(False, max(1, int(reset - time.time())))


ratelimits = RateLimits()


def config_limit(setting: str) -> Callable[[], str]:
    """The limit named by configuration *setting*, read when it is counted."""
    return lambda: str(current_app.config[setting])


LIMITS: dict[str, Callable[[], str]] = {
    LOGIN: config_limit("LOGIN_RATE_LIMIT"),
    PASSWORD_RESET_CLIENT: config_limit("LOGIN_RATE_LIMIT"),
    PASSWORD_RESET: config_limit("PASSWORD_RESET_RATE_LIMIT"),
    SUBSCRIBE: config_limit("SUBSCRIBE_RATE_LIMIT"),
    MAIL_ADDRESS: lambda: ONCE_AN_HOUR,
    MAIL_HOLD_ALERT: lambda: ONCE_AN_HOUR,
    OSDI_KEY: lambda: str(current_app.config["OSDI_RATE_LIMIT"]),
}


def client_address() -> str:
    """The client's address (taken from the trusted proxies' headers, see TRUSTED_PROXIES)."""
    return request.remote_addr or "127.0.0.1"


def check(name: str, key: str) -> Verdict:
    """Count one attempt against the configured limit *name*."""
    return ratelimits.hit(LIMITS[name](), name, key)


def enforce(name: str, key: str) -> None:
    """Count one attempt; over the limit, answer 429 with Retry-After."""
    _refuse(check(name, key))


def _refuse(verdict: Verdict) -> None:
    from werkzeug.exceptions import TooManyRequests

    if not verdict.allowed:
        raise TooManyRequests(retry_after=verdict.retry_after)


def pledge_limits() -> str:
    """The admin-editable burst and sustained limits of pledges from one client."""
    from campaign.settings.services import get_setting

    return "; ".join(get_setting(key) for key in ("pledge_limit_burst", "pledge_limit_sustained"))


def over_pledge_limit(ip_hash: str | None) -> bool:
    """Count a pledge against the admin-editable burst and sustained limits."""
    if ip_hash is None:
        return False
    return not ratelimits.hit(pledge_limits(), PLEDGE, ip_hash).allowed
