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
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
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
MAIL_CLIENT = "mail-client"
MAIL_ADDRESS = "mail-address"
MAIL_HOLD_ALERT = "mail-hold-alert"
ONCE_AN_HOUR = "1 per hour"


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
    PASSWORD_RESET_CLIENT: config_limit("LOGIN_RATE_LIMIT"),
    PASSWORD_RESET: config_limit("PASSWORD_RESET_RATE_LIMIT"),
    SUBSCRIBE: config_limit("SUBSCRIBE_RATE_LIMIT"),
    MAIL_ADDRESS: lambda: ONCE_AN_HOUR,
    MAIL_HOLD_ALERT: lambda: ONCE_AN_HOUR,
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


def login_delay(attempts: int) -> int:
    """Seconds the next login at an account waits after its *attempts*-th unforgiven attempt:
    none while they are free, then the first delay, doubled for each one more, at most the
    maximum (LOGIN_ACCOUNT_* settings)."""
    config = current_app.config
    beyond = attempts - int(config["LOGIN_ACCOUNT_FREE_FAILURES"])
    if beyond < 0:
        return 0
    first = int(config["LOGIN_ACCOUNT_FIRST_DELAY_SECONDS"])
    return min(int(config["LOGIN_ACCOUNT_MAX_DELAY_SECONDS"]), first * 2 ** min(beyond, 32))


def _attempts_key(account: str) -> str:
    return f"{LOGIN_ACCOUNT}/{account}/attempts"


def _wait_key(account: str, attempts: int) -> str:
    """The wait after the *attempts*-th attempt: a key that expires when it is over (one per
    attempt, each written once, so concurrent attempts never reset another's wait)."""
    return f"{LOGIN_ACCOUNT}/{account}/wait/{attempts}"


def login_attempt(account: str) -> Verdict:
    """Count one login attempt at *account* (the matching key of the address typed), or refuse
    it while the wait after the last one runs.

    Counted before the password is checked (a success forgets it: forget_login_attempts), so
    that attempts sent together cannot all pass the same check: beyond the free ones, only the
    one that took the next number goes on."""
    free = int(current_app.config["LOGIN_ACCOUNT_FREE_FAILURES"])
    window = int(current_app.config["LOGIN_ACCOUNT_WINDOW_SECONDS"])

    def attempt(limiter: FixedWindowRateLimiter) -> Verdict:
        storage = limiter.storage
        before = storage.get(_attempts_key(account))
        waiting = _wait_key(account, before)
        if login_delay(before) and storage.get(waiting):
            return Verdict(False, _seconds_left(storage, waiting))
        number = storage.incr(_attempts_key(account), window)
        delay = login_delay(number)
        if delay:
            storage.incr(_wait_key(account, number), delay)
            if number > free and number != before + 1:  # a concurrent attempt took this turn
                return Verdict(False, delay)
        return Verdict(True)

    return _counters().guarded(attempt)


def enforce_login_delay(account: str) -> None:
    """Count one login attempt at *account*; within the wait, answer 429 with Retry-After."""
    _refuse(login_attempt(account))


def forget_login_attempts(account: str) -> None:
    """A login that succeeded: the account's attempts, and the wait after the last, are gone."""

    def forget(limiter: FixedWindowRateLimiter) -> Verdict:
        storage = limiter.storage
        storage.clear(_wait_key(account, storage.get(_attempts_key(account))))
        storage.clear(_attempts_key(account))
        return Verdict(True)

    _counters().guarded(forget)


def _seconds_left(storage: Storage, key: str) -> int:
    return max(1, math.ceil(storage.get_expiry(key) - time.time()))


def over_pledge_limit(ip_hash: str | None) -> bool:
    """Count a pledge against the admin-editable burst and sustained limits."""
    from campaign.settings.services import get_setting

    if ip_hash is None:
        return False
    limits = "; ".join(get_setting(key) for key in ("pledge_limit_burst", "pledge_limit_sustained"))
    return not ratelimits.hit(limits, PLEDGE, ip_hash).allowed
