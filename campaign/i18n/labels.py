"""What the stored enumerations read as on a page or in a mail, in every language.

The database keeps codes (`party`, `trade_union`, `Western Africa`); pages show these lazy
labels, which translate when they are rendered. In a template: `{{ state.status|label('status') }}`.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

LABELS: dict[str, dict[str, LazyString]] = {
    "status": {
        "party": _l("Party"),
        "signatory": _l("Signatory"),
        "none": _l("No action"),
    },
    "method": {
        "ratification": _l("Ratification"),
        "accession": _l("Accession"),
    },
    "act": {
        "signature": _l("Signature"),
        "ratification": _l("Ratification"),
        "accession": _l("Accession"),
        "correction": _l("Correction"),
    },
    "region": {
        "Africa": _l("Africa"),
        "America": _l("America"),
        "Asia": _l("Asia"),
        "Europe": _l("Europe"),
        "Oceania": _l("Oceania"),
    },
    "subregion": {
        "Australia and New Zealand": _l("Australia and New Zealand"),
        "Caribbean": _l("Caribbean"),
        "Central America": _l("Central America"),
        "Central Asia": _l("Central Asia"),
        "Eastern Africa": _l("Eastern Africa"),
        "Eastern Asia": _l("Eastern Asia"),
        "Eastern Europe": _l("Eastern Europe"),
        "Melanesia": _l("Melanesia"),
        "Micronesia": _l("Micronesia"),
        "Middle Africa": _l("Middle Africa"),
        "Northern Africa": _l("Northern Africa"),
        "Northern America": _l("Northern America"),
        "Northern Europe": _l("Northern Europe"),
        "Polynesia": _l("Polynesia"),
        "South America": _l("South America"),
        "South-eastern Asia": _l("South-eastern Asia"),
        "Southern Africa": _l("Southern Africa"),
        "Southern Asia": _l("Southern Asia"),
        "Southern Europe": _l("Southern Europe"),
        "Western Africa": _l("Western Africa"),
        "Western Asia": _l("Western Asia"),
        "Western Europe": _l("Western Europe"),
    },
    "organisation_kind": {
        "ngo": _l("NGO"),
        "trade_union": _l("Trade union"),
        "faith_based": _l("Faith-based organisation"),
        "intergovernmental": _l("Intergovernmental organisation"),
        "un_body": _l("UN body"),
        "academic": _l("Academic institution"),
        "other": _l("Other"),
    },
    "partner_role": {"lead": _l("Lead partner"), "member": _l("Partner")},
    "role": {
        "admin": _l("Admin"),
        "coordinator": _l("Coordinator"),
        "partner": _l("Partner"),
    },
    "moderation": {
        "pending": _l("Pending"),
        "approved": _l("Approved"),
        "rejected": _l("Rejected"),
    },
    "frequency": {
        "weekly": _l("Weekly"),
        "monthly": _l("Monthly"),
        "none": _l("None"),
    },
    # A subscriber's choices, in the words of the subscribe and preferences forms.
    "digest_choice": {
        "weekly": _l("Every week"),
        "monthly": _l("Every month"),
        "none": _l("No digest"),
    },
    "alert_choice": {
        "all": _l("Every state's ratifications and signatures"),
        "followed": _l("Only the states I follow"),
        "none": _l("No alerts"),
    },
    # The treaty sync's proposals, runs and reviews, on its back-office screens.
    "sync_kind": {
        "new_signature": _l("New signatory"),
        "new_party": _l("New party"),
        "method": _l("Method differs"),
        "date_correction": _l("Date differs"),
        "conflict": _l("Conflict (never applied automatically)"),
    },
    "sync_outcome": {
        "unchanged": _l("Unchanged document"),
        "proposed": _l("Changes proposed"),
        "no_changes": _l("Read: nothing new"),
        "failed": _l("Failed"),
    },
    "sync_review": {
        "pending": _l("Waiting for review"),
        "approved": _l("Approved"),
        "rejected": _l("Rejected"),
        "auto_approved": _l("Approved automatically"),
    },
}


def lookup(table: dict[str, dict[str, LazyString]], value: str | None, group: str) -> str:
    """The word for *value* in *group* of *table*, in the current language; the value itself
    when it has none."""
    if value is None:
        return ""
    found = table.get(group, {}).get(value)
    return str(found) if found is not None else value


def label(value: str | None, group: str) -> str:
    """The label of *value* in *group*, or the value itself when it has none."""
    return lookup(LABELS, value, group)


def choices(group: str) -> list[tuple[str, LazyString]]:
    """(code, label) pairs for a select field, in the order above."""
    return list(LABELS[group].items())
