"""The form of one setting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip


class SettingForm(CampaignForm):
    complete_submission = True

    value = StringField(
        _l("Value"), filters=[strip], validators=[DataRequired(), Length(max=200), PlainText()]
    )
