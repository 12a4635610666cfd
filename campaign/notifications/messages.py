"""Notification mails: rendered in the subscriber's language, queued with RFC 8058 headers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, render_template

from campaign.mail.models import OutboundEmail
from campaign.mail.services import Draft, queue_email
from campaign.notifications import tokens
from campaign.notifications.models import Subscription

# The languages a subscriber can choose. Until the translation work lands, every mail falls
# back to the English template; a template under templates/mail/<locale>/ takes precedence.
LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "ru": "Русский",
    "zh": "中文",
}
DEFAULT_LOCALE = "en"

SUBJECTS = {
    "alert": "{state} {headline}",
    "migrants_day_partner": "International Migrants Day in {days} days: your open tasks",
    "migrants_day_supporter": "International Migrants Day in {days} days: act with us",
    "task_due": "Due on {due}: {title}",
    "task_overdue": "Overdue since {due}: {title}",
    "digest": "{period}: where the Migrant Workers Convention stands",
    "subscription_confirm": "Please confirm your subscription to campaign updates",
    "subscription_active": "You are already subscribed to campaign updates",
}

# Stand-ins for the per-subscriber links in a body rendered once for many subscribers.
PREFERENCES_SLOT = "@@preferences_url@@"
UNSUBSCRIBE_SLOT = "@@unsubscribe_url@@"


def site_url(path: str) -> str:
    return str(current_app.config["SITE_URL"]).rstrip("/") + path


def subscriber_links(subscription_id: int) -> dict[str, str]:
    token = tokens.make_token(tokens.PREFERENCES, subscription_id)
    return {
        "preferences_url": site_url(f"/subscriptions/preferences/{token}"),
        "unsubscribe_url": site_url(f"/subscriptions/unsubscribe/{token}"),
    }


def list_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a one-click unsubscribe by POST to *unsubscribe_url*."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def long_date(day: dt.date) -> str:
    """18 December 2026 (English until dates are localised with the templates)."""
    return f"{day.day} {day:%B %Y}"


def subject(template: str, **values: object) -> str:
    """The subject line, on one line whatever the values hold (a title with a line break)."""
    return " ".join(SUBJECTS[template].format(**values).split())


def render(template: str, locale: str, **context: Any) -> tuple[str, str]:
    """The .txt and .html bodies of *template* in *locale*, or in English when not translated."""
    locale = locale if locale in LANGUAGES else DEFAULT_LOCALE
    values = {"locale": locale, "site_url": site_url("/"), **context}
    text = render_template([f"mail/{locale}/{template}.txt", f"mail/{template}.txt"], **values)
    html = render_template([f"mail/{locale}/{template}.html", f"mail/{template}.html"], **values)
    return text, html


def render_shared(template: str, locale: str, **context: Any) -> tuple[str, str]:
    """Render once for many subscribers: their links are slots that personalise() fills."""
    return render(
        template,
        locale,
        preferences_url=PREFERENCES_SLOT,
        unsubscribe_url=UNSUBSCRIBE_SLOT,
        **context,
    )


def personalise(
    subscription: Subscription, key: str, subject_line: str, bodies: tuple[str, str]
) -> Draft:
    """A draft of a shared body for one subscriber: their links and their headers."""
    links = subscriber_links(subscription.id)
    text, html = (
        body.replace(PREFERENCES_SLOT, links["preferences_url"]).replace(
            UNSUBSCRIBE_SLOT, links["unsubscribe_url"]
        )
        for body in bodies
    )
    return Draft(
        key=key,
        to=subscription.email,
        subject=subject_line,
        text=text,
        html=html,
        headers=list_headers(links["unsubscribe_url"]),
    )


def queue_for(
    subscription: Subscription, *, template: str, key: str, subject_line: str, **context: Any
) -> OutboundEmail | None:
    """Render *template* for one subscriber and queue it under *key*, with unsubscribe headers."""
    links = subscriber_links(subscription.id)
    text, html = render(template, subscription.locale, **links, **context)
    return queue_email(
        key=key,
        to=subscription.email,
        subject=subject_line,
        text=text,
        html=html,
        headers=list_headers(links["unsubscribe_url"]),
    )
