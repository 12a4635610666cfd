"""Notification mails: rendered in the subscriber's language, queued with RFC 8058 headers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import render_template
from flask_babel import LazyString, force_locale, ngettext
from flask_babel import lazy_gettext as _l

from campaign import localised
from campaign.i18n import DEFAULT, site_url
from campaign.i18n import LANGUAGES as SITE_LANGUAGES
from campaign.i18n import known as known_locale
from campaign.mail.models import OutboundEmail
from campaign.mail.services import Draft, queue_email
from campaign.notifications import tokens
from campaign.notifications.models import Subscription

# The languages a subscriber can choose, each named in itself. A template under
# templates/mail/<locale>/ takes precedence over the shared one.
LANGUAGES = {code: language.name for code, language in SITE_LANGUAGES.items()}
DEFAULT_LOCALE = DEFAULT

SUBJECTS: dict[str, LazyString] = {
    "task_due": _l("Due on %(due)s: %(title)s"),
    "task_overdue": _l("Overdue since %(due)s: %(title)s"),
    "digest": _l("%(period)s: where the Migrant Workers Convention stands"),
    "subscription_confirm": _l("Please confirm your subscription to campaign updates"),
    "subscription_active": _l("You are already subscribed to campaign updates"),
}
# An alert's subject is a whole sentence per act; its body gets the act's English headline.
ALERT_SUBJECTS: dict[str, LazyString] = {
    "signed the Migrant Workers Convention": _l("%(state)s signed the Migrant Workers Convention"),
    "ratified the Migrant Workers Convention": _l(
        "%(state)s ratified the Migrant Workers Convention"
    ),
    "acceded to the Migrant Workers Convention": _l(
        "%(state)s acceded to the Migrant Workers Convention"
    ),
}

# Stand-ins for the per-subscriber links in a body rendered once for many subscribers.
PREFERENCES_SLOT = "@@preferences_url@@"
UNSUBSCRIBE_SLOT = "@@unsubscribe_url@@"


def _links(token: str, locale: str | None) -> dict[str, str]:
    return {
        "preferences_url": site_url(f"/subscriptions/preferences/{token}", locale),
        "unsubscribe_url": site_url(f"/subscriptions/unsubscribe/{token}", locale),
    }


def subscriber_links(subscription_id: int, locale: str | None = None) -> dict[str, str]:
    """The subscriber's preferences and unsubscribe links, in *locale*."""
    return _links(tokens.make_token(tokens.PREFERENCES, subscription_id), locale)


def _links_and_header(subscription: Subscription) -> tuple[dict[str, str], dict[str, str]]:
    """The links for the body in the subscriber's language, and the list headers."""
    token = tokens.make_token(tokens.PREFERENCES, subscription.id)
    header = _links(token, None)["unsubscribe_url"]
    return _links(token, subscription.locale), list_headers(header)


def list_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a one-click unsubscribe by POST to *unsubscribe_url*.

    The mail provider posts to it, whatever the reader's language: it is the unprefixed link.
    """
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def long_date(day: dt.date, locale: str | None = None) -> str:
    """18 December 2026 in English; the CLDR long date in *locale*'s language."""
    return localised.long_date(day, known_locale(locale))


def state_name(state: localised.Named, locale: str | None = None) -> str:
    """The state's name in *locale*'s language (the registry's name in English)."""
    return localised.state_name(state, known_locale(locale))


def _subject_text(template: str, values: dict[str, Any]) -> str:
    """The subject of *template* in the current locale, its placeholders filled."""
    if template == "alert":
        headline = str(values.get("headline", ""))
        message = ALERT_SUBJECTS.get(headline)
        return str(message) % values if message is not None else f"{values['state']} {headline}"
    if template == "migrants_day_partner":
        return ngettext(
            "International Migrants Day in %(num)d day: your open tasks",
            "International Migrants Day in %(num)d days: your open tasks",
            int(values["days"]),
        )
    if template == "migrants_day_supporter":
        return ngettext(
            "International Migrants Day in %(num)d day: act with us",
            "International Migrants Day in %(num)d days: act with us",
            int(values["days"]),
        )
    return str(SUBJECTS[template]) % values


def subject(template: str, locale: str | None = None, **values: Any) -> str:
    """The subject line in *locale*, on one line whatever the values hold (a title with a
    line break)."""
    with force_locale(known_locale(locale)):
        line = _subject_text(template, values)
    return " ".join(line.split())


def render(template: str, locale: str, **context: Any) -> tuple[str, str]:
    """The .txt and .html bodies of *template* in *locale*, or in English when not translated."""
    locale = known_locale(locale)
    values = {"locale": locale, "site_url": site_url("/", locale), **context}
    with force_locale(known_locale(locale)):
        text = render_template([f"mail/{locale}/{template}.txt", f"mail/{template}.txt"], **values)
        html = render_template(
            [f"mail/{locale}/{template}.html", f"mail/{template}.html"], **values
        )
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
    links, headers = _links_and_header(subscription)
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
        headers=headers,
    )


def queue_for(
    subscription: Subscription, *, template: str, key: str, subject_line: str, **context: Any
) -> OutboundEmail | None:
    """Render *template* for one subscriber and queue it under *key*, with unsubscribe headers."""
    links, headers = _links_and_header(subscription)
    text, html = render(template, subscription.locale, **links, **context)
    return queue_email(
        key=key,
        to=subscription.email,
        subject=subject_line,
        text=text,
        html=html,
        headers=headers,
    )
