"""The two pledge forms (their fields, limits and messages), and the back office's moderation
and paper-count forms."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from campaign.core.forms import CampaignForm
from campaign.core.validators import EmailAddress, PlainText, strip
from campaign.i18n.labels import LABELS

# The kinds an organisation can choose, in this order (their labels are the shared ones).
ORGANISATION_KINDS = ("ngo", "trade_union", "faith_based", "academic", "intergovernmental", "other")
ORGANISATION_KIND_LABELS = tuple(
    (kind, LABELS["organisation_kind"][kind]) for kind in ORGANISATION_KINDS
)
PRIVACY_REQUIRED = _l("Please accept the privacy notice to sign.")


valid_email = EmailAddress()


# SelectField's own message, translated by WTForms' catalogues (not ours).
WTFORMS_NOT_A_CHOICE = "Not a valid choice."


class CountryField(SelectField):
    """The country select, checked against a set of its codes: the base class compares the
    answer with each of its 200 choices in turn, a tenth of a pledge's time in the profile."""

    codes: frozenset[str] = frozenset()

    def pre_validate(self, form: object) -> None:
        if self.data not in self.codes:
            raise ValidationError(self.gettext(WTFORMS_NOT_A_CHOICE))


_CODES: dict[int, tuple[Sequence[tuple[str, str]], frozenset[str]]] = {}


def _codes_of(choices: Sequence[tuple[str, str]]) -> frozenset[str]:
    """The codes of a (cached, shared) list of country choices, worked out once per list."""
    kept = _CODES.get(id(choices))
    if kept is None or kept[0] is not choices:
        codes = frozenset(code for code, _ in choices) | {"", "---"}  # and the two fixed ones
        kept = _CODES[id(choices)] = (choices, codes)
        if len(_CODES) > 64:  # lists replaced as the cache expires: keep the latest only
            _CODES.clear()
            _CODES[id(choices)] = kept
    return kept[1]


class PledgeForm(CampaignForm):
    """Fields both pledges share."""

    country = CountryField(_l("Country"), validators=[DataRequired(_l("Please choose a country."))])
    is_public = BooleanField(_l("List my support publicly"))
    wants_updates = BooleanField(_l("Send me campaign updates"))
    accept_privacy = BooleanField(
        _l("I have read the privacy notice"), validators=[DataRequired(PRIVACY_REQUIRED)]
    )
    # The honeypot: hidden from people, filled in by naive bots.
    homepage = StringField(_l("Leave this empty"), filters=[strip])

    def set_countries(self, choices: Sequence[tuple[str, str]], none_label: object) -> None:
        """The (kept, shared) list of countries, after "Choose…" and *none_label* (a string,
        or a lazy one)."""
        self.country.choices = _with_fixed(choices, none_label)
        self.country.codes = _codes_of(choices)


# (list, label, language) -> (list, label, the list after the two fixed choices)
_FULL: dict[tuple[int, object, str], tuple[object, object, list[tuple[str, str]]]] = {}


def _with_fixed(choices: Sequence[tuple[str, str]], none_label: object) -> list[tuple[str, str]]:
    """The two fixed choices and *choices*, put together and translated once per list, label
    and language, not on every request (a fiftieth of a pledge in the profile)."""
    label_key = none_label if isinstance(none_label, str) else id(none_label)
    key = (id(choices), label_key, str(get_locale()))  # the language gettext translates into
    kept = _FULL.get(key)
    if kept is None or kept[0] is not choices or kept[1] is not none_label:
        full = [("", _("Choose…")), ("---", str(none_label)), *choices]
        kept = _FULL[key] = (choices, none_label, full)
        if len(_FULL) > 256:  # lists replaced as the cache expires: keep the latest only
            _FULL.clear()
            _FULL[key] = kept
    return kept[2]


class IndividualPledgeForm(PledgeForm):
    name = StringField(
        _l("Your name"),
        filters=[strip],
        validators=[DataRequired(_l("Please give your name.")), Length(max=200), PlainText()],
    )
    email = EmailField(
        _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give your email address.")),
            Length(max=254),
            valid_email,
        ],
    )
    message = TextAreaField(
        _l("Message (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=1000), PlainText(multiline=True, markup=True)],
    )


class OrganisationPledgeForm(PledgeForm):
    organisation_name = StringField(
        _l("Organisation"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give the organisation's name.")),
            Length(max=200),
            PlainText(),
        ],
    )
    organisation_kind = SelectField(
        _l("Kind of organisation"),
        choices=[("", _l("Choose…")), *ORGANISATION_KIND_LABELS],
        validators=[DataRequired(_l("Please choose the kind of organisation."))],
    )
    website = StringField(
        _l("Website"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300),
            PlainText(),
            URL(
                require_tld=True,
                message=_l("Please give the full address, starting with https://."),
            ),
        ],
    )
    name = StringField(
        _l("Contact person"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give a contact person.")),
            Length(max=200),
            PlainText(),
        ],
    )
    email = EmailField(
        _l("Contact email"),
        filters=[strip],
        validators=[DataRequired(_l("Please give a contact email.")), Length(max=254), valid_email],
    )
    contact_role = StringField(
        _l("Role of the contact"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please give the contact's role.")),
            Length(max=200),
            PlainText(),
        ],
    )
    message = TextAreaField(
        _l("Statement of support"),
        filters=[strip],
        validators=[
            DataRequired(_l("Please write a statement of support.")),
            Length(max=2000),
            PlainText(multiline=True, markup=True),
        ],
    )


class ModerationForm(CampaignForm):
    decision = SelectField(
        _l("Decision"),
        choices=[("approve", _l("Approve")), ("reject", _l("Reject"))],
        validators=[DataRequired(_l("Choose approve or reject."))],
    )
    reason = TextAreaField(
        _l("Reason (sent to the organisation; required to reject)"),
        filters=[strip],
        validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
    )


class OfflineCountForm(CampaignForm):
    state = SelectField(_l("State"), validators=[DataRequired(_l("Choose a state."))])
    count = IntegerField(
        _l("Paper pledges collected"),
        validators=[InputRequired(_l("Give a number.")), NumberRange(min=0, max=10_000_000)],
    )
