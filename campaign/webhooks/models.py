"""The webhooks' tables."""

from __future__ import annotations
