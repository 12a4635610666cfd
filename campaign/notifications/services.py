"""Subscribing, confirming, preferences, unsubscribing and bounces. Nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from campaign.accounts.models import User
from campaign.core.addresses import mailable_address, matching_key
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import caps, compose
from campaign.mail.services import queue_email
from campaign.notifications import messages, tokens
from campaign.notifications.models import Subscription
from campaign.pledges.models import Pledge
from campaign.states.models import State

MAX_CONFIRM_MAILS = 5
# Subscribing again within this interval re-sends nothing: a burst of submissions is one mail.


@dataclass(frozen=True)
class Preferences:
    """What a subscriber wants: language, digest frequency, alerts and the states followed."""

    locale: str = "en"
    frequency: str = "monthly"
    alerts: str = "followed"
    states: list[State] = field(default_factory=list)
    # Alerts on the road to ratification too (a followed state's change of stage).
    stage_alerts: bool = False


def find_by_email(address: str) -> Subscription | None:
    return db.session.scalars(
        select(Subscription).filter_by(email_canonical=matching_key(address))
    ).first()


def request_subscription(*, email: str, preferences: Preferences) -> None:
    """Store an unconfirmed subscription and mail its confirmation, or mail a known address.

    The caller shows the same page whatever happened: nothing tells whether the address was
    known. An active subscription's preferences are not changed from here, only from its link.
    """
    address = mailable_address(email)
    existing = find_by_email(address)
    if existing is None:
        subscription = Subscription(
            email=address,
            email_canonical=matching_key(address),
            confirm_mails_sent=1,
            confirm_mailed_at=utcnow(),
        )
        _apply(subscription, preferences)
        try:
            with db.session.begin_nested():
                db.session.add(subscription)
        except IntegrityError:  # the same address subscribed concurrently and won
            existing = find_by_email(address)
        else:
            _queue_confirmation(subscription, 1)
            return
    if existing is not None:
        _subscribe_again(existing, preferences)


def _subscribe_again(subscription: Subscription, preferences: Preferences) -> None:
    number = _claim_confirm_slot(subscription)
    if number is None:
        return
    if subscription.is_mailable:
        _queue_confirmation(subscription, number, active=True)
        return
    _apply(subscription, preferences)  # not active: nothing is mailed until it is confirmed
    _queue_confirmation(subscription, number)


def _claim_confirm_slot(subscription: Subscription) -> int | None:
    """Reserve one more confirmation mail under the cap and cooldown; its number, or None."""
    return caps.claim_mail_slot(
        subscription,
        sent=Subscription.confirm_mails_sent,
        mailed_at=Subscription.confirm_mailed_at,
        cap=MAX_CONFIRM_MAILS,
        now=utcnow(),
    )


def _queue_confirmation(subscription: Subscription, number: int, *, active: bool = False) -> None:
    db.session.flush()
    token = tokens.make_token(tokens.CONFIRM, subscription.id)
    template = "subscription_active" if active else "subscription_confirm"
    locale = compose.known(subscription.locale)
    text, html = compose.render(
        "subscription_confirm",
        locale,
        active=active,
        confirm_url=compose.link(f"/subscriptions/confirm/{token}", locale),
        **messages.subscriber_links(subscription.id, locale),
    )
    queue_email(
        key=f"subscription-confirm:{subscription.id}:{number}",
        to=subscription.email,
        subject=compose.subject(template, locale),
        text=text,
        html=html,
    )


def _apply(subscription: Subscription, preferences: Preferences) -> None:
    subscription.locale = preferences.locale
    subscription.frequency = preferences.frequency
    subscription.alerts = preferences.alerts
    subscription.states = list(preferences.states)
    subscription.is_alerted_on_stages = preferences.stage_alerts


def confirm_subscription(*, subscription: Subscription) -> bool:
    """Confirm and reactivate; True if anything changed.

    The link reached the mailbox, so a bounce mark is cleared too.
    """
    if subscription.is_mailable:
        return False
    subscription.confirmed_at = subscription.confirmed_at or utcnow()
    subscription.unsubscribed_at = None
    subscription.bounced_at = None
    return True


def update_preferences(*, subscription: Subscription, preferences: Preferences) -> None:
    """Save what the subscriber chose from their signed link; saving subscribes them again."""
    _apply(subscription, preferences)
    confirm_subscription(subscription=subscription)


def unsubscribe(*, subscription: Subscription) -> bool:
    """Stop all campaign mail to this address; True if it was subscribed. Idempotent."""
    if subscription.unsubscribed_at is not None:
        return False
    subscription.unsubscribed_at = utcnow()
    return True


def record_bounce(*, address: str) -> int:
    """A relay refused *address* for good (5xx): mark its subscription; how many were marked."""
    result = db.session.execute(
        update(Subscription)
        .where(
            Subscription.email_canonical == matching_key(address), Subscription.bounced_at.is_(None)
        )
        .values(bounced_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def clear_bounce(*, address: str) -> None:
    """A coordinator retries a bounced message: mail the address again."""
    db.session.execute(
        update(Subscription)
        .where(Subscription.email_canonical == matching_key(address))
        .values(bounced_at=None)
        .execution_options(synchronize_session=False)
    )


def ensure_pledge_subscription(pledge: Pledge) -> Subscription | None:
    """A confirmed subscription for a confirmed pledge that opted in to updates, else None.

    Call it when a pledge is confirmed: the pledge's own confirmation proves the mailbox, so
    an unsubscribed or bounced subscription of the same address is active again. A new
    subscriber follows their country; a known one keeps the preferences they chose.
    """
    if pledge.confirmed_at is None or not pledge.wants_updates or pledge.erased_at is not None:
        return None
    subscription = find_by_email(pledge.email)
    if subscription is None:
        subscription = Subscription(
            email=pledge.email,
            email_canonical=matching_key(pledge.email),
            locale=pledge.locale,
            states=[pledge.country] if pledge.country is not None else [],
        )
        db.session.add(subscription)
    subscription.pledge_id = pledge.id
    confirm_subscription(subscription=subscription)
    db.session.flush()
    return subscription


def end_pledge_subscription(*, pledge: Pledge, erase: bool = False) -> None:
    """For a pledge that stops updates (unsubscribe) or is erased (the subscription deleted)."""
    for subscription in db.session.scalars(select(Subscription).filter_by(pledge_id=pledge.id)):
        if erase:
            db.session.delete(subscription)
        else:
            unsubscribe(subscription=subscription)


def ensure_staff_subscriptions() -> int:
    """Every active user gets a confirmed subscription (partners and coordinators are
    subscribers); an existing one for the same address is linked. How many were linked."""
    users = db.session.scalars(
        select(User).where(
            User.is_active.is_(True),
            ~select(Subscription.id).where(Subscription.user_id == User.id).exists(),
        )
    ).all()
    linked = 0
    for user in users:
        subscription = find_by_email(user.email)
        if subscription is None:
            subscription = Subscription(
                email=user.email, email_canonical=matching_key(user.email), locale=user.locale
            )
            db.session.add(subscription)
        elif subscription.user_id is not None:
            continue  # two accounts share one mailbox: it is mailed once, as the first
        subscription.user_id = user.id
        # An admin created the account for this address: no double opt-in needed.
        subscription.confirmed_at = subscription.confirmed_at or utcnow()
        db.session.flush()
        linked += 1
    return linked
