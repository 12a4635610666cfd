"""The world map of ratification status: inline SVG drawn on the server from Natural Earth.

The shapes are a derived file, `campaign/data/world_map.json` (see `scripts/build_world_map.py`
and `campaign/data/PROVENANCE.md`); this module pairs them with the registry's statuses.
"""

from __future__ import annotations

import json
import re
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
    events: int = 0  # approved events of the Migrants Day season (the third layer)

    @property
    def anchor(self) -> tuple[float, float] | None:
        """Where a marker of this state goes: its dot, or the centre of its largest outline."""
        return self.dot or anchor_of(self.iso3)


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

    def with_events(self) -> list[MapState]:
        """States with approved events in the Migrants Day season shown."""
        return [state for state in self.states if state.events and state.anchor]


@cache
def _shapes() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text()))


_NUMBER = re.compile(r"-?[0-9]*\.?[0-9]+(?:e-?[0-9]+)?|[Mlz]")


def _rings(path: str) -> list[list[tuple[float, float]]]:
    """The closed rings of an outline written with M (absolute), l (relative) and z only, as
    scripts/build_world_map.py writes them."""
    rings: list[list[tuple[float, float]]] = []
    x = y = 0.0
    command = ""
    numbers: list[float] = []
    for part in _NUMBER.findall(path):
        if part in ("M", "l", "z"):
            command, numbers = part, []
            if part == "z" and rings and rings[-1]:
                x, y = rings[-1][0]
            continue
        numbers.append(float(part))
        if len(numbers) < 2:
            continue
        dx, dy = numbers
        numbers = []
        if command == "M":
            x, y = dx, dy
            rings.append([(x, y)])
            command = "l"  # pairs after an M's first are line-tos (relative here)
        else:
            x, y = x + dx, y + dy
            rings[-1].append((x, y))
    return rings


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, tuple[float, float]]:
    """(area, centre) of a ring (the shoelace formula)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if area == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


@cache
def anchor_of(iso3: str) -> tuple[float, float] | None:
    """The centre of the state's largest ring on the map (its mainland), or None."""
    path = _shapes()["shapes"].get(iso3)
    if not path:
        return None
    rings = [ring for ring in _rings(path) if len(ring) > 2]
    if not rings:
        return None
    _area, (x, y) = max((_centroid(ring) for ring in rings), key=lambda found: found[0])
    return round(x, 1), round(y, 1)


def world_map(
    states: Iterable[tuple[str, str, str]],
    endorsements: Mapping[str, int] | None = None,
    events: Mapping[str, int] | None = None,
) -> WorldMap:
    """The map for (iso3, name, status) of every state, with its count of *endorsements* and
    of Migrants Day *events* (by iso3); outlines first, dots on top."""
    shapes = _shapes()
    endorsements = endorsements or {}
    events = events or {}
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
                events=events.get(iso3, 0),
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
