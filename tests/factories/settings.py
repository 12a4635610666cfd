"""The setting factory: an admin's override of one of the settings the code knows."""

from __future__ import annotations

import factory

from campaign.settings.models import Setting
from campaign.settings.services import SETTINGS
from tests.factories.base import Factory


class SettingFactory(Factory):
    class Meta:
        model = Setting

    key = factory.Iterator(SETTINGS)
    value = "10 per minute"
