"""Back-office forms for organisations, steering seats, partnerships, merges and imports."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional

from campaign.core.forms import CampaignForm
from campaign.core.validators import EmailAddress, PlainText, strip
from campaign.i18n.codes import CODES
from campaign.i18n.labels import choices

CHOOSE = ("", _l("Choose…"))
KIND_CHOICES = [CHOOSE, *choices("organisation_kind")]


class OrganisationForm(CampaignForm):
    complete_submission = True

    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Give the name.")), Length(max=200), PlainText()],
    )
    kind = SelectField(
        _l("Kind"), choices=KIND_CHOICES, validators=[DataRequired(_l("Choose the kind."))]
    )
    country = SelectField(_l("Home country"), validators=[Optional()])
    website = StringField(
        _l("Website"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300),
            PlainText(),
            URL(message=_l("Give the full address, starting with https://.")),
        ],
    )
    contact_name = StringField(
        _l("Contact person"), filters=[strip], validators=[Optional(), Length(max=200), PlainText()]
    )
    contact_email = EmailField(
        _l("Contact email"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254),
            PlainText(),
            EmailAddress(_l("Give a valid email address.")),
        ],
    )
    notes = TextAreaField(
        _l("Notes"),
        filters=[strip],
        validators=[Optional(), Length(max=5000), PlainText(multiline=True, markup=True)],
    )


class ChooseField(SelectField):
    """A select whose choices the view sets, behind an empty "Choose…" option: a required
    <select> must open on one (HTML), and no state or organisation is picked by default."""

    @property
    def choices(self) -> Any:
        return SelectField.choices.fget(self)

    @choices.setter
    def choices(self, value: Any) -> None:
        SelectField.choices.fset(self, None if value is None else [CHOOSE, *value])


class SteeringForm(CampaignForm):
    complete_submission = True

    role = StringField(
        _l("Role on the steering committee (empty to remove the seat)"),
        filters=[strip],
        validators=[Optional(), Length(max=100), PlainText()],
    )
    since_on = DateField(_l("Member since"), validators=[Optional()])


class PartnershipForm(CampaignForm):
    state = ChooseField(_l("State"), validators=[DataRequired(_l("Choose a state."))])
    role = SelectField(
        _l("Role"),
        choices=[CHOOSE, *CODES["partner_role"].items(), ("end", _l("End the partnership"))],
        validators=[DataRequired()],
    )


class MergeForm(CampaignForm):
    duplicate = ChooseField(_l("Duplicate to merge into this one"), validators=[DataRequired()])
    confirm = BooleanField(
        _l("I understand the duplicate's partnerships, users and tasks move here"),
        validators=[DataRequired(_l("Tick to confirm the merge."))],
    )


class ImportForm(CampaignForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
    apply = BooleanField(_l("Import now (leave unticked for a dry run)"))
