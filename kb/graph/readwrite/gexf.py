"""GEXF 1.2 for Gephi: node label = name, edge label = claim type, and edge start/end = first/last seen
dates (a dynamic graph), so Gephi's timeline can filter claims by time."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from typing import Any, BinaryIO, Iterator

import networkx as nx

from kb.errors import KBError
from kb.graph.readwrite._common import label_nodes, prepare_path, sanitize_graph

__all__ = ["GEXF_NODE_RESERVED", "GEXF_EDGE_RESERVED", "gexf_graph", "generate_gexf", "write_gexf"]

# Attribute names GEXF gives a meaning of its own; a graph attribute with such a name is renamed `name_`.
GEXF_NODE_RESERVED = frozenset({"id", "pid", "label", "start", "end", "spells", "slices", "viz", "parents"})
GEXF_EDGE_RESERVED = frozenset({"id", "label", "type", "start", "end", "spells", "slices", "viz",
                                "networkx_key", "key"})


def gexf_graph(G: nx.Graph) -> nx.MultiDiGraph:
    """The sanitized copy written as GEXF: node label = name, edge label = claim type, edge start/end =
    first/last seen dates so Gephi's timeline can filter claims by time."""
    H = sanitize_graph(G, flat=True, node_reserved=GEXF_NODE_RESERVED, edge_reserved=GEXF_EDGE_RESERVED,
                       rekey=True)
    label_nodes(H)
    dated = False
    for _, _, k, d in H.edges(keys=True, data=True):
        d["id"] = k
        if "claim_type" in d:
            d["label"] = str(d["claim_type"])
        for attr, field in (("start", "first_seen"), ("end", "last_seen")):
            day = _iso_day(d.get(field))
            if day is not None:
                d[attr] = day
                dated = True
    H.graph = {"name": str(G.graph.get("name", ""))}
    if dated:
        H.graph["mode"] = "dynamic"
    return H


def generate_gexf(G: nx.Graph, *, lastmodified: str | None = None) -> Iterator[str]:
    """GEXF 1.2 lines for Gephi (dynamic when edges have dates).

    `lastmodified` defaults to the latest date in the graph, so the same data gives the same file."""
    buffer = io.BytesIO()  # as in generate_graphml: UTF-8 rather than character references
    _write_gexf(G, buffer, lastmodified=lastmodified)
    yield from buffer.getvalue().decode("utf-8").splitlines()


def write_gexf(G: nx.Graph, path: str | os.PathLike, *, lastmodified: str | None = None) -> None:
    """Write GEXF (UTF-8) for Gephi; read it back with nx.read_gexf(path)."""
    with prepare_path(path).open("w+b") as f:
        _write_gexf(G, f, lastmodified=lastmodified)


def _write_gexf(G: nx.Graph, f: BinaryIO, *, lastmodified: str | None) -> None:
    H = gexf_graph(G)
    try:
        stamp = dt.date.fromisoformat(lastmodified or _latest_day(H) or dt.date.today().isoformat()).isoformat()
    except ValueError:
        raise KBError(f"lastmodified {lastmodified!r} is not an ISO date (YYYY-MM-DD)") from None
    nx.write_gexf(H, f, encoding="utf-8", prettyprint=True)
    # networkx stamps today's date; put the data's date in place (same length, so no rewrite of the file).
    f.seek(0)
    head = f.read(4096)
    found = re.search(rb'lastmodifieddate="(\d{4}-\d{2}-\d{2})"', head)
    if found:
        f.seek(found.start(1))
        f.write(stamp.encode("ascii"))


def _iso_day(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _latest_day(H: nx.MultiDiGraph) -> str | None:
    days = [d[a] for _, _, d in H.edges(data=True) for a in ("start", "end") if a in d]
    return max(days) if days else None
