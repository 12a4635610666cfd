"""What the back office and the portal share: the event form's choices, reading it into
EventData, and putting a service's refusal back on the form."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import or_, select

from campaign.core.params import as_id
from campaign.events import queries
from campaign.events.forms import EventEditForm, EventForm, parse_clock, parse_day
from campaign.events.models import Event
from campaign.events.services import EventData, EventError
from campaign.extensions import db
from campaign.organisations.models import Organisation, Partnership, SteeringMembership
from campaign.outreach.models import OutreachTask
from campaign.outreach.queries import organisation_choices
from campaign.states.models import State
from campaign.states.queries import state_by_iso3, state_choices


def with_choices(
    form: EventForm,
    states: Iterable[tuple[str, str]] | None = None,
    *,
    any_state: bool = True,
    organisation_id: int | None = None,
    keep: Event | None = None,
) -> EventForm:
    """The form with its states (all, or *states*), organisations and Migrants Day tasks (all,
    or *organisation_id*'s; and the one *keep* carries out) to choose from."""
    options = list(states) if states is not None else state_choices()
    blank = [("", _("None (an online event for everyone)"))] if any_state else []
    form.state.choices = blank + options
    form.organisations.choices = (
        organisation_choices() if organisation_id is None else _named_by(organisation_id)
    )
    tasks = queries.task_choices(organisation_id)
    if keep is not None and keep.task is not None:
        tasks.insert(0, (str(keep.task.id), keep.task.title))
    form.task.choices = [("", _("None")), *tasks]
    return form


def _named_by(organisation_id: int) -> list[tuple[str, str]]:
    """The organisations a partner may name as co-organisers: its own, the steering
    committee's (public on /about) and the other partners of its own states (public on those
    states' pages). Never the list of every organisation: that would show a partner who else
    works with the campaign elsewhere, and organisations known only from their pledges."""
    own_states = select(Partnership.state_id).where(Partnership.organisation_id == organisation_id)
    fellow = select(Partnership.organisation_id).where(Partnership.state_id.in_(own_states))
    steering = select(SteeringMembership.organisation_id)
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(
            Organisation.merged_into_id.is_(None),
            or_(
                Organisation.id == organisation_id,
                Organisation.id.in_(fellow),
                Organisation.id.in_(steering),
            ),
        )
        .order_by(Organisation.name)
    )
    return [(str(found_id), name) for found_id, name in rows]


def form_for(event: Event) -> EventForm:
    """The form filled with *event*, for editing."""
    start, end = event.local_start, event.local_end
    return EventEditForm(
        formdata=None,
        title=event.title,
        kind=event.kind,
        start_on=start.date().isoformat(),
        start_time=start.strftime("%H:%M"),
        end_on=end.date().isoformat(),
        end_time=end.strftime("%H:%M"),
        timezone=event.timezone,
        city=event.city,
        state=event.state.iso3 if event.state else "",
        online_url=event.online_url or "",
        organisations=[str(organisation.id) for organisation in event.organisations],
        task=str(event.task_id) if event.task_id else "",
        language=event.language,
        description=event.description,
        contact=event.contact,
    )


def _organisations(values: Iterable[str]) -> list[Organisation]:
    ids = [number for number in (as_id(value) for value in values) if number is not None]
    if not ids:
        return []
    query = select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
    return list(db.session.scalars(query))


def _task(value: str | None) -> OutreachTask | None:
    task_id = as_id(value)
    return db.session.get(OutreachTask, task_id) if task_id is not None else None


def read(form: EventForm) -> EventData | None:
    """The form's data once it validates, else None (its errors are on the form)."""
    if not form.validate_on_submit():
        return None
    start_on, end_on = parse_day(form.start_on.data), parse_day(form.end_on.data)
    start_time, end_time = parse_clock(form.start_time.data), parse_clock(form.end_time.data)
    if start_on is None or end_on is None or start_time is None or end_time is None:
        return None  # the validators said so already
    state: State | None = state_by_iso3(form.state.data) if form.state.data else None
    return EventData(
        title=form.title.data,
        kind=form.kind.data,
        start_on=start_on,
        start_time=start_time,
        end_on=end_on,
        end_time=end_time,
        timezone=form.timezone.data,
        city=form.city.data or "",
        state=state,
        online_url=form.online_url.data or None,
        language=form.language.data,
        description=form.description.data or "",
        contact=form.contact.data,
        organisations=_organisations(form.organisations.data or []),
        task=_task(form.task.data),
    )


def show_error(form: EventForm, error: EventError) -> None:
    """The service's refusal, under the field it concerns."""
    field = getattr(form, error.field, None) or form.title
    field.errors = [*field.errors, str(error)]
