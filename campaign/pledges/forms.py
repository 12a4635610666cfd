"""The two pledge forms (their fields, limits and messages), and the back office's moderation
and paper-count forms."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar, cast

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
T = TypeVar("T")


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


# Worked out from a kept list of choices: (what it was built from, its answer), by their ids.
_KEPT: dict[tuple[object, ...], tuple[tuple[object, ...], object]] = {}
KEPT_AT_MOST = 256


def _kept(owners: tuple[object, ...], extra: tuple[str, ...], build: Callable[[], T]) -> T:
    """*build*'s answer, kept while *owners* are the very objects it was built from (their ids
    are the key, and an id is reused once its object is gone) and *extra* is the same. Lists
    are replaced as their caches expire: past KEPT_AT_MOST answers only the latest is kept."""
    key = (*extra, *map(id, owners))
    kept = _KEPT.get(key)
    if kept is None or any(old is not new for old, new in zip(kept[0], owners, strict=True)):
        kept = (owners, build())
        if len(_KEPT) >= KEPT_AT_MOST:
            _KEPT.clear()
        _KEPT[key] = kept
    return cast(T, kept[1])


def _codes_of(choices: Sequence[tuple[str, str]]) -> frozenset[str]:
    """The codes of a (cached, shared) list of country choices, worked out once per list."""
    return _kept(
        (choices,),
        ("codes",),
        lambda: frozenset(code for code, _ in choices) | {"", "---"},  # and the two fixed ones
    )


def _with_fixed(choices: Sequence[tuple[str, str]], none_label: object) -> list[tuple[str, str]]:
    """The two fixed choices and *choices*, put together and translated once per list, label
    and language (the one gettext translates into), not on every request (a fiftieth of a
    pledge in the profile)."""
    return _kept(
        (choices, none_label),
        ("full", str(get_locale())),
        lambda: [("", _("Choose…")), ("---", str(none_label)), *choices],
    )


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
