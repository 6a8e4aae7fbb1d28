"""Write the entity graph for other tools, one module per format (as networkx.readwrite does):

- `graphml`   GraphML for Cytoscape and yEd            generate_graphml / write_graphml
- `gexf`      GEXF 1.2 for Gephi (dynamic start/end)   generate_gexf / write_gexf
- `nodelink`  node-link JSON                           generate_node_link / write_node_link_json
- `cytoscape` Cytoscape.js JSON (.cyjs)                generate_cytoscape / write_cytoscape_json
- `neo4j`     Neo4j 5 bulk-import CSV folder           generate_neo4j_nodes, generate_neo4j_relationships /
                                                       write_neo4j_csv

`_common` holds the attribute sanitizing they share: None (and NaN) values are dropped, dates become ISO
strings and, for the XML formats, lists and dicts become JSON text and each attribute name keeps one type
across all nodes (or all edges). Exported edge ids are the claim id, or `{source}:{target}:{key}` for other
edges (co-mentions). `export_graph(G, fmt, path)` picks the writer by format name.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from kb.errors import KBError
from kb.graph.readwrite._common import edge_ids, sanitize_graph
from kb.graph.readwrite.cytoscape import (
    CYTOSCAPE_EDGE_RESERVED, CYTOSCAPE_NODE_RESERVED, generate_cytoscape, write_cytoscape_json,
)
from kb.graph.readwrite.gexf import GEXF_EDGE_RESERVED, GEXF_NODE_RESERVED, generate_gexf, gexf_graph, write_gexf
from kb.graph.readwrite.graphml import generate_graphml, graphml_graph, write_graphml
from kb.graph.readwrite.neo4j import (
    NEO4J_IMPORT, NEO4J_NODE_COLUMNS, NEO4J_NODE_HEADER, NEO4J_REL_COLUMNS, NEO4J_REL_HEADER,
    generate_neo4j_nodes, generate_neo4j_relationships, neo4j_import_command, neo4j_label, neo4j_type,
    write_neo4j_csv,
)
from kb.graph.readwrite.nodelink import (
    NODE_LINK_EDGE_RESERVED, NODE_LINK_NODE_RESERVED, generate_node_link, write_node_link_json,
)

__all__ = [
    "FORMATS", "export_graph", "sanitize_graph", "edge_ids",
    "graphml_graph", "generate_graphml", "write_graphml",
    "GEXF_NODE_RESERVED", "GEXF_EDGE_RESERVED", "gexf_graph", "generate_gexf", "write_gexf",
    "NODE_LINK_NODE_RESERVED", "NODE_LINK_EDGE_RESERVED", "generate_node_link", "write_node_link_json",
    "CYTOSCAPE_NODE_RESERVED", "CYTOSCAPE_EDGE_RESERVED", "generate_cytoscape", "write_cytoscape_json",
    "NEO4J_NODE_COLUMNS", "NEO4J_REL_COLUMNS", "NEO4J_NODE_HEADER", "NEO4J_REL_HEADER", "NEO4J_IMPORT",
    "generate_neo4j_nodes", "generate_neo4j_relationships", "neo4j_label", "neo4j_type", "neo4j_import_command",
    "write_neo4j_csv",
]

FORMATS = ("graphml", "gexf", "json", "cytoscape", "neo4j")

_WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "json": write_node_link_json,
            "cytoscape": write_cytoscape_json, "neo4j": write_neo4j_csv}


def export_graph(G: nx.Graph, fmt: str, path: str | os.PathLike) -> Path:
    """Write G as `fmt` (graphml, gexf, json, cytoscape, or neo4j = a folder) to `path`; return the path."""
    writer = _WRITERS.get(str(fmt).lower())
    if writer is None:
        raise KBError(f"unknown graph format {fmt!r}; use one of: {', '.join(FORMATS)}")
    writer(G, path)
    return Path(path)
