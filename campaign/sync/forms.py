"""Review forms: approve with an optional note, reject with a required one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip


class ApproveForm(CampaignForm):
    note = TextAreaField(
        _l("Note (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )


class RejectForm(CampaignForm):
    note = TextAreaField(
        _l("Why is this wrong or already handled?"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say why you reject this proposal: the note is required.")),
            Length(max=2000),
            PlainText(multiline=True),
        ],
    )
