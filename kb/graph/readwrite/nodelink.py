"""Node-link JSON (`nx.node_link_data(..., edges="edges")`): lists and dicts kept as JSON, dates as ISO text."""

from __future__ import annotations

import os

import networkx as nx

from kb.graph.readwrite._common import sanitize_graph, write_json

__all__ = ["NODE_LINK_NODE_RESERVED", "NODE_LINK_EDGE_RESERVED", "generate_node_link", "write_node_link_json"]

# Keys node-link data uses itself; a graph attribute with such a name is renamed `name_`.
NODE_LINK_NODE_RESERVED = frozenset({"id"})
NODE_LINK_EDGE_RESERVED = frozenset({"source", "target", "key"})


def generate_node_link(G: nx.Graph) -> dict:
    """`nx.node_link_data(G, edges="edges")` of the sanitized graph (lists and dicts kept as JSON)."""
    H = sanitize_graph(G, flat=False, node_reserved=NODE_LINK_NODE_RESERVED,
                       edge_reserved=NODE_LINK_EDGE_RESERVED)
    return nx.node_link_data(H, edges="edges")


def write_node_link_json(G: nx.Graph, path: str | os.PathLike, *, indent: int | None = 1) -> None:
    """Write node-link JSON (UTF-8, Japanese kept as is); read it back with nx.node_link_graph(..., edges="edges")."""
    write_json(path, generate_node_link(G), indent=indent)
