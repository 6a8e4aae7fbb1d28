"""Cytoscape.js JSON (also opened by Cytoscape desktop as .cyjs): `{"elements": {"nodes": […], "edges": […]}}`."""

from __future__ import annotations

import os

import networkx as nx

from kb.graph.readwrite._common import edge_ids, iter_edges, jsonable, sanitize_graph, write_json

__all__ = ["CYTOSCAPE_NODE_RESERVED", "CYTOSCAPE_EDGE_RESERVED", "generate_cytoscape", "write_cytoscape_json"]

# Keys of a Cytoscape.js element's `data`; a graph attribute with such a name is renamed `name_`.
CYTOSCAPE_NODE_RESERVED = frozenset({"id", "parent"})
CYTOSCAPE_EDGE_RESERVED = frozenset({"id", "source", "target", "key"})


def generate_cytoscape(G: nx.Graph) -> dict:
    """Cytoscape.js elements: {"elements": {"nodes": [{"data": …}], "edges": [{"data": {id, source, target, …}}]}}."""
    H = sanitize_graph(G, flat=False, node_reserved=CYTOSCAPE_NODE_RESERVED,
                       edge_reserved=CYTOSCAPE_EDGE_RESERVED)
    nodes = [{"data": {"id": str(n), "label": str(d.get("name", n)), **{k: v for k, v in d.items() if k != "label"}}}
             for n, d in H.nodes(data=True)]
    edges = [{"data": {"id": eid, "source": str(u), "target": str(v), "key": jsonable(k), **d}}
             for (u, v, k, d), eid in zip(iter_edges(H), edge_ids(H))]
    return {"data": H.graph, "directed": True, "multigraph": True,
            "elements": {"nodes": nodes, "edges": edges}}


def write_cytoscape_json(G: nx.Graph, path: str | os.PathLike, *, indent: int | None = 1) -> None:
    """Write Cytoscape.js JSON (also opened by Cytoscape desktop as .cyjs)."""
    write_json(path, generate_cytoscape(G), indent=indent)
