"""scripts/build_geo.py, which builds the map's bundled boundaries: its path readers and simplification."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_geo.py"
spec = importlib.util.spec_from_file_location("build_geo", SCRIPT)
build_geo = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_geo)


def test_svg_rings_relative_moves_and_closes():
    # Two squares: the second subpath's move is relative to the first one's start (after z).
    rings = build_geo.svg_rings("m 10,10 5,0 0,5 -5,0 z m 20,0 1,0 0,1 z")
    assert rings == [[(10, 10), (15, 10), (15, 15), (10, 15)], [(30, 10), (31, 10), (31, 11)]]


def test_topo_rings_decode_quantized_delta_arcs():
    topology = {"transform": {"scale": [0.5, 2], "translate": [100, 0]},
                "arcs": [[[0, 0], [2, 0], [0, 1]], [[2, 1], [-2, -1]]]}
    rings = build_geo.topo_rings(topology, {"type": "Polygon", "arcs": [[0, 1]]})
    assert rings == [[(100, 0), (101, 0), (101, 2), (100, 0)]]
    reversed_ring = build_geo.topo_rings(topology, {"type": "MultiPolygon", "arcs": [[[~1, ~0]]]})
    assert reversed_ring == [[(100, 0), (101, 2), (101, 0), (100, 0)]]


def test_simplify_keeps_corners_and_drops_near_collinear_points():
    line = [(0, 0), (1, 0.01), (2, 0), (2, 2), (0, 2), (0, 0)]
    assert build_geo.simplify(line, 0.1) == [(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]
    assert build_geo.simplify(line, 0) == line


@pytest.mark.parametrize("ring,centre", [([(0, 0), (4, 0), (4, 2), (0, 2)], (2, 1)),
                                         ([(0, 0), (0, 2), (4, 2), (4, 0)], (2, 1))])
def test_area_centroid_either_winding(ring, centre):
    area, cx, cy = build_geo.area_centroid(ring)
    assert area == 8 and (cx, cy) == centre


def test_region_path_and_label():
    r = build_geo.region("JP-43", "Kumamoto", "熊本県", "state:JP-43", [[(0, 0), (4, 0), (4, 2), (0, 2)]], 1, 0)
    assert r == {"key": "JP-43", "entity_id": "state:JP-43", "name": "Kumamoto", "name_ja": "熊本県",
                 "d": "M0,0L4,0L4,2L0,2Z", "label": [2.0, 1.0]}
