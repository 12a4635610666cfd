"""Signing, confirming, withdrawing and reviewing officials' endorsements. Nothing here commits.

Signing is the pledges' flow, called rather than copied: the canonical address and an INSERT
that dedupes in one statement (one endorsement per address, state and office), the pledge
limits counted per keyed client hash (over them the endorsement is suspect and its mail held),
the mail cap and the deferred confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.core.addresses import canonical_email, normalise_email
from campaign.core.inserts import insert_new
from campaign.db import utcnow
from campaign.endorsements import mail
from campaign.endorsements.models import Endorsement, office_key
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.mail import guard
from campaign.pledges.abuse import hash_ip
from campaign.ratelimits import client_address, over_pledge_limit
from campaign.states.models import State

UNIQUE = ["email_canonical", "state_id", "office_key"]


class ReviewError(DomainError):
    """The endorsement cannot be reviewed this way."""


@dataclass(frozen=True)
class EndorsementData:
    """What an official gave us, already shaped by the form."""

    name: str
    office: str
    institution: str
    state: State
    statement: str
    proof_url: str
    email: str
    party: str = ""
    locale: str = "en"


def sign_endorsement(*, data: EndorsementData, ip: str | None, honeypot: bool = False) -> None:
    """Store an unconfirmed endorsement and queue its confirmation, or mail again for one
    already made (same address, state and office). The caller answers the same whatever
    happened: nothing tells a sender whether the address had endorsed or tripped a limit."""
    if honeypot:
        return
    ip_hash = hash_ip(ip)
    values = {
        "name": data.name,
        "office": data.office,
        "office_key": office_key(data.office),
        "institution": data.institution,
        "state_id": data.state.id,
        "party": data.party,
        "statement": data.statement,
        "proof_url": data.proof_url,
        "email": normalise_email(data.email),
        "email_canonical": canonical_email(data.email),
        "locale": data.locale,
        "ip_hash": ip_hash,
        "mails_sent": 1,
        "last_mailed_at": utcnow(),
    }
    endorsement_id = insert_new(Endorsement, values, UNIQUE)
    if endorsement_id is None:
        existing = db.session.scalars(
            select(Endorsement).filter_by(**{column: values[column] for column in UNIQUE})
        ).first()
        if existing is not None:
            if existing.review == "rejected" and existing.withdrawn_at is None:
                _resubmit(existing, values)
            _sign_again(existing, ip)
        return
    if over_pledge_limit(ip_hash):  # the pledge forms' limits, counted together
        db.session.execute(
            update(Endorsement).where(Endorsement.id == endorsement_id).values(is_suspect=True)
        )
        guard.hold(guard.group_of(ip))
    mail.queue_confirmation(
        endorsement_id=endorsement_id,
        email=str(values["email"]),
        locale=data.locale,
        template="endorsement_confirm",
        number=1,
    )


# What a signer may change by sending the form again after a rejection (a better proof link).
RESUBMITTED = ("name", "office", "institution", "party", "statement", "proof_url", "locale")


def _resubmit(endorsement: Endorsement, values: dict[str, object]) -> None:
    """A rejected endorsement sent again: its details replaced, and back to unconfirmed and
    waiting, so that it is confirmed by mail and reviewed again before anything shows."""
    for column in RESUBMITTED:
        setattr(endorsement, column, values[column])
    endorsement.review, endorsement.review_reason = "pending", ""
    endorsement.reviewed_at = endorsement.confirmed_at = None
    db.session.flush()


def _sign_again(endorsement: Endorsement, ip: str | None) -> None:
    """Mail again within the cap: the confirmation, or a note that it is confirmed already."""
    if endorsement.withdrawn_at is not None:
        return
    if endorsement.is_suspect:
        guard.hold(guard.group_of(ip))
    number = mail.claim_mail_slot(endorsement)
    if number is None:
        return
    mail.queue_confirmation(
        endorsement_id=endorsement.id,
        email=endorsement.email,
        locale=endorsement.locale,
        template="endorsement_already" if endorsement.confirmed_at else "endorsement_confirm",
        number=number,
    )


def resend_confirmation(*, endorsement: Endorsement) -> None:
    """For an expired link: a fresh confirmation, within the same cap."""
    _sign_again(endorsement, client_address())


def confirm_endorsement(*, endorsement: Endorsement) -> bool:
    """The signer confirmed by mail: now in the coordinators' queue. True if anything changed."""
    if endorsement.withdrawn_at is not None or endorsement.confirmed_at is not None:
        return False
    endorsement.confirmed_at = utcnow()
    db.session.flush()
    return True


def withdraw_endorsement(*, endorsement: Endorsement) -> None:
    """Withdrawn by its signer: off every public list, the address and text erased."""
    if endorsement.withdrawn_at is not None:
        return
    endorsement.withdrawn_at = utcnow()
    endorsement.name = ""
    endorsement.statement = ""
    endorsement.party = ""
    endorsement.email = f"erased-e{endorsement.id}@erased.invalid"
    endorsement.email_canonical = f"erased-e{endorsement.id}"
    endorsement.ip_hash = None
    mail.blank_mails(endorsement.id)
    record_event(
        actor=None,
        actor_label="official",
        action="endorsement.withdrawn",
        entity_type="endorsement",
        entity_id=endorsement.id,
    )


def review_queue() -> list[Endorsement]:
    """Confirmed endorsements waiting for a coordinator, oldest first."""
    return list(
        db.session.scalars(
            select(Endorsement)
            .where(
                Endorsement.review == "pending",
                Endorsement.confirmed_at.is_not(None),
                Endorsement.withdrawn_at.is_(None),
            )
            .order_by(Endorsement.confirmed_at, Endorsement.id)
        )
    )


def review_endorsement(*, endorsement: Endorsement, verify: bool, reason: str, actor: User) -> bool:
    """Verify (the proof link shows the office) or reject with a reason; audited, and the
    official mailed the outcome. False if it was decided that way already."""
    if endorsement.confirmed_at is None or endorsement.withdrawn_at is not None:
        raise ReviewError(_("Only confirmed endorsements are reviewed."))
    outcome = "verified" if verify else "rejected"
    reason = reason.strip()
    if not verify and not reason:
        raise ReviewError(_("Give a reason for rejecting."))
    if endorsement.review == outcome:
        return False
    before = {"review": endorsement.review, "reason": endorsement.review_reason}
    endorsement.review, endorsement.review_reason = outcome, reason
    endorsement.reviewed_at = utcnow()
    db.session.flush()
    record_event(
        actor=actor,
        action=f"endorsement.{outcome}",
        entity_type="endorsement",
        entity_id=endorsement.id,
        before=before,
        after={"review": outcome, "reason": reason},
    )
    mail.queue_outcome(endorsement)
    return True
