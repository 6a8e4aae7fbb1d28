"""The SQL the Datasette pages run (kb.web): claim, article and search pages, and the graph page's reads.

The page handlers are async and run these statements with Datasette's `await db.execute(SQL, params)`;
the graph page's reads are small functions over a connection (Datasette's `execute_fn` hands them one,
wrapped with kb.store.wrap_connection).
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

from kb.entities import normalize_name

# The entity columns the graph page shows (also its JSON's "entity", "nodes" and suggestions).
ENTITY_COLUMNS = "id, name, type, name_ja, mentions, articles, claims"

CLAIM_SQL = """
SELECT c.*, s.name AS subject_name, s.type AS subject_type, o.name AS object_name, o.type AS object_type,
       t.name AS attributed_name
FROM claims c LEFT JOIN entities s ON s.id = c.subject_id LEFT JOIN entities o ON o.id = c.object_id
LEFT JOIN entities t ON t.id = c.attributed_to_id WHERE c.id = :id"""
CONFLICTS_SQL = """
SELECT cc.reason, x.id, x.type, x.summary, x.amount_min, x.amount_max, x.currency, x.unit, x.period,
       x.approximate, x.bound, x.amount_usd, x.polarity, x.modality, x.sources
FROM claim_conflicts cc
JOIN claims x ON x.id = CASE WHEN cc.claim_id = :id THEN cc.other_claim_id ELSE cc.claim_id END
WHERE cc.claim_id = :id OR cc.other_claim_id = :id"""
EVIDENCE_SQL = """
SELECT e.id, e.article_id, e.passage_id, e.start, e."end", e.quote, e.modality, e.polarity, e.amount_text,
       a.title, a.published, a.published_local, a.url, a.outlet, a.source_path, a.text AS article_text,
       t.name AS attributed_name
FROM claim_evidence e JOIN articles a ON a.id = e.article_id LEFT JOIN entities t ON t.id = e.attributed_to_id
WHERE e.claim_id = :id ORDER BY a.published, e.article_id, e.start LIMIT :limit"""

ARTICLE_SQL = ("SELECT id, title, published, published_local, published_raw, author, source_path, url, outlet, "
               "site_name, extractor, lang, format, tags, categories, front_matter, text FROM articles WHERE id = :id")
ARTICLE_CLAIMS_SQL = """
        SELECT e.claim_id, e.start, e."end", c.type, c.summary FROM claim_evidence e
        JOIN claims c ON c.id = e.claim_id WHERE e.article_id = :id ORDER BY e.start LIMIT 500"""

# The search page (kb.web.views.search_page): one page of matches and the count of all of them, with the
# same conditions, so the counts equal the rows listed over all pages. Duplicate passages are left out.
SEARCH_PASSAGES_FROM = """
            FROM passages_fts f JOIN passages p ON p.rowid = f.rowid JOIN articles a ON a.id = p.article_id
            WHERE passages_fts MATCH :q AND p.duplicate_of IS NULL"""
SEARCH_PASSAGES_SQL = """
            SELECT p.id, p.article_id, p.start, p.text, a.title, a.published""" + SEARCH_PASSAGES_FROM + """
            ORDER BY f.rank, p.id LIMIT :limit OFFSET :offset"""
SEARCH_CLAIMS_FROM = """
            FROM claims_fts f JOIN claims c ON c.rowid = f.rowid
            WHERE claims_fts MATCH :q AND coalesce(c.review_status, '') != 'wrong'"""
SEARCH_CLAIMS_SQL = """
            SELECT c.id, c.type, c.summary, c.modality, c.polarity, c.sources, c.first_seen, c.last_seen,
                   c.subject_id, s.name AS subject_name, s.type AS subject_type,
                   c.object_id, o.name AS object_name, o.type AS object_type,
                   c.amount_min, c.amount_max, c.currency, c.unit, c.period, c.approximate, c.bound, c.amount_usd
            FROM (SELECT c.rowid AS rid, f.rank AS rank""" + SEARCH_CLAIMS_FROM + """) m
            JOIN claims c ON c.rowid = m.rid
            LEFT JOIN entities s ON s.id = c.subject_id LEFT JOIN entities o ON o.id = c.object_id
            ORDER BY m.rank, c.sources DESC, c.id LIMIT :limit OFFSET :offset"""
SEARCH_COUNT_SQL = {"passages": "SELECT count(*) AS n" + SEARCH_PASSAGES_FROM,
                    "claims": "SELECT count(*) AS n" + SEARCH_CLAIMS_FROM}
SEARCH_TABLES = ("passages", "claims")


def table_search_where(table: str) -> str:
    """The WHERE condition of a table page's search (Datasette filters_from_request): FTS query `:kb_search`."""
    if table not in SEARCH_TABLES:
        raise ValueError(f"no full-text index on {table!r}; use one of {SEARCH_TABLES}")
    return f"rowid IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :kb_search)"


def search_count_sql(table: str) -> str:
    """SQL counting what the search page lists for `table` (passages or claims) for FTS query `:q`."""
    if table not in SEARCH_TABLES:
        raise ValueError(f"no full-text index on {table!r}; use one of {SEARCH_TABLES}")
    return SEARCH_COUNT_SQL[table]


def suggest_entities(db: sqlite_utils.Database, query: str, *, limit: int = 10) -> list[dict]:
    """Entities whose name or an alias contains `query`, most mentioned first (for 'did you mean'); the
    most connected entities when nothing contains it. Investment nodes (claims) are never suggested."""
    q = (query or "").strip()
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        norm = "%" + normalize_name(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = list(db.query(f"""
            SELECT {ENTITY_COLUMNS} FROM entities WHERE type != 'investment' AND id IN (
                SELECT id FROM entities WHERE name LIKE :p ESCAPE '\\' OR name_ja LIKE :p ESCAPE '\\'
                UNION SELECT entity_id FROM entity_aliases
                WHERE alias LIKE :p ESCAPE '\\' OR normalized LIKE :n ESCAPE '\\')
            ORDER BY mentions DESC, claims DESC, name LIMIT :limit""", {"p": pattern, "n": norm, "limit": limit}))
        if rows:
            return rows
    return list(db.query(f"SELECT {ENTITY_COLUMNS} FROM entities WHERE type != 'investment' "
                         "ORDER BY claims DESC, mentions DESC, name "
                         "LIMIT ?", [limit]))


def claims_touching(db: sqlite_utils.Database, entity_id: str, *, limit: int) -> list[dict]:
    """Up to `limit` claims with the entity as subject or object and another entity at the other end,
    best corroborated first."""
    return list(db.query("""
                    SELECT * FROM (
                        SELECT id, type, summary, subject_id, object_id, sources, modality, polarity FROM claims
                        WHERE subject_id = :e AND object_id IS NOT NULL AND coalesce(review_status, '') != 'wrong'
                        UNION SELECT id, type, summary, subject_id, object_id, sources, modality, polarity
                        FROM claims WHERE object_id = :e AND subject_id IS NOT NULL
                        AND coalesce(review_status, '') != 'wrong')
                    ORDER BY sources DESC, id LIMIT :k""", {"e": entity_id, "k": limit}))


def co_mentioned(db: sqlite_utils.Database, entity_id: str, *, limit: int, sample: int) -> list[dict]:
    """Up to `limit` entities (`other`) most often mentioned in a passage with the entity (`passages`),
    counted over its latest `sample` mentions."""
    return list(db.query("""
                        WITH own AS (SELECT passage_id FROM mentions WHERE entity_id = :e
                                     ORDER BY rowid DESC LIMIT :sample)
                        SELECT m.entity_id AS other, count(DISTINCT m.passage_id) AS passages
                        FROM own JOIN mentions m ON m.passage_id = own.passage_id
                        WHERE m.entity_id != :e
                        GROUP BY m.entity_id ORDER BY passages DESC, m.entity_id LIMIT :k""",
                         {"e": entity_id, "k": limit, "sample": sample}))


def entities_by_id(db: sqlite_utils.Database, ids: list[str]) -> list[dict]:
    """The ENTITY_COLUMNS of the given entities (those that exist)."""
    rows: list[dict] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        rows += db.query(f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    return rows


def metrics_by_id(db: sqlite_utils.Database, ids: list[str]) -> dict[str, dict]:
    """entity id -> {pagerank, community} from `kb graph build`; empty if the table is missing or unreadable."""
    # entity_metrics is written by `kb graph`; older databases do not have it yet.
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'entity_metrics'").fetchone():
        return {}
    found = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        try:
            rows = list(db.query("SELECT entity_id, pagerank, community FROM entity_metrics "
                                 f"WHERE entity_id IN ({','.join('?' * len(chunk))})", chunk))
        except sqlite3.OperationalError:  # a different shape than expected: show the graph without metrics
            return {}
        found.update({r.pop("entity_id"): r for r in rows})
    return found


# --- the entity profile page (/-/kb/entity/<id>) and the map page (/-/kb/map) ---------------------------

ENTITY_SQL = "SELECT * FROM entities WHERE id = :id"
ENTITY_ALIASES_SQL = """
SELECT alias, mentions FROM entity_aliases WHERE entity_id = :id ORDER BY mentions DESC, alias LIMIT 200"""
# Claims where the entity is subject or object (UNION: each side uses its index), with both ends' names.
ENTITY_CLAIMS_SQL = """
SELECT c.id, c.type, c.summary, c.subject_id, c.object_id, c.attributed_to_id, c.amount_min, c.amount_max,
       c.currency, c.unit, c.period, c.approximate, c.bound, c.amount_usd, c.modality, c.polarity, c.sources, c.evidence_count,
       c.first_seen, c.last_seen, c.conflicts, s.name AS subject_name, s.type AS subject_type,
       o.name AS object_name, o.type AS object_type
FROM (SELECT id FROM claims WHERE subject_id = :id UNION SELECT id FROM claims WHERE object_id = :id
      UNION SELECT id FROM claims WHERE attributed_to_id = :id) hits
JOIN claims c ON c.id = hits.id
LEFT JOIN entities s ON s.id = c.subject_id LEFT JOIN entities o ON o.id = c.object_id
WHERE coalesce(c.review_status, '') != 'wrong'
ORDER BY c.sources DESC, c.first_seen, c.id LIMIT :limit"""
# The articles mentioning the entity, newest first, with how often they mention it.
ENTITY_ARTICLES_SQL = """
SELECT a.id, a.title, a.published, a.url, a.outlet, a.source_path, a.lang, m.mentions
FROM (SELECT article_id, count(*) AS mentions FROM mentions WHERE entity_id = :id GROUP BY article_id) m
JOIN articles a ON a.id = m.article_id
ORDER BY a.published DESC, a.id LIMIT :limit"""
# Claims an analyst marked wrong (kb.store.review) are left out of the profile and counted apart.
ENTITY_CLAIM_COUNT_SQL = """
SELECT count(*) FROM (SELECT id FROM claims WHERE subject_id = :id UNION SELECT id FROM claims WHERE object_id = :id
      UNION SELECT id FROM claims WHERE attributed_to_id = :id) hits
JOIN claims c ON c.id = hits.id WHERE coalesce(c.review_status, '') != 'wrong'"""
ENTITY_WRONG_COUNT_SQL = """
SELECT count(*) FROM (SELECT id FROM claims WHERE subject_id = :id UNION SELECT id FROM claims WHERE object_id = :id
      UNION SELECT id FROM claims WHERE attributed_to_id = :id) hits
JOIN claims c ON c.id = hits.id WHERE c.review_status = 'wrong'"""
ENTITY_ARTICLE_COUNT_SQL = "SELECT count(DISTINCT article_id) FROM mentions WHERE entity_id = :id"
# First-level divisions (US states, prefectures) with the keys the map's shapes carry.
MAP_PLACES_SQL = """
SELECT id, name, name_ja, type, country, usps, iso, mentions, articles, claims FROM entities
WHERE type = 'state'"""
