"""The materials library's tables."""

from __future__ import annotations
