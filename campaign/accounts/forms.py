"""Account forms: logging in, choosing a password, inviting users and changing their role."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from campaign.accounts.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from campaign.core.forms import CampaignForm
from campaign.core.params import as_id
from campaign.core.validators import EmailAddress, PlainText, strip

ROLE_LABELS: dict[str, LazyString] = {
    "partner": _l("Partner (works for one organisation)"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Admin (also manages users)"),
}


def email_field(label: str | LazyString | None = None) -> EmailField:
    return EmailField(
        _l("Email") if label is None else label,
        filters=[strip],
        validators=[
            DataRequired(_l("Give the email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            PlainText(),
            EmailAddress(_l("Give a valid email address.")),
        ],
    )


class LoginForm(CampaignForm):
    # WTForms' own messages ("This field is required.") come translated from its catalogues.
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class ForgotPasswordForm(CampaignForm):
    email = email_field(_l("Your email address"))


class SetPasswordForm(CampaignForm):
    # Passwords are taken as typed: no stripping, any character.
    # WTForms fills %(min)d and %(max)d in the Length messages.
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("The password needs at least %(min)d characters."),
            ),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=_l("The password can have at most %(max)d characters."),
            ),
        ],
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
    )


class RoleForm(CampaignForm):
    """A role and, for partners, their organisation; the view sets both lists of choices."""

    complete_submission = True

    role = SelectField(_l("Role"), validators=[DataRequired(_l("Choose a role."))])
    organisation = SelectField(_l("Organisation (partners only)"), validators=[Optional()])

    def set_choices(self, roles: tuple[str, ...], organisations: list[tuple[str, str]]) -> None:
        self.role.choices = [("", _l("Choose…"))] + [(role, ROLE_LABELS[role]) for role in roles]
        self.organisation.choices = [("", _l("None (not a partner)")), *organisations]

    def organisation_id(self) -> int | None:
        return as_id(self.organisation.data)


class InviteForm(RoleForm):
    complete_submission = False  # it adds; a missing field is an empty one

    email = email_field()
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=200, message=_l("A name has at most 200 characters.")),
            PlainText(),
        ],
    )
