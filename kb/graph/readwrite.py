"""Write the entity graph for other tools: GraphML (Cytoscape, yEd), GEXF (Gephi), node-link JSON,
Cytoscape.js JSON and Neo4j bulk-import CSV.

Every writer works on a sanitized copy: None (and NaN) values are dropped, dates become ISO strings and,
for the XML formats, lists and dicts become JSON text and each attribute name keeps one type across all
nodes (or all edges), because GraphML/GEXF declare one type per attribute and reject the rest.
Exported edge ids are the claim id, or `{source}:{target}:{key}` for other edges (co-mentions).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from kb.errors import KBError

FORMATS = ("graphml", "gexf", "json", "cytoscape", "neo4j")

# Attribute names a format gives a meaning of its own; a graph attribute with such a name is renamed `name_`.
GEXF_NODE_RESERVED = frozenset({"id", "pid", "label", "start", "end", "spells", "slices", "viz", "parents"})
GEXF_EDGE_RESERVED = frozenset({"id", "label", "type", "start", "end", "spells", "slices", "viz",
                                "networkx_key", "key"})
NODE_LINK_NODE_RESERVED = frozenset({"id"})
NODE_LINK_EDGE_RESERVED = frozenset({"source", "target", "key"})
CYTOSCAPE_NODE_RESERVED = frozenset({"id", "parent"})
CYTOSCAPE_EDGE_RESERVED = frozenset({"id", "source", "target", "key"})

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

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- sanitizing -------------------------------------------------------------------------------------

def sanitize_graph(G: nx.Graph, *, flat: bool, node_reserved: frozenset = frozenset(),
                   edge_reserved: frozenset = frozenset(), rekey: bool = False) -> nx.MultiDiGraph:
    """A MultiDiGraph copy whose attributes every writer accepts; `flat` = scalars only (XML formats),
    `rekey` = edges keyed by their export id (GraphML and GEXF write keys as edge ids)."""
    H = nx.MultiDiGraph()
    H.graph.update(_clean(G.graph, flat=flat, reserved=frozenset()))
    for n, d in G.nodes(data=True):
        H.add_node(n, **_clean(d, flat=flat, reserved=node_reserved))
    ids = edge_ids(G) if rekey else None
    for i, (u, v, k, d) in enumerate(_edges(G)):
        H.add_edge(u, v, key=ids[i] if rekey else k, **_clean(d, flat=flat, reserved=edge_reserved))
    if flat:
        _unify_types([H.graph])
        _unify_types([d for _, d in H.nodes(data=True)])
        _unify_types([d for _, _, d in H.edges(data=True)])
    return H


def _clean(data: dict, *, flat: bool, reserved: frozenset) -> dict:
    out: dict[str, Any] = {}
    for key, value in data.items():
        value = _flat(value) if flat else _jsonable(value)
        if value is None:
            continue
        name = str(key)
        if name in reserved:
            name += "_"
            while name in reserved or name in data or name in out:
                name += "_"
        out[name] = value
    return out


def _flat(value: Any) -> bool | int | float | str | None:
    """A scalar GraphML/GEXF can store: JSON text for containers, ISO text for dates."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return _flat(value.item())
    if isinstance(value, (dt.date, dt.time)):
        text = value.isoformat()
    elif isinstance(value, (list, tuple, set, frozenset, dict)):
        text = json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=isinstance(value, dict))
    elif isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    else:
        text = str(value)
    return _XML_INVALID.sub("", text)


def _jsonable(value: Any) -> Any:
    """The value as plain JSON data (lists and dicts kept, None inside containers kept as null)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and not isinstance(value, bytes):
        return _jsonable(value.item())
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False))
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _unify_types(records: list[dict]) -> None:
    """Give each attribute name one type across `records`: int+float -> float, anything+str -> str."""
    kinds: dict[str, set[type]] = defaultdict(set)
    for r in records:
        for k, v in r.items():
            kinds[k].add(type(v))
    target = {}
    for k, ts in kinds.items():
        if len(ts) > 1:
            target[k] = str if str in ts else float if float in ts else int
    for r in records:
        for k in target.keys() & r.keys():
            r[k] = _convert(r[k], target[k])


def _convert(value: bool | int | float | str, to: type) -> bool | int | float | str:
    if to is str:
        return ("true" if value else "false") if isinstance(value, bool) else str(value)
    return to(value)


def _edges(G: nx.Graph) -> Iterator[tuple[Any, Any, Any, dict]]:
    if G.is_multigraph():
        yield from G.edges(keys=True, data=True)
    else:
        for i, (u, v, d) in enumerate(G.edges(data=True)):
            yield u, v, i, d


def edge_ids(G: nx.Graph) -> list[str]:
    """A unique id per edge, in edge order: the claim id, else `{source}:{target}:{key}`; never a node id."""
    used = {str(n) for n in G.nodes}
    ids = []
    for u, v, k, d in _edges(G):
        base = str(d["claim_id"]) if d.get("claim_id") not in (None, "") else f"{u}:{v}:{k}"
        eid, i = base, 1
        while eid in used:
            i += 1
            eid = f"{base}#{i}"
        used.add(eid)
        ids.append(eid)
    return ids


def _label_nodes(H: nx.MultiDiGraph) -> None:
    for n, d in H.nodes(data=True):
        d["label"] = str(d.get("name", n))


def _prepare(path: str | os.PathLike) -> Path:
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return path


# --- GraphML ----------------------------------------------------------------------------------------

def graphml_graph(G: nx.Graph) -> nx.MultiDiGraph:
    """The sanitized copy written as GraphML: scalar attributes, node `label` = name."""
    H = sanitize_graph(G, flat=True, rekey=True)
    _label_nodes(H)
    return H


def generate_graphml(G: nx.Graph) -> Iterator[str]:
    """GraphML lines (with the XML declaration) for Cytoscape and yEd."""
    # nx.generate_graphml escapes non-ASCII text as character references; write UTF-8 instead. The
    # ElementTree writer explicitly: lxml, when installed, would change the layout of the output.
    buffer = io.BytesIO()
    nx.write_graphml_xml(graphml_graph(G), buffer, encoding="utf-8")
    yield from buffer.getvalue().decode("utf-8").splitlines()


def write_graphml(G: nx.Graph, path: str | os.PathLike) -> None:
    """Write GraphML (UTF-8) for Cytoscape and yEd."""
    nx.write_graphml_xml(graphml_graph(G), _prepare(path), encoding="utf-8")


# --- GEXF -------------------------------------------------------------------------------------------

def gexf_graph(G: nx.Graph) -> nx.MultiDiGraph:
    """The sanitized copy written as GEXF: node label = name, edge label = claim type, edge start/end =
    first/last seen dates so Gephi's timeline can filter claims by time."""
    H = sanitize_graph(G, flat=True, node_reserved=GEXF_NODE_RESERVED, edge_reserved=GEXF_EDGE_RESERVED,
                       rekey=True)
    _label_nodes(H)
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
    """Write GEXF (UTF-8) for Gephi."""
    with _prepare(path).open("w+b") as f:
        _write_gexf(G, f, lastmodified=lastmodified)


def _write_gexf(G: nx.Graph, f, *, lastmodified: str | None) -> None:
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


# --- node-link JSON ---------------------------------------------------------------------------------

def generate_node_link(G: nx.Graph) -> dict:
    """`nx.node_link_data(G, edges="edges")` of the sanitized graph (lists and dicts kept as JSON)."""
    H = sanitize_graph(G, flat=False, node_reserved=NODE_LINK_NODE_RESERVED,
                       edge_reserved=NODE_LINK_EDGE_RESERVED)
    return nx.node_link_data(H, edges="edges")


def write_node_link_json(G: nx.Graph, path: str | os.PathLike, *, indent: int | None = 1) -> None:
    """Write node-link JSON (UTF-8, Japanese kept as is); read it back with nx.node_link_graph(..., edges="edges")."""
    _write_json(_prepare(path), generate_node_link(G), indent=indent)


# --- Cytoscape.js JSON ------------------------------------------------------------------------------

def generate_cytoscape(G: nx.Graph) -> dict:
    """Cytoscape.js elements: {"elements": {"nodes": [{"data": …}], "edges": [{"data": {id, source, target, …}}]}}."""
    H = sanitize_graph(G, flat=False, node_reserved=CYTOSCAPE_NODE_RESERVED,
                       edge_reserved=CYTOSCAPE_EDGE_RESERVED)
    nodes = [{"data": {"id": str(n), "label": str(d.get("name", n)), **{k: v for k, v in d.items() if k != "label"}}}
             for n, d in H.nodes(data=True)]
    edges = [{"data": {"id": eid, "source": str(u), "target": str(v), "key": _jsonable(k), **d}}
             for (u, v, k, d), eid in zip(_edges(H), edge_ids(H))]
    return {"data": H.graph, "directed": True, "multigraph": True,
            "elements": {"nodes": nodes, "edges": edges}}


def write_cytoscape_json(G: nx.Graph, path: str | os.PathLike, *, indent: int | None = 1) -> None:
    """Write Cytoscape.js JSON (also opened by Cytoscape desktop as .cyjs)."""
    _write_json(_prepare(path), generate_cytoscape(G), indent=indent)


def _write_json(path: Path, data: dict, *, indent: int | None) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, ensure_ascii=False, indent=indent, allow_nan=False)
        f.write("\n")


# --- Neo4j bulk import CSV --------------------------------------------------------------------------

def generate_neo4j_nodes(G: nx.Graph) -> Iterator[list[str]]:
    """Rows of nodes.csv, header first; :LABEL is the entity type in CamelCase (company -> Company)."""
    yield list(NEO4J_NODE_HEADER)
    for n, d in G.nodes(data=True):
        yield [str(n), *(_neo4j_cell(d.get(attr), column) for column, attr in NEO4J_NODE_COLUMNS),
               neo4j_label(d.get("type"))]


def generate_neo4j_relationships(G: nx.Graph) -> Iterator[list[str]]:
    """Rows of relationships.csv, header first; :TYPE is the claim type in upper snake case."""
    yield list(NEO4J_REL_HEADER)
    for u, v, _, d in _edges(G):
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
    script.write_text(
        "#!/bin/sh\n"
        "# Bulk-import this folder into the Neo4j 5 database 'neo4j' (stop it first; the import needs an\n"
        "# empty database: add --overwrite-destination to replace one).\n"
        "set -e\n"
        'cd "$(dirname "$0")"\n'
        f"{command}\n", encoding="utf-8", newline="\n")
    script.chmod(0o755)
    (folder / "README.md").write_text(
        "# kb entity graph for Neo4j\n\n"
        "`nodes.csv` holds one `:Entity` node per entity (plus a label for its type, e.g. `:Company`);\n"
        "`relationships.csv` one relationship per tracked claim (`:INVESTMENT`, `:PARTNERSHIP`, …) or\n"
        "co-mentioned pair (`:CO_MENTION`). Arrays are `;`-separated. Import into an empty Neo4j 5\n"
        "database (stop the database first):\n\n"
        f"```sh\n{command}\n```\n", encoding="utf-8", newline="\n")


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
    flat = _flat(value)
    return "" if flat is None else str(flat)


# --- dispatcher -------------------------------------------------------------------------------------

_WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "json": write_node_link_json,
            "cytoscape": write_cytoscape_json, "neo4j": write_neo4j_csv}


def export_graph(G: nx.Graph, fmt: str, path: str | os.PathLike) -> Path:
    """Write G as `fmt` (graphml, gexf, json, cytoscape, or neo4j = a folder) to `path`; return the path."""
    writer = _WRITERS.get(str(fmt).lower())
    if writer is None:
        raise KBError(f"unknown graph format {fmt!r}; use one of: {', '.join(FORMATS)}")
    writer(G, path)
    return Path(path)
