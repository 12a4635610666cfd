"""The events' tables."""

from __future__ import annotations
