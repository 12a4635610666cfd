"""The subscribe and preferences forms: their fields, limits and messages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    Form,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from campaign.core.addresses import InvalidEmail, mailable_address
from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip
from campaign.i18n.labels import choices
from campaign.i18n.localised import state_name
from campaign.notifications.messages import LANGUAGES
from campaign.notifications.services import Preferences
from campaign.states.models import State


def valid_address(form: Form, field: Field) -> None:
    try:
        mailable_address(field.data or "")
    except InvalidEmail as error:
        raise ValidationError(_("Please give a valid email address.")) from error


class PreferencesForm(CampaignForm):
    """What a subscriber chooses; the subscribe form adds the address."""

    complete_submission = True

    locale = SelectField(
        _l("Language of the mails"),
        choices=[("", _l("Choose…")), *LANGUAGES.items()],  # a required <select> opens on one
        validators=[DataRequired(_l("Please choose a language."))],
    )
    frequency = RadioField(
        _l("Progress digest"),
        choices=choices("digest_choice"),
        default="monthly",
        validators=[DataRequired(_l("Please choose how often you want the digest."))],
    )
    alerts = RadioField(
        _l("Alerts when a state signs or ratifies"),
        choices=choices("alert_choice"),
        default="followed",
        validators=[DataRequired(_l("Please choose which alerts you want."))],
    )
    states = SelectMultipleField(_l("States you follow"), coerce=str)
    is_alerted_on_stages = BooleanField(
        _l("Also alert me when a state I follow moves along its road to ratification")
    )

    def set_states(self, states: list[State]) -> None:
        self.states.choices = [(state.iso3, state_name(state)) for state in states]
        self._by_iso3 = {state.iso3: state for state in states}

    def preferences(self) -> Preferences:
        return Preferences(
            locale=self.locale.data or "en",
            frequency=self.frequency.data or "monthly",
            alerts=self.alerts.data or "followed",
            states=[self._by_iso3[iso3] for iso3 in self.states.data or []],
            stage_alerts=bool(self.is_alerted_on_stages.data),
        )


class SubscribeForm(PreferencesForm):
    complete_submission = False  # it adds; a missing field is an empty one

    email = EmailField(
        _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give your email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            PlainText(),
            valid_address,
        ],
    )
    # The honeypot: hidden from people, filled in by naive bots.
    homepage = StringField(_l("Leave this empty"), filters=[strip])

    def validate_alerts(self, field: Field) -> None:
        wants_digest = self.frequency.data in ("weekly", "monthly")
        follows = field.data == "all" or (field.data == "followed" and self.states.data)
        if not wants_digest and not follows:
            raise ValidationError(_("Please choose a digest, or alerts for at least one state."))
