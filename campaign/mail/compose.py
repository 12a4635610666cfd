"""The one place a mail is rendered: subject, text and HTML in the recipient's language.

A template under `templates/mail/<locale>/` takes precedence over the shared one; links are
built from `SITE_URL` under the language's prefix; every subject is here, and so is the
cooldown within which a second mail of the same link is not sent (a double click is one mail).
Features queue what this module composes through the outbox (`campaign.mail.services`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import Flask, render_template
from flask_babel import LazyString, force_locale, ngettext
from flask_babel import lazy_gettext as _l

from campaign.i18n import DEFAULT, known, localised, site_url

__all__ = [
    "DEFAULT",
    "RESEND_COOLDOWN",
    "Composed",
    "compose",
    "cooled_down",
    "known",
    "link",
    "long_date",
    "render",
    "state_name",
    "subject",
]

# Another mail of the same link within this interval is not sent.
RESEND_COOLDOWN = dt.timedelta(minutes=2)

SUBJECTS: dict[str, LazyString] = {
    "pledge_confirm": _l("Please confirm your pledge of support"),
    "pledge_reminder": _l("Reminder: please confirm your pledge of support"),
    "pledge_already": _l("Your pledge of support is confirmed"),
    "pledge_approved": _l("Your organisation's pledge of support is published"),
    "pledge_rejected": _l("About your organisation's pledge of support"),
    "invite": _l("Your invitation to the Migrant Workers Convention campaign"),
    "password_reset": _l("Reset your password for the Migrant Workers Convention campaign"),
    "subscription_confirm": _l("Please confirm your subscription to campaign updates"),
    "subscription_active": _l("You are already subscribed to campaign updates"),
    "task_due": _l("Due on %(due)s: %(title)s"),
    "task_overdue": _l("Overdue since %(due)s: %(title)s"),
    "digest": _l("%(period)s: where the Migrant Workers Convention stands"),
    "held_alert": _l("Mail held: one client asked for mail to many new addresses"),
}
# An alert's subject is a whole sentence per act, keyed on the act's code.
ALERT_SUBJECTS: dict[str, LazyString] = {
    "signature": _l("%(state)s signed the Migrant Workers Convention"),
    "ratification": _l("%(state)s ratified the Migrant Workers Convention"),
    "accession": _l("%(state)s acceded to the Migrant Workers Convention"),
}


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def link(path: str, locale: str | None = None) -> str:
    """An absolute link to *path* on the site, on the pages of *locale* (none: unprefixed)."""
    return site_url(path, locale)


def long_date(day: dt.date | None, locale: str | None = None) -> str:
    """18 December 2026 in English (the default, whatever the page's language); the CLDR long
    date in *locale*'s language."""
    return localised.long_date(day, known(locale))


def state_name(state: localised.Named, locale: str | None = None) -> str:
    """The state's name in *locale*'s language (the registry's name in English)."""
    return localised.state_name(state, known(locale))


def cooled_down(last: dt.datetime | None, now: dt.datetime) -> bool:
    """True if a mail last sent at *last* (None: never) may be followed by another at *now*."""
    return last is None or last < now - RESEND_COOLDOWN


def _subject_text(name: str, values: dict[str, Any]) -> str:
    if name == "alert":
        act = str(values.get("act", ""))
        return str(ALERT_SUBJECTS[act]) % values
    if name == "migrants_day_partner":
        return ngettext(
            "International Migrants Day in %(num)d day: your open tasks",
            "International Migrants Day in %(num)d days: your open tasks",
            int(values["days"]),
        )
    if name == "migrants_day_supporter":
        return ngettext(
            "International Migrants Day in %(num)d day: act with us",
            "International Migrants Day in %(num)d days: act with us",
            int(values["days"]),
        )
    return str(SUBJECTS[name]) % values


def subject(name: str, locale: str | None = None, **values: Any) -> str:
    """The subject *name* in *locale*, on one line whatever the values hold (a title with a
    line break)."""
    if not values:  # a fixed line (a pledge's confirmation): worked out once per language
        return _fixed_subject(name, known(locale))
    return _subject_in(name, known(locale), values)


@lru_cache(maxsize=256)
def _fixed_subject(name: str, code: str) -> str:
    """The catalogues are the code's own files: a line without values never changes."""
    return _subject_in(name, code, {})


def _subject_in(name: str, code: str, values: dict[str, Any]) -> str:
    with force_locale(code):
        line = _subject_text(name, values)
    return " ".join(line.split())


def render(template: str, locale: str | None, **context: Any) -> tuple[str, str]:
    """The .txt and .html bodies of *template* in *locale* (the locale's own template first)."""
    code = known(locale)
    values = {"locale": code, "site_url": site_url("/", code), **context}
    with force_locale(code):
        text = render_template([f"mail/{code}/{template}.txt", f"mail/{template}.txt"], **values)
        html = render_template([f"mail/{code}/{template}.html", f"mail/{template}.html"], **values)
    return text, html


def compose(
    template: str, locale: str | None, *, subject_name: str | None = None, **context: Any
) -> Composed:
    """Subject and bodies of *template* in *locale*; the subject's placeholders come from
    *context* (its name is the template's unless *subject_name* says otherwise)."""
    text, html = render(template, locale, **context)
    return Composed(subject(subject_name or template, locale, **context), text, html)


# Officials' endorsements (campaign/endorsements/mail.py).
SUBJECTS["endorsement_confirm"] = _l("Please confirm your endorsement of the Convention")
SUBJECTS["endorsement_already"] = _l("Your endorsement of the Convention is confirmed")
SUBJECTS["endorsement_verified"] = _l("Your endorsement of the Convention is published")
SUBJECTS["endorsement_rejected"] = _l("About your endorsement of the Convention")


# Webhooks (campaign/webhooks/notices.py): an endpoint disabled after repeated failures.
SUBJECTS["webhook_disabled"] = _l("Your webhook endpoint was disabled after repeated failures")


def compose_webhook_disabled(locale: str | None, **context: Any) -> Composed:
    """The notice to an organisation that one of its webhook endpoints was disabled."""
    return compose("webhook_disabled", locale, **context)


# The road to ratification (campaign/notifications/stage_alerts.py): a confirmed change of stage.
SUBJECTS["stage_alert"] = _l("%(state)s: a new step on the road to ratification")


def compile_templates(app: Flask) -> int:
    """Compile every mail template into *app*'s template cache; how many. The worker does it
    once before its pool forks, so no child compiles them again on its first mail (a digest
    chunk on a fresh child paid some 30 ms for its two)."""
    names = [name for name in app.jinja_env.list_templates() if name.startswith("mail/")]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
