"""Who may do what: the login manager and the one decorator that enforces roles."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from campaign.core.params import as_id
from campaign.extensions import db, login_manager

F = TypeVar("F", bound=Callable[..., Any])

# Admins may do everything coordinators do.
ROLE_GRANTS: dict[str, frozenset[str]] = {
    "admin": frozenset({"admin", "coordinator"}),
    "coordinator": frozenset({"coordinator"}),
    "partner": frozenset({"partner"}),
}


def has_role(user: Any, role: str) -> bool:
    """Whether *user* (possibly anonymous) acts with *role*."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return role in ROLE_GRANTS.get(user.role, frozenset())


def invitable_roles(actor: Any) -> tuple[str, ...]:
    """The roles *actor* may give: coordinators invite partners and coordinators, admins all."""
    if has_role(actor, "admin"):
        return ("partner", "coordinator", "admin")
    if has_role(actor, "coordinator"):
        return ("partner", "coordinator")
    return ()


def role_required(*roles: str) -> Callable[[F], F]:
    """Let through users holding any of *roles*: anonymous users go to login, others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(has_role(current_user, role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


# Production must keep its session cookies away from scripts and plain HTTP.
SECURE_COOKIE_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "REMEMBER_COOKIE_SECURE",
    "REMEMBER_COOKIE_HTTPONLY",
)


def check_cookie_settings(app: Flask) -> None:
    """Refuse to run production with a session cookie that is not secure and http-only."""
    if app.config.get("ENV_NAME") != "production":
        return
    weak = [name for name in SECURE_COOKIE_SETTINGS if not app.config.get(name)]
    if weak:
        raise RuntimeError("Production needs " + ", ".join(weak) + " set to True.")


def init_login(app: Flask) -> None:
    from campaign.accounts.models import User

    check_cookie_settings(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    # Flashed when a page needs a login: str() translates it into the language of that request.
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.localize_callback = str
    login_manager.session_protection = "strong"
    from campaign.accounts.sessions import enforce_timeouts

    app.before_request(enforce_timeouts)

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # "<id>:<fingerprint>": a session made before the password changed is refused.
        user_id, _, fingerprint = session_id.partition(":")
        number = as_id(user_id)
        if number is None:
            return None
        user = db.session.get(User, number)
        if user is None or not user.is_active or not user.has_password:
            return None
        expected = user.session_fingerprint().encode()
        return user if hmac.compare_digest(fingerprint.encode(), expected) else None
