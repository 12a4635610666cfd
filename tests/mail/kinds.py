"""Every kind of mail the system sends, made six times (one per language) by the code that
makes it in production, for the tests that check every kind: spam score, headers, bodies.

Each mail is made by the code that makes it in production (a pledge signed, a moderation, a
fan-out, a digest chunk, a reminder job, an account mail), read back from the outbox, built by
the SMTP layer as the relay receives it and fed to `spamassassin -L -t` (Debian's package,
installed by `make test`). The site runs on a real domain, as in production: the tests' own
SITE_URL (an IP address) and sender (localhost) are nothing a reader ever gets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from flask import Flask

from campaign.accounts import services as accounts
from campaign.accounts import tokens as account_tokens
from campaign.accounts.mail import queue_account_mail
from campaign.accounts.models import User
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.notifications import alerts, digests, reminders
from campaign.notifications import services as subscriptions
from campaign.organisations.models import Organisation
from campaign.outreach.models import OutreachTask
from campaign.pledges import services as pledges
from campaign.pledges.models import Pledge
from campaign.pledges.moderation import moderate_pledge
from campaign.states.services import Act, record_status_change
from tests.factories import OutreachTaskFactory
from tests.notifications.helpers import NOW, outbox_rows, partner_organisation, state, subscriber
from tests.pledges.helpers import pledge_by_email
from tests.support.auth import PASSWORD

LOCALES = ("en", "ar", "zh", "fr", "ru", "es")
SITE_URL = "https://campaign.example.org"
SENDER = "Migrant Workers Convention campaign <campaign@campaign.example.org>"
SOURCE = "Depositary notification C.N.123.2026.TREATIES-IV.13"
SOURCE_URL = "https://treaties.un.org/doc/Publication/CN/2026/CN.123.2026-Eng.pdf"
MIGRANTS_DAY_REMINDER = dt.date(2026, 12, 11)  # seven days before
DUE = dt.date(2026, 12, 4)


def address(locale: str) -> str:
    return f"reader.{locale}@example.org"


def _sign(kind: str = "individual", *, confirm: bool = False) -> list[Pledge]:
    """A pledge per language, signed as the form signs it."""
    organisation = {
        "organisation_name": "Kafa'a Migrant Rights",
        "organisation_kind": "ngo",
        "website": "https://kafaa.example.org",
        "contact_role": "Director",
    }
    for locale in LOCALES:
        data = pledges.PledgeData(
            kind=kind,
            name="Amina Yusuf",
            email=address(locale),
            country_id=state("MEX").id,
            message="For my sister, who works in Monterrey.",
            is_public=True,
            wants_updates=True,
            locale=locale,
            **(organisation if kind == "organisation" else {}),
        )
        pledges.sign_pledge(data=data, ip=None)
    db.session.flush()
    signed = [pledge_by_email(address(locale)) for locale in LOCALES]
    for pledge in signed if confirm else []:
        pledges.confirm_pledge(pledge=pledge)
    return signed


def _pledge_confirm() -> None:
    _sign()


def _pledge_reminder() -> None:
    _sign()
    pledges.remind_unconfirmed(now=utcnow() + dt.timedelta(days=3))


def _moderated(approve: bool) -> Callable[[], None]:
    def produce() -> None:
        actor = accounts.create_user(
            email="coordinator@example.org", password=PASSWORD, role="coordinator"
        )
        reason = "" if approve else "We could not find your organisation's work with migrants."
        for pledge in _sign("organisation", confirm=True):
            moderate_pledge(pledge=pledge, approve=approve, reason=reason, actor=actor)

    return produce


def _subscription_confirm() -> None:
    for locale in LOCALES:
        preferences = subscriptions.Preferences(
            locale=locale, frequency="weekly", alerts="followed", states=[state("BRA")]
        )
        subscriptions.request_subscription(email=address(locale), preferences=preferences)


def _record_signature(day: dt.date) -> int:
    act = Act("signature", day, SOURCE, SOURCE_URL)
    change = record_status_change(state=state("BRA"), act=act, recorded_by=None, via="sync")
    assert change is not None
    db.session.flush()
    return change.id


def _alert() -> None:
    for locale in LOCALES:
        subscriber(address(locale), follows=["BRA"], locale=locale, frequency="none")
    alerts.fan_out(change_id=_record_signature(dt.date(2026, 11, 2)))


def _digest(kind: str, today: dt.date) -> Callable[[], None]:
    """A period with a signature and a task done; its digest prepared for one chunk."""

    def produce() -> None:
        organisation = partner_organisation("Conectas", "BRA")
        with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
            _record_signature(dt.date(2026, 11, 24))
            done = _task(organisation, "Briefing for the Senate committee on migration")
            done.status, done.completed_at = "done", utcnow()
            db.session.flush()
        ids = [subscriber(address(locale), locale=locale, frequency=kind).id for locale in LOCALES]
        digest = digests.build_digest(kind=kind, today=today)
        digests.prepare_chunk(digest_id=digest.id, first_id=min(ids), last_id=max(ids))

    return produce


def _task(organisation: Organisation, title: str, **fields: object) -> OutreachTask:
    return OutreachTaskFactory(organisation=organisation, title=title, **{"due_on": DUE, **fields})


def _partners() -> None:
    """A partner user per language, their organisation with open tasks on Brazil."""
    organisation = partner_organisation("Conectas", "BRA")
    for locale in LOCALES:
        user = accounts.create_user(
            email=address(locale),
            password=PASSWORD,
            role="partner",
            organisation_id=organisation.id,
        )
        user.locale = locale
    _task(organisation, "Letter to the foreign minister on ratification")
    _task(organisation, "Migrants Day vigil", kind="migrants_day", due_on=None)


def _migrants_day_partner() -> None:
    _partners()
    reminders.queue_migrants_day(today=MIGRANTS_DAY_REMINDER)


def _migrants_day_supporter() -> None:
    for locale in LOCALES:
        subscriber(address(locale), locale=locale, frequency="monthly")
    reminders.queue_migrants_day(today=MIGRANTS_DAY_REMINDER)


def _task_notice(today: dt.date) -> Callable[[], None]:
    def produce() -> None:
        _partners()
        reminders.queue_task_notices(today=today)

    return produce


def _users(role: str, password: str | None) -> list[User]:
    users = []
    for locale in LOCALES:
        user = accounts.create_user(email=address(locale), password=password, role=role)
        user.locale = locale
        users.append(user)
    db.session.flush()
    return users


def _invite() -> None:
    # The invitation's own path (invitations.invite_user, and its resend), in the account's
    # language: English until the invitee joins, but every language has its template.
    actor = accounts.create_user(email="admin@example.org", password=PASSWORD, role="admin")
    for user in _users("coordinator", None):
        queue_account_mail(user, account_tokens.INVITE, inviter=actor)


def _password_reset() -> None:
    for user in _users("coordinator", PASSWORD):
        accounts.request_password_reset(email=user.email)


KINDS: dict[str, tuple[str, Callable[[], None]]] = {
    # kind: (outbox key prefix, how the six mails are made)
    "pledge_confirm": ("pledge-confirm:", _pledge_confirm),
    "pledge_reminder": ("pledge-reminder:", _pledge_reminder),
    "pledge_approved": ("pledge-moderation:", _moderated(approve=True)),
    "pledge_rejected": ("pledge-moderation:", _moderated(approve=False)),
    "subscription_confirm": ("subscription-confirm:", _subscription_confirm),
    "alert": ("alert:", _alert),
    "digest_weekly": ("digest:", _digest("weekly", dt.date(2026, 11, 30))),
    "digest_monthly": ("digest:", _digest("monthly", dt.date(2026, 12, 1))),
    "migrants_day_partner": ("migrants-day:", _migrants_day_partner),
    "migrants_day_supporter": ("migrants-day:", _migrants_day_supporter),
    "task_due": ("task-due:", _task_notice(DUE - dt.timedelta(days=3))),
    "task_overdue": ("task-overdue:", _task_notice(DUE + dt.timedelta(days=1))),
    "invite": ("invite:", _invite),
    "password_reset": ("password-reset:", _password_reset),
}


def mails(prefix: str) -> dict[str, OutboundEmail]:
    """The outbox row of each language, by its recipient."""
    by_address = {row.to_address: row for row in outbox_rows(prefix)}
    return {
        locale: by_address[address(locale)] for locale in LOCALES if address(locale) in by_address
    }


def produce(app: Flask, kind: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, OutboundEmail]:
    """The six mails of *kind*, on a site with a real domain, by language."""
    monkeypatch.setitem(app.config, "SITE_URL", SITE_URL)
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", SENDER)
    prefix, make = KINDS[kind]
    with time_machine.travel(NOW, tick=False):
        make()
    found = mails(prefix)
    assert sorted(found) == sorted(LOCALES), f"{kind}: mails only in {sorted(found)}"
    return found
