"""Log in and out, forgotten passwords, and the set-password pages behind mailed links.

One answer for every failed login and every reset request; both rate limited.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from campaign import ratelimits
from campaign.accounts import bp, devices, services, sessions, tokens
from campaign.accounts.forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from campaign.accounts.models import User
from campaign.core.addresses import matching_key
from campaign.core.params import SAFE_METHODS
from campaign.extensions import db
from campaign.i18n import current_language
from campaign.mail import guard
from campaign.ratelimits import client_address
from campaign.ratelimits import login as login_limits


def N_(message: str) -> str:
    """Mark *message* for pybabel (a default keyword) without translating it yet."""
    return message


# A plain str (tests look for it in pages); translated when the page is rendered.
FAILED = N_("That email and password do not match an active account.")
PAGES = {
    tokens.INVITE: (_l("Welcome: choose your password"), _l("Save my password")),
    tokens.RESET: (_l("Choose a new password"), _l("Save the new password")),
}


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
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if request.method in SAFE_METHODS:
        return render_template("accounts/login.html", form=form)
    ratelimits.enforce(ratelimits.LOGIN, client_address())  # the hard limit per client
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 400
    # Per account too (the address typed, whether or not it has an account: the same answer),
    # so that guesses from many addresses are slowed: a delay that grows with each attempt,
    # never a lockout; the account's own browser is not slowed at all.
    account = _address_key()
    if not devices.is_known(account):
        login_limits.enforce_login_delay(account)
    user = services.authenticate(email=form.email.data or "", password=form.password.data or "")
    if user is None:
        db.session.rollback()
        return render_template("accounts/login.html", form=form, error=_(FAILED)), 401
    db.session.commit()
    login_limits.forget_login_attempts(account)
    _start_session(user)
    response = redirect(_safe_next(request.args.get("next")) or _home(user))
    devices.remember(response, account)
    return response


def _start_session(user: User) -> None:
    # A permanent session lasts PERMANENT_SESSION_LIFETIME; a browser session could last weeks.
    session.permanent = True
    login_user(user)
    sessions.begin()


def _home(user: User) -> str:
    return url_for("partner.index" if user.role == "partner" else "admin.index")


def _address_key() -> str:
    """The rate-limit key of a login or a reset request: the matching key of the address typed
    (however it is spelt, one mailbox is one key)."""
    return matching_key((request.form.get("email") or "")[:254])


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password() -> str | Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if request.method in SAFE_METHODS:
        return render_template("accounts/forgot_password.html", form=form)
    # Per client, and per address asked about, so that nobody can flood one mailbox.
    ratelimits.enforce(ratelimits.PASSWORD_RESET_CLIENT, client_address())
    ratelimits.enforce(ratelimits.PASSWORD_RESET, _address_key())
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form), 400
    guard.screen(form.email.data or "")
    services.request_password_reset(email=form.email.data or "")
    db.session.commit()
    return redirect(url_for("accounts.reset_requested"))


@bp.get("/forgot-password/sent")
def reset_requested() -> str:
    """The same page whether or not the address belongs to anyone."""
    return render_template("accounts/check_email.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    return _set_password(tokens.INVITE, token)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    return _set_password(tokens.RESET, token)


def _set_password(purpose: str, token: str) -> str | Response | tuple[str, int]:
    """Only a POST changes anything: mail scanners that follow links spend no link."""
    try:
        user = services.user_for_link(purpose=purpose, token=token)
    except services.LinkInvalid:
        abort(404)
    except services.LinkExpired as error:
        invitation = purpose == tokens.INVITE
        page = render_template(
            "accounts/link_expired.html", invitation=invitation, reason=str(error)
        )
        return page, 410
    form = SetPasswordForm()
    title, button = PAGES[purpose]
    if not form.validate_on_submit():
        code = 400 if request.method == "POST" else 200
        page = render_template(
            "accounts/set_password.html", form=form, user=user, title=title, button=button
        )
        return page, code
    services.set_password(user=user, password=form.password.data or "", purpose=purpose)
    if purpose == tokens.INVITE:  # mail to this account goes out in the language it joined in
        user.locale = current_language().code
    db.session.commit()
    _start_session(user)
    flash(_("Your password is saved and you are logged in."))
    return redirect(_home(user))


@bp.get("/")
@login_required
def account() -> str:
    config = current_app.config
    return render_template(
        "accounts/account.html",
        user=current_user,
        idle_minutes=int(config["SESSION_IDLE_SECONDS"]) // 60,
        lifetime_hours=int(current_app.permanent_session_lifetime.total_seconds()) // 3600,
    )


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere() -> Response:
    """End every other session of the account; this one goes on (from the same login time)."""
    user = db.session.get(User, current_user.id)
    if user is None:
        abort(404)
    user.end_sessions()
    db.session.commit()
    login_user(user)  # this session, under the new generation
    flash(_("Every other session of your account has ended."))
    return redirect(url_for("accounts.account"))


@bp.post("/logout")
def logout() -> Response:
    """Log out: every session of the user ends, on this device and any other."""
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        if user is not None:
            user.end_sessions()
            db.session.commit()
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("public.home"))
