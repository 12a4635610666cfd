"""A confirmed pledge that opted in to updates makes its signer a subscriber; stopping
updates, withdrawing or erasing the pledge ends that subscription."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from campaign.extensions import db
from campaign.notifications.models import Subscription
from campaign.pledges import services
from tests.pledges.helpers import signed


def _subscriptions() -> list[Subscription]:
    return list(db.session.scalars(select(Subscription)))


def test_confirming_an_opted_in_pledge_subscribes_to_the_country(app: Flask) -> None:
    pledge = signed(confirmed=False)
    assert _subscriptions() == []  # not before the mailbox is proven
    services.confirm_pledge(pledge=pledge)
    db.session.commit()
    [subscription] = _subscriptions()
    assert subscription.pledge_id == pledge.id
    assert subscription.is_mailable
    assert [s.iso3 for s in subscription.states] == ["MEX"]


def test_no_subscription_without_the_opt_in(app: Flask) -> None:
    signed(wants_updates=False)
    assert _subscriptions() == []


def test_confirming_twice_keeps_one_subscription(app: Flask) -> None:
    pledge = signed()
    services.confirm_pledge(pledge=pledge)
    db.session.commit()
    assert len(_subscriptions()) == 1


def test_stopping_updates_unsubscribes(app: Flask) -> None:
    pledge = signed()
    services.stop_updates(pledge=pledge)
    db.session.commit()
    [subscription] = _subscriptions()
    assert subscription.unsubscribed_at is not None and not subscription.is_mailable


def test_withdrawing_unsubscribes(app: Flask) -> None:
    pledge = signed()
    services.withdraw_pledge(pledge=pledge)
    db.session.commit()
    [subscription] = _subscriptions()
    assert not subscription.is_mailable


def test_erasing_deletes_the_subscription_and_its_address(app: Flask) -> None:
    pledge = signed()
    services.erase_pledge(pledge=pledge)
    db.session.commit()
    assert _subscriptions() == []
