"""The graph page's data, over the connection Datasette's execute_fn hands over: which entity a query
names (kb.store.lookup.find_entity, as everywhere else in kb) and that entity's neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.store import Connection, wrap_connection
from kb.store import web as sql
from kb.store.lookup import AmbiguousEntity, EntityNotFound, find_entity

TYPE_COLORS = {
    "company": "#4e79a7", "organization": "#59a14f", "government": "#9c755f", "person": "#e15759",
    "country": "#f28e2b", "state": "#edc948", "city": "#b07aa1", "place": "#76b7b2", "product": "#ff9da7",
    "project": "#8cd17d", "event": "#bab0ac", "facility": "#d37295", "investment": "#fabfd2",
}
DEFAULT_COLOR = "#999999"
_SHOWN = tuple(c.strip() for c in sql.ENTITY_COLUMNS.split(","))


@dataclass
class EntityChoice:
    """What a graph-page query names: the entity, or the entities to offer instead (and whether the
    query was ambiguous rather than unknown)."""

    entity: dict | None
    offers: list[dict] = field(default_factory=list)
    ambiguous: bool = False


def choose_entity(conn: Connection, query: str) -> EntityChoice:
    """The entity `query` names (find_entity's tie rule); otherwise the candidates of an ambiguous query,
    or suggestions for an unknown one."""
    db = wrap_connection(conn)
    try:
        return EntityChoice(_shown(find_entity(db, query, suggest=False)))  # suggestions: one SQL query below
    except AmbiguousEntity as exc:
        return EntityChoice(None, [_shown(r) for r in exc.candidates], ambiguous=True)
    except EntityNotFound:
        return EntityChoice(None, sql.suggest_entities(db, query))


def _shown(row: dict) -> dict:
    return {k: row[k] for k in _SHOWN}


def suggest_entities(conn: Connection, query: str, *, limit: int = 10) -> list[dict]:
    """Entities whose name or an alias contains `query`, most mentioned first (for 'did you mean')."""
    return sql.suggest_entities(wrap_connection(conn), query, limit=limit)


def entity_neighbourhood(conn: Connection, entity_id: str, *, depth: int = 1, co_mentions: bool = True,
                         max_nodes: int = 150, claim_limit: int = 60, co_mention_limit: int = 8,
                         co_mention_sample: int = 2000) -> dict:
    """Nodes and edges within `depth` hops of an entity: claim edges, and optionally co-mentions.

    A breadth-first search: each round follows the claims (subject → object) touching the frontier,
    best corroborated first, then the entities most often mentioned in the same passage as each
    frontier entity (counted over its latest `co_mention_sample` mentions, so hubs stay fast).
    The search stops growing at `max_nodes` and says so with `truncated`.
    """
    db = wrap_connection(conn)
    depth = max(0, min(int(depth), 3))
    level = {entity_id: 0}
    edges: dict[tuple, dict] = {}
    frontier = [entity_id]
    truncated = False
    for hop in range(1, depth + 1):
        found: list[str] = []
        for eid in frontier:
            if len(level) + len(set(found)) >= max_nodes:
                truncated = True
                break
            for c in sql.claims_touching(db, eid, limit=claim_limit):
                edges.setdefault(("claim", c["id"]), {
                    "id": "claim:" + c["id"], "from": c["subject_id"], "to": c["object_id"], "kind": "claim",
                    "label": c["type"], "claim_id": c["id"], "summary": c["summary"], "sources": c["sources"],
                    "modality": c["modality"], "polarity": c["polarity"]})
                found += [c["subject_id"], c["object_id"]]
            if co_mentions:
                for r in sql.co_mentioned(db, eid, limit=co_mention_limit, sample=co_mention_sample):
                    a, b = sorted((eid, r["other"]))
                    edge = edges.setdefault(("co", a, b), {
                        "id": f"co:{a}|{b}", "from": a, "to": b, "kind": "co-mention", "label": "",
                        "weight": r["passages"]})
                    edge["weight"] = max(edge.get("weight", 0), r["passages"])
                    found.append(r["other"])
        frontier = []
        for eid in found:
            if eid not in level:
                if len(level) >= max_nodes:
                    truncated = True
                    continue
                level[eid] = hop
                frontier.append(eid)
    ids = list(level)
    nodes = sql.entities_by_id(db, ids)
    metrics = sql.metrics_by_id(db, ids)
    known = {n["id"] for n in nodes}
    for n in nodes:
        n.update(metrics.get(n["id"], {}))
        n["level"] = level[n["id"]]
        n["color"] = TYPE_COLORS.get(n["type"], DEFAULT_COLOR)
    nodes.sort(key=lambda n: (n["level"], -(n["mentions"] or 0), n["name"]))
    kept = [e for e in edges.values() if e["from"] in known and e["to"] in known]
    if len(kept) < len(edges):
        truncated = True
    kept.sort(key=lambda e: e["id"])
    return {"center": entity_id, "depth": depth, "nodes": nodes, "edges": kept, "truncated": truncated}
