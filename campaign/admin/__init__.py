"""The coordinators' back office, under /admin/: one blueprint for every feature's screens.

What belongs to no feature is here (the dashboard, its charts, the audit view, the exports
index); each feature's screens are in its own `admin.py` (SCREENS), which adds its routes to
this blueprint and is imported before the blueprint is registered.
"""

from importlib import import_module

from flask import Blueprint

from campaign.i18n.codes import code

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Stored codes in the reader's language, for every template.
bp.add_app_template_filter(code, "code")

SCREENS = (
    "campaign.accounts.admin",
    "campaign.apikeys.admin",
    "campaign.embed.admin",
    "campaign.endorsements.admin",
    "campaign.events.admin",
    "campaign.mail.admin",
    "campaign.materials.admin",
    "campaign.organisations.admin",
    "campaign.outreach.admin",
    "campaign.pledges.admin",
    "campaign.pledges.import_admin",
    "campaign.settings.admin",
    "campaign.states.admin",
    "campaign.sync.admin",
    "campaign.webhooks.admin",
)


def load_screens() -> Blueprint:
    """The blueprint with every feature's screens on it."""
    for module in SCREENS:
        import_module(module)
    return bp


from campaign.admin import audit, exports, views  # noqa: E402,F401
