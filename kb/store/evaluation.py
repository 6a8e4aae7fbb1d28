"""The rows the gold evaluation (kb.evaluate) scores: articles, the claims evidenced in one, entity names."""

from __future__ import annotations

import sqlite_utils


def article_paths(db: sqlite_utils.Database) -> list[dict]:
    """Every article's id and source_path, by source_path."""
    return list(db.query("SELECT id, source_path FROM articles ORDER BY source_path"))


def evidenced_claims(db: sqlite_utils.Database, article_id: str) -> list[dict]:
    """The tracked claims with evidence in one article (roles, amount, polarity, summary and the smallest
    modality of that article's evidence), by claim id."""
    return list(db.query("""SELECT c.id, c.type, c.subject_id, c.object_id, c.amount_min, c.amount_max, c.currency,
                                   c.unit, c.period, c.polarity, c.summary, min(e.modality) AS modality
                            FROM claim_evidence e JOIN claims c ON c.id = e.claim_id
                            WHERE e.article_id = ? GROUP BY c.id ORDER BY c.id""", [article_id]))


def entity_names(db: sqlite_utils.Database, entity_id: str) -> list[str]:
    """An entity's name and aliases."""
    return [r["n"] for r in db.query("SELECT name AS n FROM entities WHERE id = ? UNION "
                                     "SELECT alias AS n FROM entity_aliases WHERE entity_id = ?",
                                     [entity_id, entity_id])]


def mentioned_entities(db: sqlite_utils.Database, article_id: str) -> list[tuple[str, str]]:
    """(id, type) of the entities mentioned in one article, by id."""
    return [(r["id"], r["type"]) for r in db.query(
        "SELECT DISTINCT e.id, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "WHERE m.article_id = ? ORDER BY e.id", [article_id])]
