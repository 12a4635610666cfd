"""The event form (what a coordinator or a partner fills in) and the review form."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from campaign.core.addresses import InvalidEmail, normalise_email
from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip
from campaign.endorsements.forms import ProofLink
from campaign.events.models import KIND_LABELS, LANGUAGE_LABELS

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}")
# Events are dated within these years: a year 0 or 99999 is a typing slip, not an event.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def parse_day(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD date within EARLIEST..LATEST, or None."""
    if not value or not _DATE.fullmatch(value):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def parse_clock(value: str | None) -> dt.time | None:
    """An HH:MM time of day, or None."""
    if not value or not _TIME.fullmatch(value):
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        return None


class IsoDate:
    def __call__(self, form: Form, field: Field) -> None:
        if parse_day(field.data) is None:
            raise ValidationError(
                _("Please give a date written YYYY-MM-DD, between 2000 and 2100.")
            )


class ClockTime:
    def __call__(self, form: Form, field: Field) -> None:
        if parse_clock(field.data) is None:
            raise ValidationError(_("Please give a time written HH:MM, for example 18:30."))


class PublicContact:
    """An email address, or a public https link."""

    def __call__(self, form: Form, field: Field) -> None:
        value = field.data or ""
        if "@" in value and "://" not in value:
            try:
                normalise_email(value)
            except InvalidEmail as error:
                raise ValidationError(_("Please give a valid email address.")) from error
            return
        ProofLink()(form, field)


def _text(label: str, *, required: str | None = None, max_length: int = 200) -> StringField:
    first = DataRequired(required) if required else Optional()
    return StringField(
        label, filters=[strip], validators=[first, Length(max=max_length), PlainText()]
    )


class EventForm(CampaignForm):
    """An event, as a coordinator (back office) or a partner (portal) describes it."""

    title = _text(_l("Title"), required=_l("Please give the event a title."))
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    start_on = StringField(_l("Start date"), filters=[strip], validators=[IsoDate()])
    start_time = StringField(_l("Start time"), filters=[strip], validators=[ClockTime()])
    end_on = StringField(_l("End date"), filters=[strip], validators=[IsoDate()])
    end_time = StringField(_l("End time"), filters=[strip], validators=[ClockTime()])
    timezone = _text(
        _l("Time zone"),
        required=_l("Please give the time zone, such as Africa/Dakar."),
        max_length=64,
    )
    city = _text(_l("City"), max_length=120)
    state = SelectField(_l("State"), choices=[], validate_choice=True)
    online_url = StringField(
        _l("Online link"),
        filters=[strip],
        validators=[Optional(), Length(max=500), PlainText(), ProofLink()],
    )
    organisations = SelectMultipleField(_l("Organising organisations"), choices=[])
    task = SelectField(_l("Outreach task it carries out (optional)"), choices=[], default="")
    language = SelectField(_l("Language"), choices=list(LANGUAGE_LABELS.items()))
    description = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[Optional(), Length(max=5000), PlainText(multiline=True, markup=True)],
    )
    contact = StringField(
        _l("Public contact (email or web address)"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give a public contact: an email address or a web address.")),
            Length(max=500),
            PlainText(),
            PublicContact(),
        ],
    )


class EventEditForm(EventForm):
    """Editing: a submission must carry every field (a missing one would blank it)."""

    complete_submission = True


class ReviewForm(CampaignForm):
    """A coordinator's decision on a partner's event; a rejection needs a reason."""

    decision = SelectField(
        _l("Decision"), choices=[("approve", _l("Approve")), ("reject", _l("Reject"))]
    )
    reason = TextAreaField(
        _l("Reason (required to reject)"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True, markup=True)],
    )

    def validate_reason(self, field: Field) -> None:
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(_("Please give the reason for rejecting this event."))
