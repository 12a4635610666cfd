"""The world map of ratification status: inline SVG drawn on the server from Natural Earth.

The shapes are a derived file, `campaign/data/world_map.json` (see `scripts/build_world_map.py`
and `campaign/data/PROVENANCE.md`); this module pairs them with the registry's statuses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "world_map.json"
STATUSES = ("party", "signatory", "none")


@dataclass(frozen=True)
class MapState:
    iso3: str
    name: str
    status: str
    path: str | None = None  # an outline, or
    dot: tuple[float, float] | None = None  # a dot, for states too small at this scale
    endorsements: int = 0  # verified officials' endorsements (the map's second layer)


@dataclass(frozen=True)
class WorldMap:
    width: float
    height: float
    sphere: str  # the outline of the globe in this projection: the sea
    land: tuple[str, ...]  # territories that are not UN member states: no name, no link
    states: tuple[MapState, ...]

    def with_status(self, status: str) -> list[MapState]:
        return [state for state in self.states if state.status == status]

    def endorsed(self) -> list[MapState]:
        """States with at least one verified officials' endorsement."""
        return [state for state in self.states if state.endorsements]


@cache
def _shapes() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text()))


def world_map(
    states: Iterable[tuple[str, str, str]], endorsements: Mapping[str, int] | None = None
) -> WorldMap:
    """The map for (iso3, name, status) of every state, with its count of *endorsements*
    (by iso3); outlines first, dots on top."""
    shapes = _shapes()
    endorsements = endorsements or {}
    drawn = []
    for iso3, name, status in states:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} for {iso3}")
        dot = shapes["dots"].get(iso3)
        drawn.append(
            MapState(
                iso3=iso3,
                name=name,
                status=status,
                path=shapes["shapes"].get(iso3),
                dot=tuple(dot) if dot else None,
                endorsements=endorsements.get(iso3, 0),
            )
        )
    drawn.sort(key=lambda state: state.dot is not None)
    return WorldMap(
        width=float(shapes["width"]),
        height=float(shapes["height"]),
        sphere=str(shapes["sphere"]),
        land=tuple(shapes["land"]),
        states=tuple(drawn),
    )
