"""Pure helpers over a sqlite3 connection: entity lookup by any alias and an entity's neighbourhood."""

from __future__ import annotations

import re
import sqlite3
import unicodedata

TYPE_COLORS = {
    "company": "#4e79a7", "organization": "#59a14f", "government": "#9c755f", "person": "#e15759",
    "country": "#f28e2b", "state": "#edc948", "city": "#b07aa1", "place": "#76b7b2", "product": "#ff9da7",
    "project": "#8cd17d", "event": "#bab0ac", "facility": "#d37295", "investment": "#fabfd2",
}
DEFAULT_COLOR = "#999999"
ENTITY_COLUMNS = "id, name, type, name_ja, mentions, articles, claims"


def normalize_name(text: str) -> str:
    """The `entity_aliases.normalized` form of a name (kb.entities' rule when available)."""
    try:
        from kb.entities import normalize_name as kb_normalize
    except ImportError:  # entity resolution not installed: NFKC + casefold is its core
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return kb_normalize(text)


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def find_entity(conn: sqlite3.Connection, query: str) -> dict | None:
    """The entity whose id, name or any alias matches `query` (exact, then case/NFKC-insensitive)."""
    q = (query or "").strip()
    if not q:
        return None
    lookups = [
        (f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ?", [q]),
        (f"SELECT {ENTITY_COLUMNS} FROM entities WHERE name = ? ORDER BY mentions DESC LIMIT 1", [q]),
        (f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN (SELECT entity_id FROM entity_aliases "
         "WHERE alias = ?) ORDER BY mentions DESC LIMIT 1", [q]),
        (f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN (SELECT entity_id FROM entity_aliases "
         "WHERE normalized = ?) ORDER BY mentions DESC LIMIT 1", [normalize_name(q)]),
        (f"SELECT {ENTITY_COLUMNS} FROM entities WHERE name = ? COLLATE NOCASE OR name_ja = ? "
         "ORDER BY mentions DESC LIMIT 1", [q, q]),
    ]
    for sql, params in lookups:
        rows = _rows(conn, sql, params)
        if rows:
            return rows[0]
    return None


def suggest_entities(conn: sqlite3.Connection, query: str, *, limit: int = 10) -> list[dict]:
    """Entities whose name or an alias contains `query`, most mentioned first (for 'did you mean')."""
    q = (query or "").strip()
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        norm = "%" + normalize_name(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = _rows(conn, f"""
            SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN (
                SELECT id FROM entities WHERE name LIKE :p ESCAPE '\\' OR name_ja LIKE :p ESCAPE '\\'
                UNION SELECT entity_id FROM entity_aliases
                WHERE alias LIKE :p ESCAPE '\\' OR normalized LIKE :n ESCAPE '\\')
            ORDER BY mentions DESC, claims DESC, name LIMIT :limit""", {"p": pattern, "n": norm, "limit": limit})
        if rows:
            return rows
    return _rows(conn, f"SELECT {ENTITY_COLUMNS} FROM entities ORDER BY claims DESC, mentions DESC, name "
                       "LIMIT ?", [limit])


def entity_neighbourhood(conn: sqlite3.Connection, entity_id: str, *, depth: int = 1, co_mentions: bool = True,
                         max_nodes: int = 150, claim_limit: int = 60, co_mention_limit: int = 8,
                         co_mention_sample: int = 2000) -> dict:
    """Nodes and edges within `depth` hops of an entity: claim edges, and optionally co-mentions.

    A breadth-first search: each round follows the claims (subject → object) touching the frontier,
    best corroborated first, then the entities most often mentioned in the same passage as each
    frontier entity (counted over its latest `co_mention_sample` mentions, so hubs stay fast).
    The search stops growing at `max_nodes` and says so with `truncated`.
    """
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
            for c in _rows(conn, """
                    SELECT * FROM (
                        SELECT id, type, summary, subject_id, object_id, sources, modality, polarity FROM claims
                        WHERE subject_id = :e AND object_id IS NOT NULL
                        UNION SELECT id, type, summary, subject_id, object_id, sources, modality, polarity
                        FROM claims WHERE object_id = :e AND subject_id IS NOT NULL)
                    ORDER BY sources DESC, id LIMIT :k""", {"e": eid, "k": claim_limit}):
                edges.setdefault(("claim", c["id"]), {
                    "id": "claim:" + c["id"], "from": c["subject_id"], "to": c["object_id"], "kind": "claim",
                    "label": c["type"], "claim_id": c["id"], "summary": c["summary"], "sources": c["sources"],
                    "modality": c["modality"], "polarity": c["polarity"]})
                found += [c["subject_id"], c["object_id"]]
            if co_mentions:
                for r in _rows(conn, """
                        WITH own AS (SELECT passage_id FROM mentions WHERE entity_id = :e
                                     ORDER BY rowid DESC LIMIT :sample)
                        SELECT m.entity_id AS other, count(DISTINCT m.passage_id) AS passages
                        FROM own JOIN mentions m ON m.passage_id = own.passage_id
                        WHERE m.entity_id != :e
                        GROUP BY m.entity_id ORDER BY passages DESC, m.entity_id LIMIT :k""",
                        {"e": eid, "k": co_mention_limit, "sample": co_mention_sample}):
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
    nodes = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        nodes += _rows(conn, f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN ({','.join('?' * len(chunk))})",
                       chunk)
    metrics = _metrics(conn, ids)
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


def _metrics(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict]:
    # entity_metrics is written by `kb graph`; older databases do not have it yet.
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'entity_metrics'").fetchone():
        return {}
    found = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        try:
            rows = _rows(conn, "SELECT entity_id, pagerank, community FROM entity_metrics "
                               f"WHERE entity_id IN ({','.join('?' * len(chunk))})", chunk)
        except sqlite3.OperationalError:  # a different shape than expected: show the graph without metrics
            return {}
        found.update({r.pop("entity_id"): r for r in rows})
    return found
