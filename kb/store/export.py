"""JSON Lines exports of entities and tracked claims (the interchange contract in architecture.md)."""

from __future__ import annotations

import json
from typing import IO, Iterator

import sqlite_utils

from kb.store.syndication import claim_stories


def _aliases(db: sqlite_utils.Database, entity_id: str) -> list[str]:
    return [r["alias"] for r in db.query(
        "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY mentions DESC, alias", [entity_id])]


def generate_entities(db: sqlite_utils.Database) -> Iterator[dict]:
    """Yield one dict per entity: id, name, type, aliases, wikidata, mentions, articles (+ place facts)."""
    # Investment nodes are claims (their own summaries as names): the graph shows them, the entity list does not.
    for row in db.query("SELECT * FROM entities WHERE type != 'investment' ORDER BY type, name, id"):
        out = {"id": row["id"], "name": row["name"], "type": row["type"], "aliases": _aliases(db, row["id"]),
               "wikidata": row["wikidata"], "mentions": row["mentions"], "articles": row["articles"]}
        for key in ("name_ja", "country", "ticker", "usps", "fips", "iso", "latitude", "longitude"):
            if row.get(key) is not None:
                out[key] = row[key]
        subtype = json.loads(row["attrs"]).get("subtype") if row.get("attrs") else None
        if subtype:
            out["subtype"] = subtype
        yield out


def _entity_ref(db: sqlite_utils.Database, entity_id: str | None, cache: dict) -> dict | None:
    if entity_id is None:
        return None
    if entity_id not in cache:
        rows = list(db.query("SELECT id, name, type FROM entities WHERE id = ?", [entity_id]))
        cache[entity_id] = ({"id": rows[0]["id"], "name": rows[0]["name"], "type": rows[0]["type"],
                             "aliases": _aliases(db, entity_id)} if rows else
                            {"id": entity_id, "name": entity_id, "type": None, "aliases": []})
    return cache[entity_id]


def generate_claims(db: sqlite_utils.Database, *, claim_type: str | None = None) -> Iterator[dict]:
    """Yield one dict per tracked claim with roles, amount, provenance and conflicts."""
    cache: dict = {}
    where, params = ("WHERE type = ?", [claim_type]) if claim_type else ("", [])
    for c in db.query(f"SELECT * FROM claims {where} ORDER BY sources DESC, first_seen, id", params):
        amount = None
        if c["amount_min"] is not None or c["amount_max"] is not None:
            amount = {"min": c["amount_min"], "max": c["amount_max"], "currency": c["currency"], "unit": c["unit"],
                      "period": c["period"], "approximate": bool(c["approximate"]), "bound": c["bound"],
                      "usd": c["amount_usd"]}
        evidence = [
            {"article_id": e["article_id"], "source_path": e["source_path"], "title": e["title"],
             "published": e["published"], "passage_id": e["passage_id"], "start": e["start"], "end": e["end"],
             "quote": e["quote"], "modality": e["modality"], "polarity": e["polarity"],
             "attributed_to": _entity_ref(db, e["attributed_to_id"], cache),
             "outlet": e["outlet"], "syndication_group": e["group_id"]}
            for e in db.query("""SELECT e.*, a.source_path, a.title, a.published, s.outlet, m.group_id
                                 FROM claim_evidence e JOIN articles a ON a.id = e.article_id
                                 LEFT JOIN article_syndication s ON s.article_id = e.article_id
                                 LEFT JOIN syndication_members m ON m.article_id = e.article_id
                                 WHERE e.claim_id = ?
                                 ORDER BY a.published, a.source_key, e.start""", [c["id"]])]
        # The independent stories behind the claim (`sources` counts them), syndicated copies of each
        # listed under it as "also published by".
        stories = claim_stories(db, c["id"])
        # A conflict is stored once per pair; each side lists the other.
        conflicts = [r["other"] for r in db.query(
            "SELECT other_claim_id AS other FROM claim_conflicts WHERE claim_id = :id UNION "
            "SELECT claim_id FROM claim_conflicts WHERE other_claim_id = :id ORDER BY 1", {"id": c["id"]})]
        yield {
            "id": c["id"], "type": c["type"], "summary": c["summary"],
            "subject": _entity_ref(db, c["subject_id"], cache), "object": _entity_ref(db, c["object_id"], cache),
            "amount": amount, "modality": c["modality"], "polarity": c["polarity"],
            "attributed_to": _entity_ref(db, c["attributed_to_id"], cache),
            "details": json.loads(c["details"]) if c["details"] else {},
            "sources": c["sources"], "articles": len({e["article_id"] for e in evidence}), "stories": stories,
            "first_seen": c["first_seen"], "last_seen": c["last_seen"],
            "conflicts_with": conflicts, "evidence": evidence,
        }


def write_jsonl(rows: Iterator[dict], fp: IO[str]) -> int:
    """Write dicts as JSON Lines (UTF-8, not ASCII-escaped); returns the count."""
    n = 0
    for row in rows:
        fp.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
        n += 1
    return n
