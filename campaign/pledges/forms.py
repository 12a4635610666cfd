"""The two pledge forms: their fields, limits and messages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, Form, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from campaign.core.validators import PlainText, strip
from campaign.pledges.emails import InvalidEmail, normalise_email

ORGANISATION_KIND_LABELS = (
    ("ngo", "NGO"),
    ("trade_union", "Trade union"),
    ("faith_based", "Faith-based organisation"),
    ("academic", "Academic institution"),
    ("intergovernmental", "Intergovernmental organisation"),
    ("other", "Other"),
)
PRIVACY_REQUIRED = "Please accept the privacy notice to sign."


def valid_email(form: Form, field: Field) -> None:
    try:
        normalise_email(field.data or "")
    except InvalidEmail as error:
        raise ValidationError("Please give a valid email address.") from error


class PledgeForm(FlaskForm):
    """Fields both pledges share."""

    country = SelectField("Country", validators=[DataRequired("Please choose a country.")])
    is_public = BooleanField("List my support publicly")
    wants_updates = BooleanField("Send me campaign updates")
    accept_privacy = BooleanField(
        "I have read the privacy notice", validators=[DataRequired(PRIVACY_REQUIRED)]
    )
    # The honeypot: hidden from people, filled in by naive bots.
    homepage = StringField("Leave this empty", filters=[strip])

    def set_countries(self, choices: list[tuple[str, str]], none_label: str) -> None:
        self.country.choices = [("", "Choose…"), ("---", none_label), *choices]


class IndividualPledgeForm(PledgeForm):
    name = StringField(
        "Your name",
        filters=[strip],
        validators=[DataRequired("Please give your name."), Length(max=200), PlainText()],
    )
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[DataRequired("Please give your email address."), Length(max=254), valid_email],
    )
    message = TextAreaField(
        "Message (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=1000), PlainText(multiline=True, markup=True)],
    )


class OrganisationPledgeForm(PledgeForm):
    organisation_name = StringField(
        "Organisation",
        filters=[strip],
        validators=[
            DataRequired("Please give the organisation's name."),
            Length(max=200),
            PlainText(),
        ],
    )
    organisation_kind = SelectField(
        "Kind of organisation",
        choices=[("", "Choose…"), *ORGANISATION_KIND_LABELS],
        validators=[DataRequired("Please choose the kind of organisation.")],
    )
    website = StringField(
        "Website",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300),
            PlainText(),
            URL(require_tld=True, message="Please give the full address, starting with https://."),
        ],
    )
    name = StringField(
        "Contact person",
        filters=[strip],
        validators=[DataRequired("Please give a contact person."), Length(max=200), PlainText()],
    )
    email = EmailField(
        "Contact email",
        filters=[strip],
        validators=[DataRequired("Please give a contact email."), Length(max=254), valid_email],
    )
    contact_role = StringField(
        "Role of the contact",
        filters=[strip],
        validators=[DataRequired("Please give the contact's role."), Length(max=200), PlainText()],
    )
    message = TextAreaField(
        "Statement of support",
        filters=[strip],
        validators=[
            DataRequired("Please write a statement of support."),
            Length(max=2000),
            PlainText(multiline=True, markup=True),
        ],
    )
