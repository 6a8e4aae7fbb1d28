#!/usr/bin/env python3
"""Build kb/web/static/geo/regions.json: US states and Japanese prefectures as pre-projected SVG paths.

The map page (/-/kb/map) draws these shapes offline, with no tiles and no d3. Inputs are two npm packages
(see kb/web/static/geo/README.md for their licences):

    npm pack us-atlas@3.0.1 @svg-maps/japan@2.0.0
    tar xzf us-atlas-3.0.1.tgz --one-top-level=us-atlas && tar xzf svg-maps-japan-2.0.0.tgz --one-top-level=japan
    python scripts/build_geo.py us-atlas/package japan/package

us-atlas's states-albers-10m.json is TopoJSON already projected (Albers USA, 975×610); @svg-maps/japan is SVG
path data (447×516 view box). Each region gets a key that matches kb's entities ("US-" + USPS code for a
state, the ISO 3166-2 code JP-NN for a prefecture), its English and Japanese names from kb's gazetteer, an
SVG path and a label point (the centroid of its largest ring). Coordinates are rounded to `--precision`
decimals, and points closer than `--tolerance` to the kept line are dropped (Douglas–Peucker), which keeps
the file small.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "kb" / "data" / "gazetteer"
OUT = ROOT / "kb" / "web" / "static" / "geo" / "regions.json"


def read_gazetteer(name: str) -> list[dict]:
    lines = [line for line in (GAZETTEER / name).read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


def topo_rings(topology: dict, geometry: dict) -> list[list[tuple[float, float]]]:
    """The rings of a TopoJSON (Multi)Polygon, decoded from quantized, delta-encoded arcs."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]

    def arc(index: int) -> list[tuple[float, float]]:
        x = y = 0
        points = []
        for dx, dy in topology["arcs"][index if index >= 0 else ~index]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points if index >= 0 else points[::-1]

    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for index in ring:
                part = arc(index)
                points.extend(part if not points else part[1:])
            rings.append(points)
    return rings


def svg_rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings of SVG path data made of relative `m` moves, implicit relative line-tos and `z`."""
    rings, ring = [], []
    x = y = start_x = start_y = 0.0
    tokens = re.findall(r"[mMzZ]|-?[\d.]+(?:e-?\d+)?", d)
    i, command = 0, None
    while i < len(tokens):
        token = tokens[i]
        if token in "mMzZ":
            if token in "zZ":
                if ring:
                    rings.append(ring)
                ring, x, y = [], start_x, start_y
                command = None
            else:
                command = token
            i += 1
            continue
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        if command in ("m", "M"):
            if ring:
                rings.append(ring)
            x, y = (x + dx, y + dy) if command == "m" else (dx, dy)
            start_x, start_y, ring = x, y, [(x, y)]
            command = "l" if command == "m" else "L"
        else:
            x, y = (x + dx, y + dy) if command == "l" else (dx, dy)
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker: drop points within `tolerance` of the line through the kept ones."""
    if len(points) < 4 or tolerance <= 0:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            dist = (abs(dy * px - dx * py + bx * ay - by * ax) / norm if norm > 1e-9
                    else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5)
            if dist > best:
                best, best_i = dist, i
        if best_i > 0 and best > tolerance:
            keep[best_i] = True
            stack += [(a, best_i), (best_i, b)]
    return [p for p, k in zip(points, keep) if k]


def area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        xs, ys = zip(*ring)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area / 2), cx / (3 * area), cy / (3 * area)


def region(key: str, name: str, name_ja: str, entity_id: str, rings, precision: int, tolerance: float) -> dict:
    kept = []
    for ring in rings:
        ring = simplify(ring, tolerance)
        if len(ring) >= 3:
            kept.append(ring)
    if not kept:
        raise SystemExit(f"{key}: nothing left after simplification; lower --tolerance")
    fmt = f"{{:.{precision}f}}"

    def num(v: float) -> str:
        text = fmt.format(v).rstrip("0").rstrip(".") if precision else fmt.format(v)
        return "0" if text in ("-0", "") else text

    d = "".join("M" + "L".join(f"{num(x)},{num(y)}" for x, y in ring) + "Z" for ring in kept)
    _, cx, cy = max(area_centroid(r) for r in kept)
    return {"key": key, "entity_id": entity_id, "name": name, "name_ja": name_ja, "d": d,
            "label": [round(cx, 1), round(cy, 1)]}


def build(us_dir: Path, jp_dir: Path, precision: int, tolerance: float) -> dict:
    states = {row["fips"]: row for row in read_gazetteer("us_states.csv")}
    topology = json.loads((us_dir / "states-albers-10m.json").read_text(encoding="utf-8"))
    us = []
    for geometry in topology["objects"]["states"]["geometries"]:
        row = states.get(geometry["id"])
        if row is None:
            print(f"us-atlas state {geometry['id']} ({geometry['properties'].get('name')}) is not in "
                  "us_states.csv: skipped", file=sys.stderr)
            continue
        us.append(region(f"US-{row['usps']}", row["name_en"], row["name_ja"], row["id"],
                         topo_rings(topology, geometry), precision, tolerance))
    prefectures = {row["name_en"].lower(): row for row in read_gazetteer("jp_prefectures.csv")}
    source = (jp_dir / "index.js").read_text(encoding="utf-8")
    japan = json.loads(source[source.index("{"):].strip().rstrip(";"))
    jp = []
    for location in japan["locations"]:
        row = prefectures.get(location["id"].lower())
        if row is None:
            raise SystemExit(f"@svg-maps/japan location {location['id']!r} matches no name_en in "
                             "jp_prefectures.csv: add the spelling to this script")
        jp.append(region(row["iso"], row["name_en"], row["name_ja"], row["id"], svg_rings(location["path"]),
                         precision, tolerance))
    return {
        "about": "US states (us-atlas 3.0.1, ISC; US Census Bureau cartographic boundaries, public domain) and "
                 "Japanese prefectures (@svg-maps/japan 2.0.0, CC BY 4.0, based on MapSVG). "
                 "Built by scripts/build_geo.py; see README.md in this folder.",
        "maps": [
            {"id": "us", "title": "United States", "title_ja": "米国", "viewBox": "0 0 975 610",
             "regions": sorted(us, key=lambda r: r["key"])},
            {"id": "jp", "title": "Japan", "title_ja": "日本", "viewBox": japan["viewBox"],
             "regions": sorted(jp, key=lambda r: r["key"])},
        ],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("us_atlas", type=Path, help="folder of the unpacked us-atlas package")
    parser.add_argument("svg_maps_japan", type=Path, help="folder of the unpacked @svg-maps/japan package")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--precision", type=int, default=1, help="decimals kept in coordinates")
    parser.add_argument("--tolerance", type=float, default=0.25, help="simplification tolerance (map units)")
    args = parser.parse_args(argv)
    data = build(args.us_atlas, args.svg_maps_japan, args.precision, args.tolerance)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    counts = ", ".join(f"{m['id']}: {len(m['regions'])} regions" for m in data["maps"])
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes; {counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
