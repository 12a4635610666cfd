"""Forms for outreach tasks: create, edit, bulk create, and an update to a task's thread."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip
from campaign.db import utcnow
from campaign.outreach.models import KIND_LABELS, STATUS_LABELS
from campaign.outreach.queries import organisation_choices
from campaign.states.queries import state_choices

CHOOSE = ("", _l("Choose…"))
KIND_CHOICES = [CHOOSE, *KIND_LABELS.items()]
STATUS_CHOICES = list(STATUS_LABELS.items())
# How far back a new due date may lie (recording work done lately) and how far ahead.
PAST_DAYS, FUTURE_DAYS = 365, 5 * 366


def _text(label: str | LazyString, max_length: int = 5000) -> TextAreaField:
    """Free text over several lines; < and > are kept and shown escaped."""
    return TextAreaField(
        label,
        filters=[strip],
        validators=[Optional(), Length(max=max_length), PlainText(multiline=True, markup=True)],
    )


def _title() -> StringField:
    return StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Give the title.")), Length(max=200), PlainText()],
    )


def _due_on() -> DateField:
    return DateField(_l("Due date"), validators=[Optional()])


def check_due_on(field: Field, keep: dt.date | None = None) -> None:
    """A new due date lies within a year back and five years ahead; an unchanged one may not."""
    if field.data is None or field.data == keep:
        return
    today = utcnow().date()
    earliest = today - dt.timedelta(days=PAST_DAYS)
    latest = today + dt.timedelta(days=FUTURE_DAYS)
    if not earliest <= field.data <= latest:
        raise ValidationError(
            _(
                "The due date must be between %(earliest)s and %(latest)s.",
                earliest=earliest.isoformat(),
                latest=latest.isoformat(),
            )
        )


class TaskForm(CampaignForm):
    state = SelectField(_l("State"), validators=[DataRequired(_l("Choose the state."))])
    organisation = SelectField(
        _l("Partner organisation"), validators=[DataRequired(_l("Choose the organisation."))]
    )
    kind = SelectField(
        _l("Kind"), choices=KIND_CHOICES, validators=[DataRequired(_l("Choose the kind."))]
    )
    title = _title()
    description = _text(_l("Description"))
    due_on = _due_on()

    # The due date the task has now: keeping an old one while editing is allowed.
    keep_due_on: dt.date | None = None

    def validate_due_on(self, field: Field) -> None:
        check_due_on(field, self.keep_due_on)


class TaskEditForm(TaskForm):
    complete_submission = True

    status = SelectField(
        _l("Status"),
        choices=[("", _l("Choose…")), *STATUS_CHOICES],  # a required <select> opens on one
        validators=[DataRequired()],
    )
    outcome = _text(_l("Outcome"))


class TaskUpdateForm(CampaignForm):
    complete_submission = True

    text = _text(_l("Update"))
    new_status = SelectField(
        _l("Move to status"),
        choices=[("", _l("Unchanged")), *STATUS_CHOICES],
        validators=[Optional()],
    )
    outcome = _text(_l("Outcome"))


class BulkTaskForm(CampaignForm):
    states = SelectMultipleField(_l("States"))
    priority = BooleanField(_l("All priority states"))
    kind = SelectField(
        _l("Kind"), choices=KIND_CHOICES, validators=[DataRequired(_l("Choose the kind."))]
    )
    title = _title()
    description = _text(_l("Description"))
    due_on = _due_on()

    def validate_states(self, field: Field) -> None:
        if not field.data and not self.priority.data:
            raise ValidationError(_("Choose at least one state, or tick all priority states."))

    def validate_due_on(self, field: Field) -> None:
        check_due_on(field)


F = TypeVar("F", bound=CampaignForm)


def with_choices(form: F) -> F:
    """Fill the state and organisation choices of *form* from the database."""
    fields: dict[str, Any] = dict(form._fields)
    if "state" in fields:
        fields["state"].choices = [CHOOSE, *state_choices()]
    if "states" in fields:
        fields["states"].choices = state_choices()
    if "organisation" in fields:
        fields["organisation"].choices = [CHOOSE, *organisation_choices()]
    return form
