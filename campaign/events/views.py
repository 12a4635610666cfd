"""The public pages of events."""

from __future__ import annotations
