"""Codes the back office shows as they are stored (`party`, `ratification`, `queued`).

Coordinators read these lowercase words in filters, exports and the audit log, so the English
page keeps them; other languages translate them. In a template: `{{ state.status|code('status') }}`.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from campaign.i18n.labels import lookup

CODES: dict[str, dict[str, LazyString]] = {
    "status": {"none": _l("none"), "signatory": _l("signatory"), "party": _l("party")},
    "act": {
        "signature": _l("signature"),
        "ratification": _l("ratification"),
        "accession": _l("accession"),
        "correction": _l("correction"),
    },
    "via": {"user": _l("user"), "seed": _l("seed"), "sync": _l("sync")},
    "outbox": {
        "queued": _l("queued"),
        "sending": _l("sending"),
        "sent": _l("sent"),
        "failed": _l("failed"),
        "bounced": _l("bounced"),
        "held": _l("held"),
    },
    "digest": {"weekly": _l("weekly"), "monthly": _l("monthly")},
    "bounce": {"hard": _l("hard"), "soft": _l("soft")},
    "bounce_source": {"smtp": _l("smtp"), "dsn": _l("dsn"), "webhook": _l("webhook")},
    "user_status": {
        "active": _l("active"),
        "invited": _l("invited"),
        "deactivated": _l("deactivated"),
    },
    "role": {"admin": _l("admin"), "coordinator": _l("coordinator"), "partner": _l("partner")},
    "partner_role": {"lead": _l("lead"), "member": _l("member")},
    "import_action": {
        "create": _l("create"),
        "update": _l("update"),
        "unchanged": _l("unchanged"),
    },
}


def code(value: str | None, group: str) -> str:
    """The word for *value* in *group* in the current language; unknown values as they are."""
    return lookup(CODES, value, group)
