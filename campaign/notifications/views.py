"""Subscribing, confirming, preferences and one-click unsubscribe: parse, call, commit, respond."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from campaign import ratelimits
from campaign.core.params import SAFE_METHODS
from campaign.extensions import csrf, db
from campaign.i18n import current_language
from campaign.i18n.localised import state_name
from campaign.mail import guard
from campaign.notifications import bp, services, tokens
from campaign.notifications.forms import PreferencesForm, SubscribeForm
from campaign.notifications.messages import LANGUAGES
from campaign.notifications.models import Subscription
from campaign.states.models import State


def _states() -> list[State]:
    """Every state, by its name in the page's language."""
    states = db.session.scalars(select(State)).all()
    return sorted(states, key=lambda state: state_name(state).casefold())


def _subscription_from(purpose: str, token: str) -> tuple[Subscription, bool]:
    """The subscription a link names, and whether the link expired; 404 for a bad link."""
    checked = tokens.read_token(purpose, token)
    subscription = db.session.get(Subscription, checked.subscription_id) if checked else None
    if checked is None or subscription is None:
        abort(404, _("This link is not valid. Please use the link from your most recent email."))
    return subscription, checked.expired


def _page_language() -> str:
    """The language of the mails to offer: the page's, if its address names one (`/fr/...`),
    else the browser's."""
    language = current_language().code
    if request.script_root.endswith(f"/{language}"):
        return language
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


@bp.route("/", methods=["GET", "POST"])
def subscribe() -> str | Response | tuple[str, int]:
    form = SubscribeForm()
    states = _states()
    form.set_states(states)
    if request.method in SAFE_METHODS:
        form.locale.data = _page_language()
        followed = request.args.get("state", "").upper()
        if any(state.iso3 == followed for state in states):  # "Follow this state"
            form.states.data = [followed]
            form.alerts.data = "followed"
        return render_template("notifications/subscribe.html", form=form)
    ratelimits.enforce(ratelimits.SUBSCRIBE, ratelimits.client_address())
    if not form.validate_on_submit():
        return render_template("notifications/subscribe.html", form=form), 400
    if not form.homepage.data:  # a filled honeypot is a bot: it sees the same page
        guard.screen(form.email.data or "")
        services.request_subscription(email=form.email.data, preferences=form.preferences())
        db.session.commit()
    return redirect(url_for("notifications.check_email"))


@bp.get("/check-your-email")
def check_email() -> str:
    return render_template("notifications/check_email.html")


@bp.get("/confirm/<token>")
def confirm_page(token: str) -> str | tuple[str, int]:
    """Only shows the Confirm button: mail scanners that follow links confirm nothing."""
    subscription, expired = _subscription_from(tokens.CONFIRM, token)
    if expired:
        return render_template("notifications/expired.html"), 410
    return render_template("notifications/confirm.html", subscription=subscription, token=token)


@bp.post("/confirm/<token>")
def confirm(token: str) -> str | tuple[str, int]:
    subscription, expired = _subscription_from(tokens.CONFIRM, token)
    if expired:
        return render_template("notifications/expired.html"), 410
    services.confirm_subscription(subscription=subscription)
    db.session.commit()
    preferences = tokens.make_token(tokens.PREFERENCES, subscription.id)
    return render_template("notifications/confirmed.html", preferences_token=preferences)


@bp.route("/preferences/<token>", methods=["GET", "POST"])
def preferences(token: str) -> str | Response | tuple[str, int]:
    subscription, _expired = _subscription_from(tokens.PREFERENCES, token)
    form = PreferencesForm(obj=subscription if request.method in SAFE_METHODS else None)
    form.set_states(_states())
    if request.method in SAFE_METHODS:
        form.states.data = [state.iso3 for state in subscription.states]
        return _preferences_page(subscription, form, token)
    if request.form.get("action") == "unsubscribe":  # the CSRF check already ran for every POST
        services.unsubscribe(subscription=subscription)
        message = _("You are unsubscribed: we will send you no more campaign mail.")
    elif form.validate_on_submit():
        services.update_preferences(subscription=subscription, preferences=form.preferences())
        message = _(
            "Your preferences are saved. You receive campaign mail again if you had stopped."
        )
    else:
        return _preferences_page(subscription, form, token, 400)
    db.session.commit()
    flash(message)
    return redirect(url_for("notifications.preferences", token=token))


def _preferences_page(
    subscription: Subscription, form: PreferencesForm, token: str, code: int = 200
) -> tuple[str, int]:
    page = render_template(
        "notifications/preferences.html", subscription=subscription, form=form, token=token
    )
    return page, code


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str:
    """A GET never unsubscribes (link checkers and previews follow links): it shows a button."""
    subscription, _expired = _subscription_from(tokens.PREFERENCES, token)
    return render_template("notifications/unsubscribe.html", subscription=subscription, token=token)


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058 one-click: the mail provider posts with no cookie; the token is the proof
def unsubscribe(token: str) -> str:
    subscription, _expired = _subscription_from(tokens.PREFERENCES, token)
    services.unsubscribe(subscription=subscription)
    db.session.commit()
    preferences = tokens.make_token(tokens.PREFERENCES, subscription.id)
    return render_template("notifications/unsubscribed.html", preferences_token=preferences)
