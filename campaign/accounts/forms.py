"""Account forms: logging in, choosing a password, inviting users and changing their role."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from campaign.accounts.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from campaign.core.validators import PlainText, strip

ROLE_LABELS = {
    "partner": "Partner (works for one organisation)",
    "coordinator": "Coordinator",
    "admin": "Admin (also manages users)",
}


def email_field(label: str = "Email") -> EmailField:
    return EmailField(
        label,
        filters=[strip],
        validators=[
            DataRequired("Give the email address."),
            Length(max=254, message="An email address has at most 254 characters."),
            PlainText(),
            Email("Give a valid email address.", check_deliverability=False),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class ForgotPasswordForm(FlaskForm):
    email = email_field("Your email address")


class SetPasswordForm(FlaskForm):
    # Passwords are taken as typed: no stripping, any character.
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=f"The password needs at least {MIN_PASSWORD_LENGTH} characters.",
            ),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=f"The password can have at most {MAX_PASSWORD_LENGTH} characters.",
            ),
        ],
    )
    confirm = PasswordField(
        "The same password again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords do not match."),
        ],
    )


class RoleForm(FlaskForm):
    """A role and, for partners, their organisation; the view sets both lists of choices."""

    role = SelectField("Role", validators=[DataRequired("Choose a role.")])
    organisation = SelectField("Organisation (partners only)", validators=[Optional()])

    def set_choices(self, roles: tuple[str, ...], organisations: list[tuple[str, str]]) -> None:
        self.role.choices = [("", "Choose…")] + [(role, ROLE_LABELS[role]) for role in roles]
        self.organisation.choices = [("", "None (not a partner)"), *organisations]

    def organisation_id(self) -> int | None:
        value = self.organisation.data or ""
        return int(value) if value.isdigit() else None


class InviteForm(RoleForm):
    email = email_field()
    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=200, message="A name has at most 200 characters."),
            PlainText(),
        ],
    )
