"""The officials' endorsement form (its fields, limits and messages), and the review form."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, Field, Form, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from campaign.core.forms import CampaignForm
from campaign.core.validators import EmailAddress, PlainText, strip
from campaign.pledges.forms import PRIVACY_REQUIRED, CountryField, _codes_of

# Names that never reach the public internet: a proof there proves nothing to anyone else.
PRIVATE_SUFFIXES = (
    "localhost",
    "local",
    "internal",
    "intranet",
    "lan",
    "home",
    "corp",
    "home.arpa",
    "invalid",
    "test",
    "onion",
)


class ProofLink:
    """An https link to a public web page: no other scheme (http, javascript:, data:), no
    login in it, no address of a private network. The host must be a name with a top-level
    domain of letters, so an IP address (127.0.0.1, [::1], 2130706433, 0x7f.1) is refused;
    the link is never fetched here (a coordinator opens it)."""

    def __call__(self, form: Form, field: Field) -> None:
        value = field.data or ""
        if not value:
            return
        try:
            parts = urlsplit(value)
            host = (parts.hostname or "").rstrip(".")
            parts.port  # noqa: B018  (raises on a port that is not a number)
        except ValueError as error:
            raise ValidationError(_("Please give a valid web address.")) from error
        if parts.scheme.lower() != "https" or not host:
            raise ValidationError(_("Please give a public web address starting with https://."))
        if (
            parts.username is not None
            or parts.password is not None
            or any(char.isspace() for char in value)
        ):
            raise ValidationError(_("Please give a valid web address."))
        if not _public_name(host):
            raise ValidationError(
                _("Please give the address of a public web page, not a private network's.")
            )


def _public_name(host: str) -> bool:
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    top = labels[-1]
    if len(labels) < 2 or not (top.isalpha() or top.startswith("xn--")) or len(top) < 2:
        return False
    return not any(
        ascii_host == suffix or ascii_host.endswith("." + suffix) for suffix in PRIVATE_SUFFIXES
    )


def _text(label: str, required: str, *, max_length: int = 200) -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[DataRequired(required), Length(max=max_length), PlainText()],
    )


class OfficialForm(CampaignForm):
    """An elected official's or office-holder's endorsement."""

    name = _text(_l("Your name"), _l("Please give your name."))
    office = _text(
        _l("Office"), _l("Please give your office, for example Member of Parliament or Mayor.")
    )
    institution = _text(_l("Institution"), _l("Please give the institution you serve in."))
    state = CountryField(_l("State"), validators=[DataRequired(_l("Please choose a state."))])
    party = StringField(
        _l("Political party (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=200), PlainText()],
    )
    statement = TextAreaField(
        _l("Statement of support"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please write a statement of support.")),
            Length(max=2000),
            PlainText(multiline=True, markup=True),
        ],
    )
    proof_url = StringField(
        _l("Public link that shows your office"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give a public link that shows your office.")),
            Length(max=500),
            PlainText(),
            ProofLink(),
        ],
    )
    email = EmailField(
        _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give your email address.")),
            Length(max=254),
            EmailAddress(),
        ],
    )
    accept_privacy = BooleanField(
        _l("I have read the privacy notice"), validators=[DataRequired(PRIVACY_REQUIRED)]
    )
    homepage = StringField(_l("Leave this empty"), filters=[strip])  # the honeypot

    def set_states(self, choices: Sequence[tuple[str, str]]) -> None:
        """The 193 states to choose from (no "other": an office is in a state)."""
        self.state.choices = [("", _("Choose…")), *choices]
        self.state.codes = _codes_of(choices) - {"", "---"}


class ReviewForm(CampaignForm):
    decision = SelectField(
        _l("Decision"),
        choices=[("verify", _l("Verify")), ("reject", _l("Reject"))],
        validators=[DataRequired(_l("Choose verify or reject."))],
    )
    reason = TextAreaField(
        _l("Reason (required to reject)"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )
