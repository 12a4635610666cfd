"""The road to ratification's tables."""

from __future__ import annotations
