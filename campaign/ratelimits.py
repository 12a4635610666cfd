"""Every rate limit of the application, and the one way to count against one.

| limit | counted per | how many (setting) | over it |
| --- | --- | --- | --- |
| `login` | client address | `LOGIN_RATE_LIMIT` | 429 |
| `login-account` | address typed (failures) | `LOGIN_ACCOUNT_RATE_LIMIT` | 429 (*) |
| `password-reset-client` | client address | `LOGIN_RATE_LIMIT` | 429 |
| `password-reset` | address asked about | `PASSWORD_RESET_RATE_LIMIT` | 429 |
| `subscribe` | client address | `SUBSCRIBE_RATE_LIMIT` | 429 |
| `pledge` | hash of client address | `pledge_limit_burst`, `pledge_limit_sustained` | suspect |
| `mail-client` | client network (IPv6 /64) | `mail_limit_new_addresses` | held (mail/guard) |

(*) Not on a device that has logged in to that account before (accounts/devices.py).

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

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger(__name__)

# After a storage failure, how long to count in memory before trying the storage again.
RETRY_STORAGE_SECONDS = 5.0

LOGIN = "login"
LOGIN_ACCOUNT = "login-account"
PASSWORD_RESET_CLIENT = "password-reset-client"  # noqa: S105  (a limit's name)
PASSWORD_RESET = "password-reset"  # noqa: S105
SUBSCRIBE = "subscribe"
PLEDGE = "pledge"


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

    def guarded(self, act: Callable[[FixedWindowRateLimiter], Verdict]) -> Verdict:
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
        """Count one attempt by *key* against every limit in *limits* ("10 per minute; ...")."""
        items = parse_many(limits)
        return _counters().guarded(lambda limiter: _verdict(limiter, items, name, key, limiter.hit))

    def peek(self, limits: str, name: str, key: str) -> Verdict:
        """Whether one more attempt by *key* would be within *limits*, counting nothing."""
        items = parse_many(limits)
        return _counters().guarded(
            lambda limiter: _verdict(limiter, items, name, key, limiter.test)
        )

    def clear(self, limits: str, name: str, key: str) -> None:
        """Forget what *key* spent against *limits* (a login that succeeded)."""
        items = parse_many(limits)

        def forget(limiter: FixedWindowRateLimiter) -> Verdict:
            for item in items:
                limiter.clear(item, name, key)
            return Verdict(True)

        _counters().guarded(forget)


def _counters() -> _Counters:
    counters = current_app.extensions.get("ratelimits")
    assert isinstance(counters, _Counters), "RateLimits.init_app was not called"
    return counters


def _verdict(
    limiter: FixedWindowRateLimiter,
    items: list[RateLimitItem],
    name: str,
    key: str,
    within: Callable[..., bool],
) -> Verdict:
    """Ask *within* (the limiter's hit, or its test) of every item; when any says no, wait
    until the last of those windows resets."""
    exceeded = [item for item in items if not within(item, name, key)]
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
    LOGIN_ACCOUNT: config_limit("LOGIN_ACCOUNT_RATE_LIMIT"),
    PASSWORD_RESET_CLIENT: config_limit("LOGIN_RATE_LIMIT"),
    PASSWORD_RESET: config_limit("PASSWORD_RESET_RATE_LIMIT"),
    SUBSCRIBE: config_limit("SUBSCRIBE_RATE_LIMIT"),
}


def client_address() -> str:
    """The client's address (taken from the trusted proxies' headers, see TRUSTED_PROXIES)."""
    return request.remote_addr or "127.0.0.1"


def check(name: str, key: str) -> Verdict:
    """Count one attempt against the configured limit *name*."""
    return ratelimits.hit(LIMITS[name](), name, key)


def enforce(name: str, key: str) -> None:
    """Count one attempt; over the limit, answer 429 with Retry-After."""
    from werkzeug.exceptions import TooManyRequests

    verdict = check(name, key)
    if not verdict.allowed:
        raise TooManyRequests(retry_after=verdict.retry_after)


def enforce_peek(name: str, key: str) -> None:
    """429 with Retry-After if *key* has spent the limit *name* already; counts nothing."""
    from werkzeug.exceptions import TooManyRequests

    verdict = ratelimits.peek(LIMITS[name](), name, key)
    if not verdict.allowed:
        raise TooManyRequests(retry_after=verdict.retry_after)


def spend(name: str, key: str) -> None:
    """Count one attempt against *name* (a failed login), whatever the verdict."""
    ratelimits.hit(LIMITS[name](), name, key)


def forget(name: str, key: str) -> None:
    ratelimits.clear(LIMITS[name](), name, key)


def over_pledge_limit(ip_hash: str | None) -> bool:
    """Count a pledge against the admin-editable burst and sustained limits."""
    from campaign.settings.services import get_setting

    if ip_hash is None:
        return False
    limits = "; ".join(get_setting(key) for key in ("pledge_limit_burst", "pledge_limit_sustained"))
    return not ratelimits.hit(limits, PLEDGE, ip_hash).allowed
