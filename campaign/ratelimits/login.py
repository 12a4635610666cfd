"""The progressive delay between login attempts at one account (the `login-account` row of the
table in campaign/ratelimits/__init__.py)."""

from __future__ import annotations

import math
import time

from flask import current_app
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter

from campaign.ratelimits import LOGIN_ACCOUNT, Verdict, _counters, _refuse


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
