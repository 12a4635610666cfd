"""Form validators shared by every form: plain text only, no control characters, no formulas;
an email address by the rules of campaign.core.addresses."""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import gettext as _
from wtforms import Field, Form
from wtforms.validators import ValidationError

from campaign.core.addresses import InvalidEmail, normalise_email

# Bidirectional overrides and isolates: they can make a name display as something else.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class PlainText:
    """One line of text: no control characters, no markup, no leading formula character."""

    def __init__(self, multiline: bool = False, markup: bool = False) -> None:
        self.multiline = multiline
        self.markup = markup

    def __call__(self, form: Form, field: Field) -> None:
        value = field.data or ""
        allowed = "\n\r\t" if self.multiline else ""
        for char in value:
            if char not in allowed and unicodedata.category(char) == "Cc":
                raise ValidationError(_("Please remove line breaks and control characters."))
        if BIDI_CONTROLS.intersection(value):
            raise ValidationError(_("Please remove invisible direction-control characters."))
        if not self.markup and ("<" in value or ">" in value):
            raise ValidationError(_("Please do not use the characters < and >."))
        if not self.multiline and value.startswith(FORMULA_STARTS):
            raise ValidationError(_("Please start with a letter or a digit."))


class EmailAddress:
    """An address campaign.core.addresses accepts, so that the view's normalise_email() cannot
    refuse what the form let through."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if not field.data:
            return
        try:
            normalise_email(field.data)
        except InvalidEmail as error:
            raise ValidationError(
                self.message or _("Please give a valid email address.")
            ) from error
