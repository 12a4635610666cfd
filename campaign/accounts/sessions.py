"""How long a login lasts: an idle timeout and an absolute lifetime, both checked on the server.

The session cookie is signed, not stored, so its lifetime is what the server reads from it:
`auth_at` (when the login began) and `seen_at` (the last request, rounded to a minute so that
not every page sets a new cookie). A session idle for longer than SESSION_IDLE_SECONDS, or older
than PERMANENT_SESSION_LIFETIME, ends: a stolen cookie dies with it. Ending every session of a
user at once is User.end_sessions (logout, deactivation, a role change, "log out everywhere").
"""

from __future__ import annotations

import time

from flask import current_app, session
from flask_login import logout_user

AUTH_AT, SEEN_AT = "auth_at", "seen_at"
REFRESH_SECONDS = 60


def begin() -> None:
    """Called at login: the clock of the new session starts."""
    now = int(time.time())
    session[AUTH_AT] = session[SEEN_AT] = now


def expired(now: int) -> bool:
    config = current_app.config
    auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
    if not isinstance(auth_at, int) or not isinstance(seen_at, int):
        return True  # a session from before these fields, or tampered with: log in again
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    return now - seen_at > int(config["SESSION_IDLE_SECONDS"]) or now - auth_at > lifetime


def enforce_timeouts() -> None:
    """Before each request: end an expired login; note activity on a live one."""
    if "_user_id" not in session:
        return
    now = int(time.time())
    if expired(now):
        logout_user()
        session.pop(AUTH_AT, None)
        session.pop(SEEN_AT, None)
        return
    if now - int(session[SEEN_AT]) >= REFRESH_SECONDS:
        session[SEEN_AT] = now
