"""The rows the entity graph (kb.graph) is built from, and table entity_metrics that stores its metrics."""

from __future__ import annotations

from typing import Iterator

import sqlite_utils

from kb.store.schema import ENTITY_METRICS_SQL

METRIC_COLUMNS = ("degree", "weighted_degree", "pagerank", "betweenness", "community")
CLAIM_EDGE_COLUMNS = ("id, type, summary, subject_id, object_id, amount_min, amount_max, currency, unit, period, "
                      "approximate, bound, amount_usd, modality, polarity, attributed_to_id, details, sources, "
                      "evidence_count, first_seen, last_seen, conflicts")

# Claims an analyst marked wrong (kb.store.review) stay stored but leave default listings, exports and graphs.
NOT_WRONG = "coalesce(review_status, '') != 'wrong'"


def entity_nodes(db: sqlite_utils.Database) -> Iterator[dict]:
    """Every entity with the columns a graph node shows, by id."""
    return db.query("SELECT id, name, type, name_ja, wikidata, country, latitude, longitude, aliases, "
                    "mentions, articles, claims FROM entities ORDER BY id")


def stored_metrics(db: sqlite_utils.Database) -> dict[str, dict]:
    """entity id -> its stored metrics (METRIC_COLUMNS); empty before `kb graph build` created the table."""
    if "entity_metrics" not in db.table_names():
        return {}
    return {r.pop("entity_id"): r for r in db.query("SELECT * FROM entity_metrics")}


def claim_types(db: sqlite_utils.Database) -> set[str]:
    """The claim types present in the database."""
    return {r["type"] for r in db.query("SELECT DISTINCT type FROM claims")}


def conflict_pairs(db: sqlite_utils.Database) -> Iterator[tuple[str, str]]:
    """(claim id, other claim id) of every stored conflict."""
    for r in db.query("SELECT claim_id, other_claim_id FROM claim_conflicts"):
        yield r["claim_id"], r["other_claim_id"]


def claim_edges(db: sqlite_utils.Database, *, types: set[str] | None, since: str | None,
                min_sources: int, include_wrong: bool = False) -> Iterator[dict]:
    """Claims with a subject and an object (CLAIM_EDGE_COLUMNS), by id: of `types` if given, last seen on or
    after `since` if given, reported by at least `min_sources` articles; claims reviewed wrong only if asked."""
    where, params = ["subject_id IS NOT NULL", "object_id IS NOT NULL", "sources >= ?"], [min_sources]
    if not include_wrong:
        where.append(NOT_WRONG)
    if types is not None:
        where.append(f"type IN ({', '.join('?' * len(types))})")
        params.extend(sorted(types))
    if since is not None:
        where.append("last_seen >= ?")
        params.append(since)
    return db.query(f"SELECT {CLAIM_EDGE_COLUMNS} FROM claims WHERE {' AND '.join(where)} ORDER BY id", params)


def investment_claims(db: sqlite_utils.Database, *, since: str | None, min_sources: int,
                      include_wrong: bool = False) -> Iterator[dict]:
    """Investment claims with an investment entity and an investor, by id (filtered as claim_edges)."""
    sql = ("SELECT id, subject_id, object_id, investment_id, sources, first_seen, last_seen, amount_usd, modality, "
           "polarity, summary FROM claims WHERE type = 'investment' AND investment_id IS NOT NULL "
           "AND subject_id IS NOT NULL AND sources >= ?" + ("" if include_wrong else f" AND {NOT_WRONG}") + (" AND last_seen >= ?" if since else "") + " ORDER BY id")
    return db.query(sql, [min_sources] + ([since] if since else []))


def co_mention_pairs(db: sqlite_utils.Database, *, since: str | None, min_sources: int) -> Iterator[dict]:
    """Entity pairs (u < v) mentioned in the same passage: passages, sources (independent stories: articles,
    syndicated copies of one story once), first/last seen; in articles published on or after `since` if
    given, in at least `min_sources` stories."""
    date_filter = "WHERE a.published >= ?" if since is not None else ""
    params = ([since] if since is not None else []) + [min_sources]
    sql = f"""
        WITH pm AS (SELECT DISTINCT m.passage_id, coalesce(g.group_id, m.article_id) AS story, m.entity_id,
                           a.published
                    FROM mentions m JOIN articles a ON a.id = m.article_id
                    LEFT JOIN syndication_members g ON g.article_id = m.article_id {date_filter})
        SELECT x.entity_id AS u, y.entity_id AS v, count(DISTINCT x.passage_id) AS passages,
               count(DISTINCT x.story) AS sources, min(x.published) AS first_seen,
               max(x.published) AS last_seen
        FROM pm x JOIN pm y ON y.passage_id = x.passage_id AND x.entity_id < y.entity_id
        GROUP BY x.entity_id, y.entity_id HAVING count(DISTINCT x.story) >= ?
        ORDER BY x.entity_id, y.entity_id"""
    return db.query(sql, params)


def save_metrics(db: sqlite_utils.Database, metrics: dict[str, dict]) -> None:
    """Replace table entity_metrics with `metrics` in one transaction (nodes that are not entities skipped)."""
    with db.atomic():
        db.execute(ENTITY_METRICS_SQL.strip().rstrip(';'))
        known = {r["id"] for r in db.query("SELECT id FROM entities")}
        rows = [{"entity_id": n, **{k: m[k] for k in METRIC_COLUMNS}}
                for n, m in sorted(metrics.items()) if n in known]
        db.execute("DELETE FROM entity_metrics")
        if rows:
            db["entity_metrics"].insert_all(rows, batch_size=100)
