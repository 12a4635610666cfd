"""The public pages of the materials library."""

from __future__ import annotations
