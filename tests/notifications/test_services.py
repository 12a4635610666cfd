"""Subscription services in-process: double opt-in, preferences, bounces, pledgers and staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.core.addresses import InvalidEmail, mailable_address
from campaign.core.jobs import SEND_EMAIL
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.notifications import services
from campaign.notifications.models import Subscription
from campaign.notifications.services import Preferences
from campaign.pledges.models import Pledge
from tests.notifications.helpers import NOW, outbox_rows, state, subscriber
from tests.support.auth import make_user
from tests.support.rows import count


def _subscribe(email: str = "Ana@Example.org", **preferences: Any) -> None:
    services.request_subscription(email=email, preferences=Preferences(**preferences))
    db.session.commit()


def _only() -> Subscription:
    db.session.expire_all()
    [subscription] = db.session.scalars(select(Subscription)).all()
    return subscription


def test_subscribing_stores_an_unconfirmed_subscription_and_mails_once(
    app: Flask, published_jobs: list[Any]
) -> None:
    _subscribe(frequency="weekly", alerts="followed", states=[state("BRA")])
    subscription = _only()
    assert (subscription.email, subscription.email_canonical) == ("ana@example.org",) * 2
    assert subscription.confirmed_at is None and not subscription.is_mailable
    assert [s.iso3 for s in subscription.states] == ["BRA"]
    [mail] = outbox_rows("subscription-confirm:")
    assert mail.to_address == "ana@example.org" and "/subscriptions/confirm/" in mail.body_text
    assert "List-Unsubscribe" not in mail.headers  # not a list mail: nothing to unsubscribe from
    assert published_jobs == [(SEND_EMAIL, (mail.id,))]


def test_subscribing_again_at_once_sends_nothing_more(app: Flask) -> None:
    for _ in range(5):
        _subscribe()
    assert count(Subscription) == 1
    assert len(outbox_rows("subscription-confirm:")) == 1


def test_confirmation_mails_are_capped(app: Flask) -> None:
    import time_machine

    for minutes in range(0, 60, 5):
        with time_machine.travel(NOW + dt.timedelta(minutes=minutes), tick=False):
            _subscribe()
    assert len(outbox_rows("subscription-confirm:")) == services.MAX_CONFIRM_MAILS


def test_an_active_subscriber_is_told_and_keeps_their_preferences(app: Flask) -> None:
    existing = subscriber("ana@example.org", frequency="monthly", alerts="all")
    existing.confirm_mailed_at = NOW
    db.session.commit()
    _subscribe(frequency="none", alerts="none")
    subscription = _only()
    assert (subscription.frequency, subscription.alerts) == ("monthly", "all")
    [mail] = outbox_rows("subscription-confirm:")
    assert mail.subject == "You are already subscribed to campaign updates"
    assert "/subscriptions/preferences/" in mail.body_text


def test_an_unsubscribed_address_subscribes_again_only_by_confirming(app: Flask) -> None:
    subscriber("ana@example.org", unsubscribed_at=NOW)
    db.session.commit()
    _subscribe(frequency="weekly")
    subscription = _only()
    assert subscription.unsubscribed_at is not None and subscription.frequency == "weekly"
    assert services.confirm_subscription(subscription=subscription)
    assert subscription.is_mailable
    assert not services.confirm_subscription(subscription=subscription)


@pytest.mark.parametrize(
    "address",
    ["", "not-an-address", "a@example.org\r\nBcc: b@example.org", "😀@example.org", "a@b@c.org"],
)
def test_unmailable_addresses_are_refused(app: Flask, address: str) -> None:
    with pytest.raises(InvalidEmail):
        services.request_subscription(email=address, preferences=Preferences())
    assert count(Subscription) == 0 and count(OutboundEmail) == 0


def test_international_domains_are_stored_as_punycode(app: Flask) -> None:
    assert mailable_address("Ana@Bücher.example") == "ana@xn--bcher-kva.example"


def test_preferences_and_unsubscribe(app: Flask) -> None:
    subscription = subscriber("ana@example.org", follows=["BRA"])
    services.update_preferences(
        subscription=subscription,
        preferences=Preferences("fr", "weekly", "all", [state("MEX"), state("PHL")]),
    )
    assert (subscription.locale, subscription.frequency, subscription.alerts) == (
        "fr",
        "weekly",
        "all",
    )
    assert sorted(s.iso3 for s in subscription.states) == ["MEX", "PHL"]
    assert services.unsubscribe(subscription=subscription)
    assert not services.unsubscribe(subscription=subscription)
    assert not subscription.is_mailable
    services.update_preferences(subscription=subscription, preferences=Preferences())
    assert subscription.is_mailable  # saving preferences from the link subscribes again


def test_a_bounce_marks_the_address_whatever_its_spelling(app: Flask) -> None:
    subscription = subscriber("ana.maria@gmail.com", email_canonical="anamaria@gmail.com")
    db.session.commit()
    assert services.record_bounce(address="Ana.Maria+news@Gmail.com") == 1
    assert services.record_bounce(address="anamaria@gmail.com") == 0  # marked already
    db.session.refresh(subscription)
    assert subscription.bounced_at is not None and not subscription.is_mailable
    services.clear_bounce(address="ana.maria@gmail.com")
    db.session.refresh(subscription)
    assert subscription.is_mailable


def _pledge(**fields: Any) -> Pledge:
    values: dict[str, Any] = {
        "kind": "individual",
        "name": "Amina",
        "email": "amina@example.org",
        "email_canonical": "amina@example.org",
        "country": state("MEX"),
        "wants_updates": True,
        "confirmed_at": NOW,
        "locale": "es",
        **fields,
    }
    pledge = Pledge(**values)
    db.session.add(pledge)
    db.session.flush()
    return pledge


def test_a_confirmed_pledge_that_opted_in_becomes_a_subscriber(app: Flask) -> None:
    pledge = _pledge()
    subscription = services.ensure_pledge_subscription(pledge)
    assert subscription is not None and subscription.is_mailable
    assert (subscription.pledge_id, subscription.locale) == (pledge.id, "es")
    assert [s.iso3 for s in subscription.states] == ["MEX"]
    assert services.ensure_pledge_subscription(pledge) is subscription  # idempotent
    assert count(Subscription) == 1
    services.end_pledge_subscription(pledge=pledge)
    assert subscription.unsubscribed_at is not None
    services.end_pledge_subscription(pledge=pledge, erase=True)
    db.session.flush()
    assert count(Subscription) == 0


@pytest.mark.parametrize(
    "fields", [{"wants_updates": False}, {"confirmed_at": None}, {"erased_at": NOW}]
)
def test_other_pledges_do_not_subscribe(app: Flask, fields: dict[str, Any]) -> None:
    assert services.ensure_pledge_subscription(_pledge(**fields)) is None
    assert count(Subscription) == 0


def test_a_pledge_reactivates_the_same_mailbox(app: Flask) -> None:
    known = subscriber("amina@example.org", unsubscribed_at=NOW, bounced_at=NOW)
    subscription = services.ensure_pledge_subscription(_pledge())
    assert subscription is known and known.is_mailable


def test_every_active_user_is_a_subscriber_once(app: Flask) -> None:
    coordinator = make_user("coordinator", "coord@example.org")
    partner = make_user("partner", "partner@example.org")
    inactive = make_user("coordinator", "gone@example.org")
    inactive.is_active = False
    known = subscriber("partner@example.org", confirmed=False)
    assert services.ensure_staff_subscriptions() == 2
    assert services.ensure_staff_subscriptions() == 0
    by_user = {s.user_id: s for s in db.session.scalars(select(Subscription))}
    assert set(by_user) == {coordinator.id, partner.id}
    assert by_user[partner.id] is known and known.is_mailable
