"""GraphML for Cytoscape and yEd: scalar attributes (JSON text for lists and dicts), node `label` = name,
edge ids = claim ids (or `{source}:{target}:{key}`)."""

from __future__ import annotations

import io
import os
from typing import Iterator

import networkx as nx

from kb.graph.readwrite._common import label_nodes, prepare_path, sanitize_graph

__all__ = ["graphml_graph", "generate_graphml", "write_graphml"]


def graphml_graph(G: nx.Graph) -> nx.MultiDiGraph:
    """The sanitized copy written as GraphML: scalar attributes, node `label` = name."""
    H = sanitize_graph(G, flat=True, rekey=True)
    label_nodes(H)
    return H


def generate_graphml(G: nx.Graph) -> Iterator[str]:
    """GraphML lines (with the XML declaration) for Cytoscape and yEd."""
    # nx.generate_graphml escapes non-ASCII text as character references; write UTF-8 instead. The
    # ElementTree writer explicitly: lxml, when installed, would change the layout of the output.
    buffer = io.BytesIO()
    nx.write_graphml_xml(graphml_graph(G), buffer, encoding="utf-8")
    yield from buffer.getvalue().decode("utf-8").splitlines()


def write_graphml(G: nx.Graph, path: str | os.PathLike) -> None:
    """Write GraphML (UTF-8) for Cytoscape and yEd; read it back with nx.read_graphml(path, force_multigraph=True)."""
    nx.write_graphml_xml(graphml_graph(G), prepare_path(path), encoding="utf-8")
