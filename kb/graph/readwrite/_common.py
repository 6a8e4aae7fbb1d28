"""Attribute sanitizing shared by every graph writer.

Every writer works on a sanitized copy: None (and NaN) values are dropped, dates become ISO strings and,
for the XML formats, lists and dicts become JSON text and each attribute name keeps one type across all
nodes (or all edges), because GraphML/GEXF declare one type per attribute and reject the rest.
Exported edge ids are the claim id, or `{source}:{target}:{key}` for other edges (co-mentions).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

__all__ = ["sanitize_graph", "edge_ids", "flat_value", "jsonable", "iter_edges", "label_nodes", "prepare_path",
           "write_json"]

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def sanitize_graph(G: nx.Graph, *, flat: bool, node_reserved: frozenset = frozenset(),
                   edge_reserved: frozenset = frozenset(), rekey: bool = False) -> nx.MultiDiGraph:
    """A MultiDiGraph copy whose attributes every writer accepts; `flat` = scalars only (XML formats),
    `rekey` = edges keyed by their export id (GraphML and GEXF write keys as edge ids).

    An attribute whose name is in `node_reserved` / `edge_reserved` (a name the format gives a meaning of
    its own) is renamed `name_`."""
    H = nx.MultiDiGraph()
    H.graph.update(_clean(G.graph, flat=flat, reserved=frozenset()))
    for n, d in G.nodes(data=True):
        H.add_node(n, **_clean(d, flat=flat, reserved=node_reserved))
    ids = edge_ids(G) if rekey else None
    for i, (u, v, k, d) in enumerate(iter_edges(G)):
        H.add_edge(u, v, key=ids[i] if rekey else k, **_clean(d, flat=flat, reserved=edge_reserved))
    if flat:
        _unify_types([H.graph])
        _unify_types([d for _, d in H.nodes(data=True)])
        _unify_types([d for _, _, d in H.edges(data=True)])
    return H


def _clean(data: dict, *, flat: bool, reserved: frozenset) -> dict:
    out: dict[str, Any] = {}
    for key, value in data.items():
        value = flat_value(value) if flat else jsonable(value)
        if value is None:
            continue
        name = str(key)
        if name in reserved:
            name += "_"
            while name in reserved or name in data or name in out:
                name += "_"
        out[name] = value
    return out


def flat_value(value: Any) -> bool | int | float | str | None:
    """A scalar GraphML/GEXF can store: JSON text for containers, ISO text for dates."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return flat_value(value.item())
    if isinstance(value, (dt.date, dt.time)):
        text = value.isoformat()
    elif isinstance(value, (list, tuple, set, frozenset, dict)):
        text = json.dumps(jsonable(value), ensure_ascii=False, sort_keys=isinstance(value, dict))
    elif isinstance(value, bytes):
        text = value.decode("utf-8", errors="replace")
    else:
        text = str(value)
    return _XML_INVALID.sub("", text)


def jsonable(value: Any) -> Any:
    """The value as plain JSON data (lists and dicts kept, None inside containers kept as null)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and not isinstance(value, bytes):
        return jsonable(value.item())
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False))
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
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


def iter_edges(G: nx.Graph) -> Iterator[tuple[Any, Any, Any, dict]]:
    """(u, v, key, data) for every edge; a simple graph's edges are keyed 0, 1, 2… in edge order."""
    if G.is_multigraph():
        yield from G.edges(keys=True, data=True)
    else:
        for i, (u, v, d) in enumerate(G.edges(data=True)):
            yield u, v, i, d


def edge_ids(G: nx.Graph) -> list[str]:
    """A unique id per edge, in edge order: the claim id, else `{source}:{target}:{key}`; never a node id."""
    used = {str(n) for n in G.nodes}
    ids = []
    for u, v, k, d in iter_edges(G):
        base = str(d["claim_id"]) if d.get("claim_id") not in (None, "") else f"{u}:{v}:{k}"
        eid, i = base, 1
        while eid in used:
            i += 1
            eid = f"{base}#{i}"
        used.add(eid)
        ids.append(eid)
    return ids


def label_nodes(H: nx.MultiDiGraph) -> None:
    """Set each node's `label` to its name (else its id), as GraphML and GEXF viewers show it."""
    for n, d in H.nodes(data=True):
        d["label"] = str(d.get("name", n))


def prepare_path(path: str | os.PathLike) -> Path:
    """`path` as a Path, its parent folder created."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_json(path: str | os.PathLike, data: dict, *, indent: int | None) -> None:
    """Write `data` as UTF-8 JSON (Japanese kept as is, no NaN), newline-terminated, to a prepared path."""
    with prepare_path(path).open("w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, ensure_ascii=False, indent=indent, allow_nan=False)
        f.write("\n")
