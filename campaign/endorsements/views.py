"""The officials' endorsement form and its public lists."""

from __future__ import annotations
