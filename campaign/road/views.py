"""Public and back-office pages of the road to ratification."""

from __future__ import annotations
