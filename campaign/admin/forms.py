"""Back-office forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.core.validators import PlainText, strip


class ModerationForm(FlaskForm):
    decision = SelectField(
        "Decision",
        choices=[("approve", "Approve"), ("reject", "Reject")],
        validators=[DataRequired("Choose approve or reject.")],
    )
    reason = TextAreaField(
        "Reason (sent to the organisation; required to reject)",
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )


class OfflineCountForm(FlaskForm):
    state = SelectField("State", validators=[DataRequired("Choose a state.")])
    count = IntegerField(
        "Paper pledges collected",
        validators=[InputRequired("Give a number."), NumberRange(min=0, max=10_000_000)],
    )


class SettingForm(FlaskForm):
    value = StringField(
        "Value", filters=[strip], validators=[DataRequired(), Length(max=200), PlainText()]
    )
