"""What a state's public page shows of its road to ratification (plain data, kept per process
by campaign/public/figures.py)."""

from __future__ import annotations

# The models whose changes clear the state pages kept per process.
ROAD_MODELS: tuple[type, ...] = ()


def state_road(iso3: str) -> object | None:
    """The state's confirmed stage and its history, as plain data; None while nothing is known."""
    return None
