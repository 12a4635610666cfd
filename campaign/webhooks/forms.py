"""Back-office forms for webhook endpoints (the address's own rules are in addresses.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip
from campaign.organisations.forms import ChooseField
from campaign.webhooks.models import EVENTS, URL_MAX

EVENT_LABELS = {
    "pledge.confirmed": _l("A pledge of support is confirmed"),
    "status.changed": _l("A state's treaty status is recorded or corrected"),
    "stage.changed": _l("A state moves to another stage on the road to ratification"),
    "event.approved": _l("A Migrants Day event is approved"),
}

# A delivery's status, as the ledger shows it.
STATUS_LABELS = {
    "pending": _l("waiting for its next attempt"),
    "delivering": _l("being sent"),
    "delivered": _l("delivered"),
    "failed": _l("failed"),
}


class EventsField(SelectMultipleField):
    """Check boxes of the events; a name not on the list is refused with our own message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        chosen: list[Any] = self.data or []
        if not chosen:
            raise ValidationError(str(_l("Choose at least one event.")))
        if any(value not in EVENTS for value in chosen):
            raise ValidationError(str(_l("Choose events from the list.")))


def _events_field() -> EventsField:
    return EventsField(_l("Events"), choices=[(event, EVENT_LABELS[event]) for event in EVENTS])


def _url_field() -> StringField:
    return StringField(
        _l("Address (https://…)"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the endpoint's address.")),
            Length(max=URL_MAX, message=_l("At most %(max)d characters.")),
            PlainText(),
        ],
    )


class EndpointForm(CampaignForm):
    """Editing an endpoint: its address, events and whether it is active."""

    complete_submission = True

    url = _url_field()
    events = _events_field()
    is_active = BooleanField(_l("Active (deliveries are sent)"))


class NewEndpointForm(CampaignForm):
    organisation = ChooseField(
        _l("Organisation"), validators=[DataRequired(_l("Choose an organisation."))]
    )
    url = _url_field()
    events = _events_field()


class ActionForm(CampaignForm):
    """A button that changes something: only the CSRF token."""
