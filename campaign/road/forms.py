"""Forms of the road to ratification: a change of stage (back office and portal), a
rejection's reason, a stage's name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from campaign.core.forms import CampaignForm
from campaign.core.params import as_id
from campaign.core.validators import PlainText, strip
from campaign.road.models import NAME_MAX, REASON_MAX, SOURCE_MAX, RoadStage
from campaign.road.stages import stage_label


class StageChangeForm(CampaignForm):
    # Checked against the open stages by the view (a stage may retire between page and post).
    stage = SelectField(
        _l("Stage reached"),
        validate_choice=False,
        validators=[DataRequired(_l("Choose the stage."))],
    )
    effective_on = DateField(
        _l("Date it happened"), validators=[InputRequired(_l("Give the date."))]
    )
    source = StringField(
        _l("Source"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the source: a document, a decision, an article.")),
            Length(max=SOURCE_MAX),
            PlainText(),
        ],
    )
    source_url = URLField(
        _l("Source (web address, optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=SOURCE_MAX),
            PlainText(),
            URL(message=_l("Give the full address, starting with https://.")),
        ],
    )

    def set_stages(self, stages: list[RoadStage]) -> None:
        self._stages = {stage.id: stage for stage in stages}
        self.stage.choices = [
            ("", _l("Choose…")),
            *((str(stage.id), stage_label(stage.key, stage.name)) for stage in stages),
        ]

    def chosen_stage(self) -> RoadStage | None:
        """The open stage the form names, or None (the reason set on the field)."""
        number = as_id(self.stage.data)
        stage = self._stages.get(number) if number is not None else None
        if stage is None:
            self.stage.errors = [str(_l("Choose one of the stages listed."))]
        return stage


class RejectForm(CampaignForm):
    reason = StringField(
        _l("Reason (the partner sees it)"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the reason.")),
            Length(max=REASON_MAX),
            PlainText(),
        ],
    )


class StageNameForm(CampaignForm):
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Give the name.")), Length(max=NAME_MAX), PlainText()],
    )


class ActionForm(CampaignForm):
    """A button: only the CSRF token."""
