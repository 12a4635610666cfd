"""The base of every form: a submission must carry every field the page showed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import BooleanField, Field, FieldList, FormField, RadioField, SelectMultipleField
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields import FileField, SubmitField

# A browser leaves these out when nothing is ticked, chosen or clicked: absent means empty.
OPTIONAL_IN_SUBMISSION = (
    BooleanField,
    SelectMultipleField,
    RadioField,
    FileField,
    SubmitField,
    CSRFTokenField,
    FieldList,
    FormField,
)
NOT_SENT = _l("This field was not sent. Reload the page and try again.")


class _SignedWhenShown:
    """A form's CSRF token, signed the first time a page writes it.

    Flask-WTF signs a token for every form it builds, also for a submission that is valid and
    answered with a redirect, where nobody reads it (a fortieth of a pledge's time). The
    submitted token is checked as before: by CSRFProtect, then by the form."""

    __slots__ = ("_make", "_token")

    def __init__(self, make: Callable[[], str]) -> None:
        self._make: Callable[[], str] | None = make
        self._token = ""

    def __str__(self) -> str:
        if self._make is not None:
            self._token, self._make = self._make(), None
        return self._token


class _CSRF(FlaskForm.Meta.csrf_class):
    def generate_csrf_token(self, csrf_token_field: Field) -> _SignedWhenShown:
        sign = super().generate_csrf_token
        return _SignedWhenShown(lambda: str(sign(csrf_token_field)))


class CampaignForm(FlaskForm):
    """Every form's base. A form that edits what is stored sets `complete_submission`.

    WTForms keeps a missing field's previous value (or the edited object's), and an
    `Optional()` field then validates as empty: a hand-made POST carrying only the CSRF token
    would blank what it left out. An editing form refuses such a submission, field by field,
    for every field a browser always sends. (A form that only adds something takes a missing
    field as an empty one, as a browser's empty field.)
    """

    complete_submission: ClassVar[bool] = False

    class Meta(FlaskForm.Meta):
        csrf_class = _CSRF

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """What a browser posts: the form's fields, and files only for its file fields.

            Flask-WTF would read a JSON body as the form, and hand a file sent under a text
            field's name to that field: a number or a nested list for a form, or a file for a
            text field, was a 500. A JSON post is an empty submission; a file for a field that
            takes none was not sent.
            """
            if formdata is not _Auto or not form.is_submitted():
                return super().wrap_formdata(form, formdata)
            names = _file_fields(form)
            files = [(key, file) for key, file in request.files.items(multi=True) if key in names]
            if files:
                return CombinedMultiDict((MultiDict(files), request.form))
            return request.form or None

    def validate(self, extra_validators: dict[str, Sequence[Any]] | None = None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.complete_submission and self.is_submitted()):
            return valid
        sent = set(request.form) | (set(request.files) & _file_fields(self))
        missing = [field for field in self if _expected(field) and field.name not in sent]
        for field in missing:
            field.errors = [str(NOT_SENT)]
        return valid and not missing


def _file_fields(form: FlaskForm) -> set[str]:
    return {field.name for field in form if isinstance(field, FileField)}


def _expected(field: Field) -> bool:
    return not isinstance(field, OPTIONAL_IN_SUBMISSION) and not field.flags.disabled


def form_errors(form: FlaskForm) -> str:
    """Every error of *form* on one line, each after its field's label."""
    return "; ".join(
        _("%(field)s: %(message)s", field=form[name].label.text, message=message)
        for name, messages in form.errors.items()
        for message in messages
    )
