"""What a state's public page shows of officials' endorsements (plain data, kept per process by
campaign/public/figures.py)."""

from __future__ import annotations

# The models whose changes clear the state pages kept per process.
ENDORSEMENT_MODELS: tuple[type, ...] = ()


def state_endorsements(iso3: str) -> object | None:
    """The state's verified endorsements, as plain data; None while there are none."""
    return None
