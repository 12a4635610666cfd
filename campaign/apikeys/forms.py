"""Back-office forms for API keys: a new key's name and scopes, a key's scopes, a button."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.apikeys.models import NAME_MAX, SCOPES
from campaign.core.forms import CampaignForm
from campaign.core.validators import PlainText, strip

SCOPE_LABELS = {
    "read": _l("Read: the petitions, and the signatures and people that came through it"),
    "write": _l("Write: record signatures (each is confirmed by its signer by mail)"),
}


class ScopesField(SelectMultipleField):
    """Check boxes of the scopes; a scope not on the list is refused with our own message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Form) -> None:
        chosen: list[Any] = self.data or []
        if not chosen:
            raise ValidationError(str(_l("Choose at least one scope.")))
        if any(value not in SCOPES for value in chosen):
            raise ValidationError(str(_l("Choose scopes from the list.")))


def _scopes_field() -> ScopesField:
    return ScopesField(_l("Scopes"), choices=[(scope, SCOPE_LABELS[scope]) for scope in SCOPES])


class NewKeyForm(CampaignForm):
    name = StringField(
        _l("Name (which tool uses it)"),
        filters=[strip],
        validators=[
            DataRequired(_l("Give the key a name.")),
            Length(max=NAME_MAX, message=_l("At most %(max)d characters.")),
            PlainText(),
        ],
    )
    scopes = _scopes_field()


class ScopesForm(CampaignForm):
    scopes = _scopes_field()


class KeyActionForm(CampaignForm):
    """A button that changes something: only the CSRF token."""
