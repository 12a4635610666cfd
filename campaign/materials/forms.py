"""The upload forms: a new document (with its first file) and a new version of one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip
from campaign.events.models import LANGUAGE_LABELS
from campaign.i18n.labels import choices
from campaign.materials.models import KIND_LABELS

FILE_HINT = _l("PDF, PNG, JPEG or WebP image, docx, xlsx, pptx or odt.")


class VersionForm(CampaignForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Please choose a file."))])
    note = TextAreaField(
        _l("What changed (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=1000), PlainText(multiline=True, markup=True)],
    )


class MaterialForm(CampaignForm):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Please give a title.")), Length(max=200), PlainText()],
    )
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    language = SelectField(_l("Language"), choices=list(LANGUAGE_LABELS.items()))
    state = SelectField(_l("For one state (optional)"), choices=[])
    region = SelectField(_l("Or for one region (optional)"), choices=[])
    description = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True, markup=True)],
    )
    file = FileField(_l("File"), validators=[FileRequired(_l("Please choose a file."))])

    def with_choices(self, states: list[tuple[str, str]]) -> MaterialForm:
        self.state.choices = [("", _l("Every state")), *states]
        self.region.choices = [("", _l("Every region")), *choices("region")]
        return self
