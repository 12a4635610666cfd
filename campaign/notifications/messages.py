"""Notification mails: composed (campaign.mail.compose) in the subscriber's language, with their
per-subscriber links, queued with RFC 8058 headers."""

from __future__ import annotations

from typing import Any, Protocol

from campaign.i18n import DEFAULT, site_url
from campaign.i18n import LANGUAGES as SITE_LANGUAGES
from campaign.mail import compose
from campaign.mail.headers import list_id
from campaign.mail.models import OutboundEmail
from campaign.mail.services import Draft, queue_email
from campaign.notifications import tokens
from campaign.notifications.models import Subscription

# The languages a subscriber can choose, each named in itself. A template under
# templates/mail/<locale>/ takes precedence over the shared one.
LANGUAGES = {code: language.name for code, language in SITE_LANGUAGES.items()}
DEFAULT_LOCALE = DEFAULT


class Recipient(Protocol):
    """What a mail needs of a subscription: a Subscription, or a row of its columns."""

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def locale(self) -> str: ...


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


def _links_and_header(subscription: Recipient) -> tuple[dict[str, str], dict[str, str]]:
    """The links for the body in the subscriber's language, and the list headers."""
    token = tokens.make_token(tokens.PREFERENCES, subscription.id)
    header = _links(token, None)["unsubscribe_url"]
    return _links(token, subscription.locale), list_headers(header)


def list_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a one-click unsubscribe by POST to *unsubscribe_url*.

    The mail provider posts to it, whatever the reader's language: it is the unprefixed link.
    """
    return {
        "List-Id": list_id(),
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def render_shared(template: str, locale: str, **context: Any) -> tuple[str, str]:
    """Render once for many subscribers: their links are slots that personalise() fills."""
    return compose.render(
        template,
        locale,
        preferences_url=PREFERENCES_SLOT,
        unsubscribe_url=UNSUBSCRIBE_SLOT,
        **context,
    )


def personalise(
    subscription: Recipient, key: str, subject_line: str, bodies: tuple[str, str]
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
    text, html = compose.render(template, subscription.locale, **links, **context)
    return queue_email(
        key=key,
        to=subscription.email,
        subject=subject_line,
        text=text,
        html=html,
        headers=headers,
    )
