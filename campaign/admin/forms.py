"""Back-office forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip


class ModerationForm(CampaignForm):
    decision = SelectField(
        _l("Decision"),
        choices=[("approve", _l("Approve")), ("reject", _l("Reject"))],
        validators=[DataRequired(_l("Choose approve or reject."))],
    )
    reason = TextAreaField(
        _l("Reason (sent to the organisation; required to reject)"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )


class OfflineCountForm(CampaignForm):
    state = SelectField(_l("State"), validators=[DataRequired(_l("Choose a state."))])
    count = IntegerField(
        _l("Paper pledges collected"),
        validators=[InputRequired(_l("Give a number.")), NumberRange(min=0, max=10_000_000)],
    )


class SettingForm(CampaignForm):
    complete_submission = True

    value = StringField(
        _l("Value"), filters=[strip], validators=[DataRequired(), Length(max=200), PlainText()]
    )
