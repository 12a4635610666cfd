"""Build campaign/data/world_map.json, the world map's shapes, from Natural Earth via world-atlas.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_map.py package/countries-110m.json package/countries-50m.json

Shapes come from the 1:110m file (small enough for a phone); the UN member states too small to
appear at that scale are drawn as dots at the centre of their 1:50m outline (Tuvalu, absent
from both, at its capital). Features of the 1:110m file that are not UN member states are kept
as plain land, without a name or a link. Projection: Natural Earth I. Provenance:
campaign/data/PROVENANCE.md.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STATES = ROOT / "campaign" / "data" / "un_member_states.csv"
OUT = ROOT / "campaign" / "data" / "world_map.json"
WIDTH = 960.0
MIN_AREA = 0.6  # rings smaller than this (in square pixels) are left out
TUVALU = (179.2, -8.52)  # Funafuti; Tuvalu is in neither world-atlas file

Point = tuple[float, float]


def natural_earth(lon: float, lat: float) -> Point:
    """The Natural Earth I projection (Šavrič et al., 2011), in radians of the unit sphere."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


# The projection's extent: x in [-2.7353, 2.7353] at the equator, y in [-1.4235, 1.4235].
X_MAX, Y_MAX = natural_earth(180, 0)[0], natural_earth(0, 90)[1]
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = round(2 * Y_MAX * SCALE, 1)


def to_svg(lon: float, lat: float) -> Point:
    x, y = natural_earth(lon, lat)
    return round((x + X_MAX) * SCALE, 1), round((Y_MAX - y) * SCALE, 1)


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute longitude/latitude arcs from the quantised, delta-encoded TopoJSON arcs."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy in arc:
            x, y = x + qx, y + qy
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def area(points: list[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(points))) / 2


def unwrapped(points: list[Point]) -> list[list[Point]]:
    """A ring that crosses the antimeridian (Fiji, Chukotka), drawn once on each side: shifted,
    then clamped to the 180th meridian (clamping one coordinate clips the ring to a half-plane,
    leaving only zero-width edges along the map's rim)."""
    if all(abs(a[0] - b[0]) <= 180 for a, b in pairwise(points)):
        return [points]
    east = [(min(180.0, lon + 360 if lon < 0 else lon), lat) for lon, lat in points]
    west = [(max(-180.0, lon - 360 if lon > 0 else lon), lat) for lon, lat in points]
    return [east, west]


def path(geometry: dict[str, Any], arcs: list[list[Point]]) -> str:
    parts = []
    for polygon in polygons(geometry):
        for indexes in polygon:
            for points in unwrapped(ring(arcs, indexes)):
                parts.extend(_subpath(points))
    return "".join(parts)


def _subpath(points: list[Point]) -> list[str]:
    projected = [to_svg(lon, lat) for lon, lat in points]
    unique = [p for i, p in enumerate(projected) if i == 0 or p != projected[i - 1]]
    if len(unique) < 4 or area(unique) < MIN_AREA:
        return []
    return [relative(unique)]


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def relative(points: list[Point]) -> str:
    """An SVG subpath with relative line-tos (in tenths of a pixel, so the deltas stay exact)."""
    tenths = [(round(x * 10), round(y * 10)) for x, y in points]
    (x0, y0), out = tenths[0], [f"M{_number(tenths[0][0] / 10)} {_number(tenths[0][1] / 10)}l"]
    steps = []
    for x, y in tenths[1:]:
        steps.append(f"{_number((x - x0) / 10)} {_number((y - y0) / 10)}")
        x0, y0 = x, y
    out.append(" ".join(steps))
    return "".join(out) + "z"


def centre(geometry: dict[str, Any], arcs: list[list[Point]]) -> Point:
    """The centre of the largest ring's bounding box, projected."""
    rings = [ring(arcs, indexes) for polygon in polygons(geometry) for indexes in polygon]
    largest = max(rings, key=lambda r: area(r) if len(r) > 2 else 0.0)
    lons, lats = [p[0] for p in largest], [p[1] for p in largest]
    return to_svg((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


def main(small_scale: Path, medium_scale: Path) -> None:
    m49 = {row["m49"].zfill(3): row["iso3"] for row in csv.DictReader(STATES.open())}
    topology = json.loads(small_scale.read_text())
    arcs = decode_arcs(topology)
    shapes: dict[str, str] = {}
    land: list[str] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        drawn = path(geometry, arcs)
        iso3 = m49.get(str(geometry.get("id", "")))
        if iso3 and drawn:
            shapes[iso3] = drawn
        elif drawn:
            land.append(drawn)
    medium = json.loads(medium_scale.read_text())
    medium_arcs = decode_arcs(medium)
    dots: dict[str, Point] = {}
    for geometry in medium["objects"]["countries"]["geometries"]:
        iso3 = m49.get(str(geometry.get("id", "")))
        if iso3 and iso3 not in shapes:
            dots[iso3] = centre(geometry, medium_arcs)
    if "TUV" not in shapes and "TUV" not in dots:
        dots["TUV"] = to_svg(*TUVALU)
    missing = sorted(set(m49.values()) - set(shapes) - set(dots))
    if missing:
        raise SystemExit(f"no shape or dot for {', '.join(missing)}")
    rim = [(180.0, lat) for lat in range(-90, 91)] + [(-180.0, lat) for lat in range(90, -91, -1)]
    document = {
        "source": "world-atlas 2.0.2 (Natural Earth 1:110m, dots from 1:50m); see PROVENANCE.md",
        "width": WIDTH,
        "height": HEIGHT,
        "sphere": relative([to_svg(lon, lat) for lon, lat in rim]),
        "shapes": dict(sorted(shapes.items())),
        "dots": dict(sorted(dots.items())),
        "land": land,
    }
    OUT.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    print(f"{OUT}: {len(shapes)} shapes, {len(dots)} dots, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
