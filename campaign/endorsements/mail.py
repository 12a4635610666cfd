"""The mails an endorsement gets, through the pledges' machinery: the outbox, deferred bodies
written by the worker, the mail cap and cooldown, held mail for suspect senders."""

from __future__ import annotations

from sqlalchemy import case, or_, select, update

from campaign.db import utcnow
from campaign.endorsements import tokens
from campaign.endorsements.models import Endorsement
from campaign.extensions import db
from campaign.mail import caps, compose, deferred
from campaign.mail.held import released
from campaign.mail.models import OutboundEmail
from campaign.mail.services import queue, queue_email
from campaign.pledges.mail import MAX_MAILS_PER_PLEDGE

CONFIRM_KEY = "endorsement-confirm"
REVIEW_KEY = "endorsement-review"
CONFIRMATIONS = ("endorsement_confirm", "endorsement_already")


def links(endorsement: Endorsement) -> dict[str, str]:
    """The confirm and manage links, on the pages of the endorsement's language."""
    confirm = tokens.make_token(tokens.CONFIRM, endorsement.id)
    manage = tokens.make_token(tokens.MANAGE, endorsement.id)
    return {
        "confirm_url": compose.link(f"/endorsement/confirm/{confirm}", endorsement.locale),
        "manage_url": compose.link(f"/endorsement/manage/{manage}", endorsement.locale),
    }


def queue_confirmation(
    *, endorsement_id: int, email: str, locale: str, template: str, number: int
) -> None:
    """Queue the confirmation for the worker to write (campaign/mail/deferred.py)."""
    queue(
        key=f"{CONFIRM_KEY}:{endorsement_id}:{number}",
        to=email,
        subject=compose.subject(template, locale),
        text="",
        template=template,
        template_ref=endorsement_id,
    )


def _writer(template: str) -> deferred.Writer:
    def write(endorsement_id: int) -> deferred.Bodies | None:
        endorsement = db.session.get(Endorsement, endorsement_id)
        if endorsement is None or endorsement.withdrawn_at is not None:
            return None
        return compose.render(
            template, endorsement.locale, endorsement=endorsement, **links(endorsement)
        )

    return write


for _template in CONFIRMATIONS:
    deferred.writer(_template)(_writer(_template))


def queue_outcome(endorsement: Endorsement) -> None:
    """Tell the official the coordinator's decision (published, or why not), in their language."""
    template = f"endorsement_{endorsement.review}"
    supporters = compose.link(f"/supporters/{endorsement.state.iso3}", endorsement.locale)
    mail = compose.compose(
        template,
        endorsement.locale,
        endorsement=endorsement,
        supporters_url=supporters,
        **links(endorsement),
    )
    queue_email(
        key=f"{REVIEW_KEY}:{endorsement.id}:{endorsement.review}",
        to=endorsement.email,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
    )


def claim_mail_slot(endorsement: Endorsement) -> int | None:
    """One more mail under the pledges' cap and cooldown; its number, or None."""
    return caps.claim_mail_slot(
        endorsement,
        sent=Endorsement.mails_sent,
        mailed_at=Endorsement.last_mailed_at,
        cap=MAX_MAILS_PER_PLEDGE,
        now=utcnow(),
    )


def blank_mails(endorsement_id: int) -> None:
    """For a withdrawal: the outbox keeps no address of its mails; unsent ones never go."""
    db.session.execute(
        update(OutboundEmail)
        .where(
            or_(
                OutboundEmail.idempotency_key.like(f"{CONFIRM_KEY}:{endorsement_id}:%"),
                OutboundEmail.idempotency_key.like(f"{REVIEW_KEY}:{endorsement_id}:%"),
            )
        )
        .values(
            to_address=f"erased-e{endorsement_id}@erased.invalid",
            body_text="",
            body_html=None,
            status=case((OutboundEmail.status == "queued", "failed"), else_=OutboundEmail.status),
            last_error=case(
                (OutboundEmail.status == "queued", "withdrawn before sending"),
                else_=OutboundEmail.last_error,
            ),
        )
        .execution_options(synchronize_session=False)
    )


@released.connect
def vouch_for_released(group: str, *, keys: list[str]) -> None:
    """A coordinator released held mail: its suspect endorsements are genuine (they still
    need confirming and verifying)."""
    prefix = f"{CONFIRM_KEY}:"
    ids = {int(key.split(":")[1]) for key in keys if key.startswith(prefix)}
    if ids:
        suspects = select(Endorsement).where(Endorsement.id.in_(ids))
        for endorsement in db.session.scalars(suspects).all():
            endorsement.is_suspect = False
