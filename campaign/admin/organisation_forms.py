"""Back-office forms for organisations, steering seats, partnerships, merges and imports."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional

from campaign.core.validators import PlainText, strip
from campaign.organisations.models import ORGANISATION_KINDS, PARTNER_ROLES

KIND_CHOICES = [("", "Choose…")] + [(kind, kind.replace("_", " ")) for kind in ORGANISATION_KINDS]


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired("Give the name."), Length(max=200), PlainText()],
    )
    kind = SelectField("Kind", choices=KIND_CHOICES, validators=[DataRequired("Choose the kind.")])
    country = SelectField("Home country", validators=[Optional()])
    website = StringField(
        "Website",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300),
            PlainText(),
            URL(message="Give the full address, starting with https://."),
        ],
    )
    contact_name = StringField(
        "Contact person", filters=[strip], validators=[Optional(), Length(max=200), PlainText()]
    )
    contact_email = EmailField(
        "Contact email",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254),
            PlainText(),
            Email("Give a valid email address.", check_deliverability=False),
        ],
    )
    notes = TextAreaField(
        "Notes",
        filters=[strip],
        validators=[Optional(), Length(max=5000), PlainText(multiline=True, markup=True)],
    )


class SteeringForm(FlaskForm):
    role = StringField(
        "Role on the steering committee (empty to remove the seat)",
        filters=[strip],
        validators=[Optional(), Length(max=100), PlainText()],
    )
    since_on = DateField("Member since", validators=[Optional()])


class PartnershipForm(FlaskForm):
    state = SelectField("State", validators=[DataRequired("Choose a state.")])
    role = SelectField(
        "Role",
        choices=[(role, role) for role in PARTNER_ROLES] + [("end", "End the partnership")],
        validators=[DataRequired()],
    )


class MergeForm(FlaskForm):
    duplicate = SelectField("Duplicate to merge into this one", validators=[DataRequired()])
    confirm = BooleanField(
        "I understand the duplicate's partnerships, users and tasks move here",
        validators=[DataRequired("Tick to confirm the merge.")],
    )


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file.")])
    apply = BooleanField("Import now (leave unticked for a dry run)")
