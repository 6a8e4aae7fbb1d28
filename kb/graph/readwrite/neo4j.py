"""A Neo4j 5 bulk-import folder: nodes.csv, relationships.csv, import.sh and README.md for
`neo4j-admin database import full`. Nodes are `:Entity` plus a label for the entity type (`:Company`);
relationships are typed by claim type (`:INVESTMENT`, `:CO_MENTION`)."""

from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from kb.errors import KBError
from kb.graph.readwrite._common import flat_value, iter_edges

__all__ = ["NEO4J_NODE_COLUMNS", "NEO4J_REL_COLUMNS", "NEO4J_NODE_HEADER", "NEO4J_REL_HEADER", "NEO4J_IMPORT",
           "generate_neo4j_nodes", "generate_neo4j_relationships", "neo4j_label", "neo4j_type",
           "neo4j_import_command", "write_neo4j_csv"]

# (CSV header, graph attribute); the header's `:type` suffix tells the importer the column type.
NEO4J_NODE_COLUMNS = (
    ("name", "name"), ("type", "type"), ("aliases:string[]", "aliases"), ("mentions:int", "mentions"),
    ("articles:int", "articles"), ("claims:int", "claims"), ("nameJa", "name_ja"), ("wikidata", "wikidata"),
    ("country", "country"), ("latitude:float", "latitude"), ("longitude:float", "longitude"),
    ("degree:int", "degree"), ("weightedDegree:float", "weighted_degree"), ("pagerank:float", "pagerank"),
    ("betweenness:float", "betweenness"), ("community:int", "community"),
)
NEO4J_REL_COLUMNS = (
    ("claimId", "claim_id"), ("summary", "summary"), ("modality", "modality"), ("polarity", "polarity"),
    ("sources:int", "sources"), ("firstSeen", "first_seen"), ("lastSeen", "last_seen"),
    ("amountUsd:float", "amount_usd"), ("weight:float", "weight"),
)
NEO4J_NODE_HEADER = ["entityId:ID(Entity)", *(c for c, _ in NEO4J_NODE_COLUMNS), ":LABEL"]
NEO4J_REL_HEADER = [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", *(c for c, _ in NEO4J_REL_COLUMNS)]
NEO4J_IMPORT = "neo4j-admin database import full --nodes=Entity=nodes.csv --relationships=relationships.csv"


def generate_neo4j_nodes(G: nx.Graph) -> Iterator[list[str]]:
    """Rows of nodes.csv, header first; :LABEL is the entity type in CamelCase (company -> Company)."""
    yield list(NEO4J_NODE_HEADER)
    for n, d in G.nodes(data=True):
        yield [str(n), *(_neo4j_cell(d.get(attr), column) for column, attr in NEO4J_NODE_COLUMNS),
               neo4j_label(d.get("type"))]


def generate_neo4j_relationships(G: nx.Graph) -> Iterator[list[str]]:
    """Rows of relationships.csv, header first; :TYPE is the claim type in upper snake case."""
    yield list(NEO4J_REL_HEADER)
    for u, v, _, d in iter_edges(G):
        yield [str(u), str(v), neo4j_type(d.get("claim_type")),
               *(_neo4j_cell(d.get(attr), column) for column, attr in NEO4J_REL_COLUMNS)]


def neo4j_label(entity_type: Any) -> str:
    """Neo4j label for an entity type: company -> Company, data_center -> DataCenter."""
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9A-Za-z]+", str(entity_type or "")) if p)


def neo4j_type(claim_type: Any) -> str:
    """Neo4j relationship type for a claim type: investment -> INVESTMENT, co_mention -> CO_MENTION."""
    return "_".join(p for p in re.split(r"[^0-9A-Za-z]+", str(claim_type or "")) if p).upper() or "RELATED_TO"


def neo4j_import_command(*, multiline: bool = False) -> str:
    """The neo4j-admin (Neo4j 5) command that imports the CSV folder into the database `neo4j`."""
    return NEO4J_IMPORT + (" --multiline-fields=true" if multiline else "") + " neo4j"


def write_neo4j_csv(G: nx.Graph, folder: str | os.PathLike) -> None:
    """Write nodes.csv, relationships.csv, import.sh and README.md for `neo4j-admin database import full`."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise KBError(f"{folder}: Neo4j export needs a folder, and this is a file; pass another -o path")
    folder.mkdir(parents=True, exist_ok=True)
    multiline = False
    for name, rows in (("nodes.csv", generate_neo4j_nodes(G)),
                       ("relationships.csv", generate_neo4j_relationships(G))):
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            for row in rows:
                multiline = multiline or any("\n" in c or "\r" in c for c in row)
                writer.writerow(row)
    command = neo4j_import_command(multiline=multiline)
    script = folder / "import.sh"
    script.write_text(_import_script(command), encoding="utf-8", newline="\n")
    script.chmod(0o755)
    (folder / "README.md").write_text(_readme(command), encoding="utf-8", newline="\n")


def _import_script(command: str) -> str:
    return ("#!/bin/sh\n"
            "# Bulk-import this folder into the Neo4j 5 database 'neo4j' (stop it first; the import needs an\n"
            "# empty database: add --overwrite-destination to replace one).\n"
            "set -e\n"
            'cd "$(dirname "$0")"\n'
            f"{command}\n")


def _readme(command: str) -> str:
    return ("# kb entity graph for Neo4j\n\n"
            "`nodes.csv` holds one `:Entity` node per entity (plus a label for its type, e.g. `:Company`);\n"
            "`relationships.csv` one relationship per tracked claim (`:INVESTMENT`, `:PARTNERSHIP`, …) or\n"
            "co-mentioned pair (`:CO_MENTION`). Arrays are `;`-separated. Import into an empty Neo4j 5\n"
            "database (stop the database first):\n\n"
            f"```sh\n{command}\n```\n")


def _neo4j_cell(value: Any, column: str) -> str:
    kind = column.rpartition(":")[2] if ":" in column else "string"
    if value is None:
        return ""
    if kind == "string[]":
        items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        # The importer cannot escape its array delimiter, so a ';' inside an item becomes ','.
        return ";".join(_neo4j_cell(v, "x").replace(";", ",") for v in items if v is not None)
    if kind in ("int", "float"):
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                return ""
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            return ""
        return str(int(value)) if kind == "int" else repr(float(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    flat = flat_value(value)
    return "" if flat is None else str(flat)
