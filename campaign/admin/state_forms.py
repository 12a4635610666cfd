"""Back-office forms for the treaty registry: recording and correcting status, state profile."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from campaign.core.validators import PlainText, strip

ACT_CHOICES = [
    ("signature", "Signature"),
    ("ratification", "Ratification"),
    ("accession", "Accession"),
]


class StatusChangeForm(FlaskForm):
    act = SelectField("Act", choices=ACT_CHOICES, validators=[DataRequired("Choose the act.")])
    effective_on = DateField("Date of the act", validators=[InputRequired("Give the date.")])
    source_url = URLField(
        "Source (web address)",
        filters=[strip],
        validators=[
            DataRequired("Give the source's address."),
            Length(max=500),
            PlainText(),
            URL(message="Give the full address, starting with https://."),
        ],
    )
    source = StringField(
        "Source (description)",
        filters=[strip],
        validators=[Optional(), Length(max=500), PlainText()],
    )
    note = TextAreaField(
        "Note",
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )


class CorrectionForm(FlaskForm):
    effective_on = DateField("Corrected date", validators=[Optional()])
    method = SelectField(
        "Corrected method",
        choices=[("", "Unchanged"), ("ratification", "Ratification"), ("accession", "Accession")],
        validators=[Optional()],
    )
    retract = BooleanField("This entry was a mistake: retract it")
    source = StringField(
        "Source of the correction",
        filters=[strip],
        validators=[
            DataRequired("Give the source of the correction."),
            Length(max=500),
            PlainText(),
        ],
    )
    note = TextAreaField(
        "Note",
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )


class StateProfileForm(FlaskForm):
    is_priority = BooleanField("Campaign priority")
    notes = TextAreaField(
        "Notes",
        filters=[strip],
        validators=[Optional(), Length(max=5000), PlainText(multiline=True, markup=True)],
    )
