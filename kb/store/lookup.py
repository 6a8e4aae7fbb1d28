"""Read-side helpers: which entity a name means (find_entity), and tracked claims for briefings.

find_entity is the one answer to "which entity is this name" for `kb claims --entity`, `kb export graph
--entity` and the graph page (/-/kb/graph?entity=): the same name picks the same entity everywhere.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator

import sqlite_utils

from kb.entities import normalize_name
from kb.entities.gazetteer import Gazetteer
from kb.errors import KBError
from kb.store.values import parse_json_list as _json_list

# What find_entity compares a name with, in order. The first three compare NFKC-normalized (full-width
# letters, half-width kana), case-folded text without outer spaces.
TIERS = ("id", "name or Japanese name", "alias", "name or alias without legal forms", "gazetteer alias")


class EntityNotFound(KBError):
    """No entity matches the name the user gave."""

    def __init__(self, message: str, *, query: str, suggestions: list[dict] | None = None):
        super().__init__(message)
        self.query = query
        self.suggestions = suggestions or []


class AmbiguousEntity(KBError):
    """The name the user gave names several entities equally well; `candidates` are their rows."""

    def __init__(self, message: str, *, query: str, candidates: list[dict]):
        super().__init__(message)
        self.query = query
        self.candidates = candidates


def find_entity(db: sqlite_utils.Database, name: str) -> dict:
    """The entities row that `name` names; raises EntityNotFound or AmbiguousEntity (both KBError).

    Tie rule: an exact id wins; otherwise the first of these tiers that matches anything decides,
    comparing NFKC/case-insensitively: id, then name or Japanese name, then any alias (the aliases
    column or table entity_aliases), then name or alias with legal forms and separators removed
    (株式会社, Co., Ltd. …, as ingest normalizes), then the gazetteer's aliases of stored entities. If that
    tier matches one entity, it is the answer; if it matches several, the name is ambiguous and the
    error lists them so the user can pass an id: no entity is picked silently by popularity.
    """
    q = _fold(name or "")
    if not q:
        raise EntityNotFound("the entity name is empty; pass an entity name, alias or id", query=name or "")
    row = _entity_row(db, name.strip())
    if row is not None:
        return row
    rows = list(db.query("SELECT id, name, type, name_ja, aliases FROM entities"))
    known = {r["id"] for r in rows}
    aliases = [a for a in db.query("SELECT entity_id, alias, normalized FROM entity_aliases")
               if a["entity_id"] in known]
    for ids in _tier_matches(name, q, rows, aliases, known):
        if len(ids) == 1:
            return _entity_row(db, next(iter(ids)))
        if ids:
            candidates = [_entity_row(db, i) for i in sorted(ids)]
            listed = "; ".join(_label(r) for r in candidates)
            raise AmbiguousEntity(f"{name!r} matches several entities: {listed}; pass one of these ids",
                                  query=name, candidates=candidates)
    suggestions = _close_matches(q, rows, aliases)
    hint = f"close matches: {'; '.join(_label(r) for r in suggestions)}" if suggestions else "no similar names either"
    raise EntityNotFound(f"no entity has the id, name or alias {name!r} ({hint})", query=name,
                         suggestions=suggestions)


def _tier_matches(name: str, q: str, rows: list[dict], aliases: list[dict], known: set[str]) -> Iterator[set[str]]:
    """The ids each tier of TIERS matches, in order (a tier is computed only if the ones before found nothing)."""
    yield {r["id"] for r in rows if _fold(r["id"]) == q}
    yield {r["id"] for r in rows if q in (_fold(r["name"]), _fold(r["name_ja"] or ""))}
    yield ({r["id"] for r in rows if any(_fold(a) == q for a in _json_list(r["aliases"]))}
           | {a["entity_id"] for a in aliases if _fold(a["alias"]) == q})
    nq = normalize_name(name)
    if nq:
        yield ({r["id"] for r in rows
                if any(normalize_name(t) == nq for t in (r["name"], r["name_ja"], *_json_list(r["aliases"])) if t)}
               | {a["entity_id"] for a in aliases if (a["normalized"] or normalize_name(a["alias"])) == nq})
    yield {entry.id for entry in Gazetteer.load().lookup_all(name)} & known


def _close_matches(q: str, rows: list[dict], aliases: list[dict], limit: int = 5) -> list[dict]:
    """Entities with a name containing (or contained in) the query, or spelled similarly: for error hints."""
    names: dict[str, set[str]] = {}
    for r in rows:
        for text in (r["name"], r["name_ja"], *_json_list(r["aliases"])):
            if text:
                names.setdefault(_fold(text), set()).add(r["id"])
    for a in aliases:
        names.setdefault(_fold(a["alias"]), set()).add(a["entity_id"])
    close = sorted((n for n in names if q in n or (len(n) > 1 and n in q)), key=lambda n: (abs(len(n) - len(q)), n))[:5]
    close += [n for n in difflib.get_close_matches(q, list(names), n=5, cutoff=0.6) if n not in close]
    by_id = {r["id"]: r for r in rows}
    found: list[dict] = []
    for n in close:
        for eid in sorted(names[n]):
            if by_id[eid] not in found:
                found.append(by_id[eid])
    return found[:limit]


def _entity_row(db: sqlite_utils.Database, entity_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM entities WHERE id = ?", [entity_id]))
    return rows[0] if rows else None


def _label(row: dict) -> str:
    return f"{row['name']} ({row['type']}, id {row['id']})"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


@dataclass
class ClaimLine:
    """One tracked claim as a briefing shows it."""

    id: str
    type: str
    summary: str
    sources: int
    first_seen: str | None
    last_seen: str | None
    modality: str
    polarity: str
    conflicts: list[str]
    quote: str | None
    conflict_ids: list[str] = field(default_factory=list)  # the other claim of each conflict, as in `conflicts`
    articles: int = 0  # distinct articles with evidence (more than `sources` when some are syndicated copies)


def list_claims(db: sqlite_utils.Database, *, entity_id: str | None = None, claim_type: str | None = None,
                conflicts_only: bool = False, limit: int | None = None) -> list[ClaimLine]:
    """Tracked claims, most corroborated first, optionally about one entity, of one type, or in conflict."""
    where, params = [], {}
    if entity_id:
        where.append("(c.subject_id = :e OR c.object_id = :e OR c.attributed_to_id = :e)")
        params["e"] = entity_id
    if claim_type:
        where.append("c.type = :t")
        params["t"] = claim_type
    if conflicts_only:
        where.append("c.conflicts > 0")
    sql = ("SELECT c.* FROM claims c" + (" WHERE " + " AND ".join(where) if where else "") +
           " ORDER BY c.type, c.sources DESC, c.first_seen, c.id" + (f" LIMIT {int(limit)}" if limit else ""))
    out = []
    for c in db.query(sql, params):
        # Each pair is stored once; a claim's conflicts are the pairs it is on either side of.
        other = [(r["id"], f"{r['summary']} ({r['reason']})") for r in db.query(
            "SELECT o.id, o.summary, x.reason FROM claim_conflicts x JOIN claims o "
            "ON o.id = CASE WHEN x.claim_id = :id THEN x.other_claim_id ELSE x.claim_id END "
            "WHERE x.claim_id = :id OR x.other_claim_id = :id ORDER BY o.id", {"id": c["id"]})]
        conflicts = [text for _, text in other]
        quote = next(iter(db.query("SELECT e.quote FROM claim_evidence e JOIN articles a ON a.id = e.article_id "
                                   "WHERE e.claim_id = ? ORDER BY a.published, e.start LIMIT 1", [c["id"]])), None)
        articles = db.execute("SELECT count(DISTINCT article_id) FROM claim_evidence WHERE claim_id = ?",
                              [c["id"]]).fetchone()[0]
        out.append(ClaimLine(c["id"], c["type"], c["summary"] or "", c["sources"], c["first_seen"], c["last_seen"],
                             c["modality"] or "", c["polarity"] or "", conflicts, quote["quote"] if quote else None,
                             [i for i, _ in other], articles))
    return out
