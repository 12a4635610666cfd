"""Back-office forms for the treaty registry: recording and correcting status, state profile."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip
from campaign.i18n.labels import LABELS, choices

# A required <select> opens on an empty option (HTML): no act is recorded by default.
ACT_CHOICES = [
    ("", _l("Choose…")),
    *((act, LABELS["act"][act]) for act in ("signature", "ratification", "accession")),
]


class StatusChangeForm(CampaignForm):
    act = SelectField(
        _l("Act"), choices=ACT_CHOICES, validators=[DataRequired(_l("Choose the act."))]
    )
    effective_on = DateField(
        _l("Date of the act"), validators=[InputRequired(_l("Give the date."))]
    )
    source_url = URLField(
        _l("Source (web address)"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the source's address.")),
            Length(max=500),
            PlainText(),
            URL(message=_l("Give the full address, starting with https://.")),
        ],
    )
    source = StringField(
        _l("Source (description)"),
        filters=[strip],
        validators=[Optional(), Length(max=500), PlainText()],
    )
    note = TextAreaField(
        _l("Note"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )


class CorrectionForm(CampaignForm):
    effective_on = DateField(_l("Corrected date"), validators=[Optional()])
    method = SelectField(
        _l("Corrected method"),
        choices=[("", _l("Unchanged")), *choices("method")],
        validators=[Optional()],
    )
    retract = BooleanField(_l("This entry was a mistake: retract it"))
    source = StringField(
        _l("Source of the correction"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the source of the correction.")),
            Length(max=500),
            PlainText(),
        ],
    )
    note = TextAreaField(
        _l("Note"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )


class StateProfileForm(CampaignForm):
    complete_submission = True

    is_priority = BooleanField(_l("Campaign priority"))
    notes = TextAreaField(
        _l("Notes"),
        filters=[strip],
        validators=[Optional(), Length(max=5000), PlainText(multiline=True, markup=True)],
    )
