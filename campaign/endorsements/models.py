"""The officials' endorsements' tables."""

from __future__ import annotations
