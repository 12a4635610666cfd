"""The pledge import's back-office forms: upload, the column mapping (built from the file's
header), the run's options, and the bare forms that discard or resume."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired, ValidationError

from campaign.core.forms import CampaignForm
from campaign.i18n import LANGUAGES
from campaign.pledges.import_mapping import FIELDS

REQUIRED = {
    "email": _l("Choose the column that holds the email address."),
    "name": _l("Choose the column that holds the name."),
}


class UploadForm(CampaignForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])


class MappingForm(CampaignForm):
    """One select per pledge field (the file's columns); made for a header by mapping_form()."""

    kind_fixed = SelectField(
        _l("Kind of every row"),
        choices=[
            ("individual", _l("Individuals")),
            ("organisation", _l("Organisations")),
            ("", _l("Read from the column chosen for “Individual or organisation”")),
        ],
    )

    def validate_kind_fixed(self, field: Any) -> None:
        if not field.data and not self["kind"].data:
            raise ValidationError(_l("Choose the column that says individual or organisation."))

    def mapping(self) -> dict[str, Any]:
        chosen: dict[str, Any] = {
            name: int(self[name].data) if self[name].data else None for name in FIELDS
        }
        chosen["kind_fixed"] = self.kind_fixed.data or ""
        return chosen


def mapping_form(header: list[str], **kwargs: Any) -> MappingForm:
    """The mapping form for *header*: a column outside it is not a valid choice (400)."""
    columns = [("", str(_l("(not in the file)")))] + [
        (str(index), name) for index, name in enumerate(header)
    ]

    class Form(MappingForm):
        pass

    for name, label in FIELDS.items():
        validators = [DataRequired(REQUIRED[name])] if name in REQUIRED else []
        setattr(Form, name, SelectField(label, choices=columns, validators=validators))
    return Form(**kwargs)


class RunForm(CampaignForm):
    send_mail = BooleanField(
        _l("Mail each new supporter a confirmation (they are counted once they confirm)")
    )
    locale = SelectField(
        _l("Language of the pledges (and of the mails)"),
        choices=[(code, language.name) for code, language in LANGUAGES.items()],
    )
    attest = BooleanField(
        _l("The people in this file signed the pledge and accepted the privacy notice"),
        validators=[DataRequired(_l("Confirm that the people in this file signed the pledge."))],
    )


class ActionForm(CampaignForm):
    """A button: discard, or start a failed job again (CSRF only)."""
