"""Creating, editing and merging organisations; steering seats and partnerships. No commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.audit.services import record_event
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.organisations.models import Organisation, Partnership, SteeringMembership
from campaign.outreach.services import move_tasks_on_merge
from campaign.states.models import State


class OrganisationError(DomainError):
    """The organisation change is not acceptable."""


@dataclass(frozen=True)
class OrganisationData:
    name: str
    kind: str
    country: State | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    notes: str = ""

    def values(self) -> dict[str, object]:
        values = asdict(self)
        values["country_id"] = self.country.id if self.country else None
        del values["country"]
        return values


def _snapshot(organisation: Organisation) -> dict[str, object]:
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "country_id": organisation.country_id,
        "website": organisation.website,
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "notes": organisation.notes,
    }


def find_by_name(name: str) -> Organisation | None:
    return db.session.scalars(
        select(Organisation).where(Organisation.name.ilike(name.strip()))
    ).first()


def save_organisation(
    *, data: OrganisationData, actor: User | None, organisation: Organisation | None = None
) -> Organisation:
    """Create an organisation, or update *organisation*; names are unique, ignoring case."""
    same = find_by_name(data.name)
    if same is not None and same is not organisation:
        raise OrganisationError(
            _("An organisation called %(name)s exists already.", name=repr(same.name))
        )
    before = _snapshot(organisation) if organisation else None
    if organisation is None:
        organisation = Organisation(name=data.name, kind=data.kind)
        db.session.add(organisation)
    for key, value in data.values().items():
        setattr(organisation, key, value)
    db.session.flush()
    action = "organisation.updated" if before else "organisation.created"
    record_event(
        actor=actor,
        action=action,
        entity_type="organisation",
        entity_id=organisation.id,
        before=before,
        after=_snapshot(organisation),
        actor_label="import",
    )
    return organisation


def merge_organisations(*, keep: Organisation, duplicate: Organisation, actor: User) -> None:
    """Move everything of *duplicate* onto *keep*; the duplicate remains, marked as merged."""
    if keep.id == duplicate.id:
        raise OrganisationError(_("Choose two different organisations to merge."))
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise OrganisationError(_("One of these organisations was merged already."))
    kept_states = {p.state_id for p in keep.partnerships}
    for partnership in list(duplicate.partnerships):
        if partnership.state_id in kept_states:
            db.session.delete(partnership)
        else:
            partnership.organisation = keep
    for user in list(duplicate.users):
        user.organisation = keep
    move_tasks_on_merge(duplicate=duplicate, keep=keep, actor=actor)
    if duplicate.steering_membership is not None:
        if keep.steering_membership is None:
            duplicate.steering_membership.organisation = keep
        else:
            db.session.delete(duplicate.steering_membership)
    duplicate.merged_into_id = keep.id
    db.session.flush()
    record_event(
        actor=actor,
        action="organisation.merged",
        entity_type="organisation",
        entity_id=duplicate.id,
        before={"name": duplicate.name},
        after={"merged_into": keep.id, "name": keep.name},
    )


def set_steering_membership(
    *, organisation: Organisation, role: str | None, since_on: dt.date | None, actor: User
) -> None:
    """Give the organisation a seat (role), change it, or remove it (role None)."""
    membership = organisation.steering_membership
    before = {"role": membership.role, "since_on": membership.since_on} if membership else None
    if role is None:
        if membership is not None:
            db.session.delete(membership)
    elif membership is None:
        db.session.add(SteeringMembership(organisation=organisation, role=role, since_on=since_on))
    else:
        membership.role, membership.since_on = role, since_on
    record_event(
        actor=actor,
        action="steering.changed",
        entity_type="organisation",
        entity_id=organisation.id,
        before=before,
        after={"role": role, "since_on": since_on} if role else None,
    )


def set_partnership(
    *, organisation: Organisation, state: State, role: str | None, actor: User | None
) -> bool:
    """Add or change (role) or end (None) the organisation's work on *state*; True if changed."""
    partnership = db.session.scalars(
        select(Partnership).filter_by(organisation_id=organisation.id, state_id=state.id)
    ).first()
    before = {"state": state.iso3, "role": partnership.role} if partnership else None
    if role is None and partnership is None:
        return False
    if partnership is not None and partnership.role == role:
        return False
    if role is None:
        db.session.delete(partnership)
    elif partnership is None:
        db.session.add(Partnership(organisation=organisation, state=state, role=role))
    else:
        partnership.role = role
    db.session.flush()
    record_event(
        actor=actor,
        action="partnership.changed",
        entity_type="organisation",
        entity_id=organisation.id,
        before=before,
        after={"state": state.iso3, "role": role} if role else None,
        actor_label="import",
    )
    return True
