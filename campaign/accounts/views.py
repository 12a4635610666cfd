"""Log in and log out. One answer for every failed login, rate limited per address."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from campaign.accounts import bp, services
from campaign.accounts.forms import LoginForm
from campaign.extensions import db, limiter

FAILED = "That email and password do not match an active account."


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never redirect a login to another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash and drop tabs and line breaks, so "/\\evil" and
    # "/\t/evil" would lead off the site: refuse both rather than rely on quoting.
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if request.method == "GET":
        return render_template("accounts/login.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 400
    user = services.authenticate(email=form.email.data or "", password=form.password.data or "")
    if user is None:
        db.session.rollback()
        return render_template("accounts/login.html", form=form, error=FAILED), 401
    db.session.commit()
    login_user(user)
    destination = _safe_next(request.args.get("next"))
    if destination is None:
        destination = url_for("partner.index" if user.role == "partner" else "admin.index")
    return redirect(destination)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash("You are logged out.")
    return redirect(url_for("public.home"))
