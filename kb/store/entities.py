"""Entity rows: gazetteer facts of new entities, their aliases, and per-entity statistics."""

from __future__ import annotations

from typing import Iterable

import sqlite_utils

from kb.entities import normalize_name
from kb.entities.gazetteer import Gazetteer
from kb.records import EntityRef
from kb.store.values import json_dumps


def entity_row(ref: EntityRef) -> dict:
    """The entities row of a resolved entity, with its gazetteer facts (wikidata, place codes, coordinates)."""
    entry = Gazetteer.load().get(ref.id)
    attrs = dict(entry.attrs) if entry else {}
    return {
        "id": ref.id, "name": ref.name, "type": ref.type, "name_ja": attrs.get("name_ja"),
        "wikidata": entry.wikidata if entry else None, "country": attrs.get("country") or attrs.get("iso2"),
        "ticker": attrs.get("ticker"), "usps": attrs.get("usps"), "fips": attrs.get("fips"),
        "iso": attrs.get("iso") or attrs.get("iso2"),
        "latitude": float(attrs["latitude"]) if attrs.get("latitude") else None,
        "longitude": float(attrs["longitude"]) if attrs.get("longitude") else None,
        "in_gazetteer": 1 if entry else 0, "attrs": json_dumps(attrs) if attrs else None,
    }


def alias_row(entity_id: str, alias: str) -> dict:
    """The entity_aliases row of one surface form (`normalized` is what lookups by name compare)."""
    return {"entity_id": entity_id, "alias": alias, "normalized": normalize_name(alias)}


def upsert_entities(db: sqlite_utils.Database, entities: Iterable[dict]) -> None:
    """Insert entities that are new; keep stored ones (gazetteer facts do not change per article)."""
    rows = list(entities)
    if rows:
        db["entities"].insert_all(rows, pk="id", ignore=True, alter=False)


def insert_aliases(db: sqlite_utils.Database, rows: Iterable[dict]) -> None:
    """Insert alias rows that are new (an entity keeps an alias once)."""
    db["entity_aliases"].insert_all(rows, pk=("entity_id", "alias"), ignore=True)


def refresh_entity_stats(db: sqlite_utils.Database, entity_ids: Iterable[str] | None = None) -> None:
    """Recompute mention/article/claim counts and alias lists; drop entities nothing refers to."""
    ids = None if entity_ids is None else sorted(set(entity_ids))
    where, params = ("", []) if ids is None else (f"WHERE id IN ({','.join('?' * len(ids))})", ids)
    if ids is not None and not ids:
        return
    db.execute(f"""
        UPDATE entities SET
          mentions = (SELECT count(*) FROM mentions m WHERE m.entity_id = entities.id),
          articles = (SELECT count(DISTINCT m.article_id) FROM mentions m WHERE m.entity_id = entities.id),
          claims = (SELECT count(*) FROM claims c WHERE c.subject_id = entities.id)
                 + (SELECT count(*) FROM claims c WHERE c.object_id = entities.id)
                 + (SELECT count(*) FROM claims c WHERE c.investment_id = entities.id)
        {where}""", params)
    db.execute(f"""
        UPDATE entity_aliases SET mentions = (SELECT count(*) FROM mentions m
            WHERE m.entity_id = entity_aliases.entity_id AND m.text = entity_aliases.alias)
        {where.replace('id IN', 'entity_id IN')}""", params)
    db.execute(f"""
        DELETE FROM entity_aliases WHERE mentions = 0 AND alias NOT IN (
            SELECT name FROM entities e WHERE e.id = entity_aliases.entity_id)
        {where.replace('WHERE id IN', 'AND entity_id IN')}""", params)
    db.execute(f"""
        DELETE FROM entities WHERE mentions = 0 AND claims = 0
          AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.attributed_to_id = entities.id)
          AND NOT EXISTS (SELECT 1 FROM claim_evidence e WHERE e.attributed_to_id = entities.id)
        {where.replace('WHERE id IN', 'AND id IN')}""", params)
    db.execute(f"""
        UPDATE entities SET aliases = (SELECT json_group_array(alias) FROM
            (SELECT alias FROM entity_aliases a WHERE a.entity_id = entities.id ORDER BY mentions DESC, alias))
        {where}""", params)
