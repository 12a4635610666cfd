"""Who may do what: the login manager and the one decorator that enforces roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort
from flask_login import current_user

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


def init_login(app: Flask) -> None:
    from campaign.accounts.models import User

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to see this page."
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.is_active else None
