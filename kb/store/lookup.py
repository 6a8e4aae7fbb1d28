"""Read-side helpers: which entity a name means (find_entity), and tracked claims for briefings.

find_entity is the one answer to "which entity is this name" for `kb claims --entity`, `kb export graph
--entity` and the graph page (/-/kb/graph?entity=): the same name picks the same entity everywhere.
"""

from __future__ import annotations

import difflib
import json
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


def find_entity(db: sqlite_utils.Database, name: str, *, suggest: bool = True) -> dict:
    """The entities row that `name` names; raises EntityNotFound or AmbiguousEntity (both KBError).

    Tie rule: an exact id wins; otherwise the first of these tiers that matches anything decides,
    comparing NFKC/case-insensitively: id, then name or Japanese name, then any alias (the aliases
    column or table entity_aliases), then name or alias with legal forms and separators removed
    (株式会社, Co., Ltd. …, as ingest normalizes), then the gazetteer's aliases of stored entities. If that
    tier matches one entity, it is the answer; if it matches several, the name is ambiguous and the
    error lists them so the user can pass an id: no entity is picked silently by popularity.

    With suggest=False an unknown name raises EntityNotFound without the (slow: every name is compared)
    close matches in its message; the web pages suggest names with one SQL query instead.
    """
    q = _fold(name or "")
    if not q:
        raise EntityNotFound("the entity name is empty; pass an entity name, alias or id", query=name or "")
    row = _entity_row(db, name.strip())
    if row is not None:
        return row
    index = _name_index(db)
    for ids in _tier_matches(name, q, index):
        if len(ids) == 1:
            return _entity_row(db, next(iter(ids)))
        if ids:
            candidates = [_entity_row(db, i) for i in sorted(ids)]
            listed = "; ".join(_label(r) for r in candidates)
            raise AmbiguousEntity(f"{name!r} matches several entities: {listed}; pass one of these ids",
                                  query=name, candidates=candidates)
    if not suggest:
        raise EntityNotFound(f"no entity has the id, name or alias {name!r}", query=name)
    suggestions = _close_matches(q, index)
    hint = f"close matches: {'; '.join(_label(r) for r in suggestions)}" if suggestions else "no similar names either"
    raise EntityNotFound(f"no entity has the id, name or alias {name!r} ({hint})", query=name,
                         suggestions=suggestions)


@dataclass
class _NameIndex:
    """Every stored entity name, folded and normalized once, for find_entity's tiers (dict lookups)."""

    rows: dict[str, dict]                       # id -> {id, name, type, name_ja, aliases}
    by_id: dict[str, set[str]]                  # folded id -> ids
    by_name: dict[str, set[str]]                # folded name or Japanese name -> ids
    by_alias: dict[str, set[str]]               # folded alias (column or table) -> ids
    by_normalized: dict[str, set[str]]          # normalize_name of name, Japanese name or alias -> ids
    names: dict[str, set[str]]                  # every folded name and alias -> ids (for close matches)


# One index per database file state (path, size and modification time of the file and its WAL): a
# long-running server answers each lookup, a miss included, without reading every entity again, and the
# index is rebuilt as soon as an ingest commits.
_INDEX_CACHE: dict[str, tuple[tuple, _NameIndex]] = {}


def _file_state(path: str) -> tuple | None:
    import os
    state = []
    for p in (path, path + "-wal"):
        try:
            st = os.stat(p)
        except OSError:
            st = None
        # an empty WAL (created when a connection opens, removed when the last one closes) holds no commit
        state.append((st.st_size, st.st_mtime_ns, st.st_ino) if st and st.st_size else None)
    return tuple(state) if state[0] is not None else None


def _name_index(db: sqlite_utils.Database) -> _NameIndex:
    from kb.store.schema import db_file

    path = db_file(db)
    state = _file_state(path) if path else None
    if path and state is not None:
        cached = _INDEX_CACHE.get(path)
        if cached and cached[0] == state:
            return cached[1]
    index = _build_index(db)
    if path and state is not None and _file_state(path) == state:  # unchanged while it was read
        if len(_INDEX_CACHE) >= 8 and path not in _INDEX_CACHE:
            _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
        _INDEX_CACHE[path] = (state, index)
    return index


def warm_name_index(db: sqlite_utils.Database) -> None:
    """Read and index every entity name now, so the next find_entity on this database file is fast."""
    _name_index(db)
    Gazetteer.load()


def _build_index(db: sqlite_utils.Database) -> _NameIndex:
    # investment nodes are claims (their names are summaries), never what a name refers to
    rows = {r["id"]: dict(r, aliases=_json_list(r["aliases"]))
            for r in db.query("SELECT id, name, type, name_ja, aliases FROM entities WHERE type != 'investment'")}
    index = _NameIndex(rows, {}, {}, {}, {}, {})

    def add(table: dict, key: str, eid: str) -> None:
        table.setdefault(key, set()).add(eid)

    for eid, r in rows.items():
        add(index.by_id, _fold(eid), eid)
        for text in (r["name"], r["name_ja"]):
            if text:
                add(index.by_name, _fold(text), eid)
        for a in r["aliases"]:
            add(index.by_alias, _fold(a), eid)
        for text in (r["name"], r["name_ja"], *r["aliases"]):
            if text:
                add(index.by_normalized, normalize_name(text), eid)
                add(index.names, _fold(text), eid)
    for a in db.query("SELECT entity_id, alias, normalized FROM entity_aliases"):
        eid = a["entity_id"]
        if eid not in rows:
            continue
        add(index.by_alias, _fold(a["alias"]), eid)
        add(index.by_normalized, a["normalized"] or normalize_name(a["alias"]), eid)
        add(index.names, _fold(a["alias"]), eid)
    return index


def _tier_matches(name: str, q: str, index: _NameIndex) -> Iterator[set[str]]:
    """The ids each tier of TIERS matches, in order (a tier is computed only if the ones before found nothing)."""
    yield set(index.by_id.get(q, ()))
    yield set(index.by_name.get(q, ()))
    yield set(index.by_alias.get(q, ()))
    nq = normalize_name(name)
    if nq:
        yield set(index.by_normalized.get(nq, ()))
    yield {entry.id for entry in Gazetteer.load().lookup_all(name)} & set(index.rows)


def _close_matches(q: str, index: _NameIndex, limit: int = 5) -> list[dict]:
    """Entities with a name containing (or contained in) the query, or spelled similarly: for error hints."""
    names = index.names
    close = sorted((n for n in names if q in n or (len(n) > 1 and n in q)), key=lambda n: (abs(len(n) - len(q)), n))[:5]
    close += [n for n in difflib.get_close_matches(q, list(names), n=5, cutoff=0.6) if n not in close]
    found: list[dict] = []
    for n in close:
        for eid in sorted(names[n]):
            row = _shown_row(index.rows[eid])
            if row not in found:
                found.append(row)
    return found[:limit]


def _shown_row(row: dict) -> dict:
    """An index row as the entities table has it (aliases as their JSON text)."""
    return dict(row, aliases=json.dumps(row["aliases"], ensure_ascii=False))


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
    # The article of the earliest quote: its title, date (in its own time zone when known) and web address.
    title: str | None = None
    published: str | None = None
    url: str | None = None
    review_status: str | None = None  # correct | wrong (kb.store.review), None when unreviewed
    articles: int = 0  # distinct articles with evidence (more than `sources` when some are syndicated copies)


def list_claims(db: sqlite_utils.Database, *, entity_id: str | None = None, claim_type: str | None = None,
                conflicts_only: bool = False, limit: int | None = None, include_wrong: bool = False,
                status: str | None = None) -> list[ClaimLine]:
    """Tracked claims, most corroborated first, optionally about one entity, of one type, or in conflict;
    claims reviewed wrong only with include_wrong (or status='wrong'); `status` keeps one review status
    (correct, wrong, unreviewed)."""
    where, params = [], {}
    if status == "unreviewed":
        where.append("c.review_status IS NULL")
    elif status:
        where.append("c.review_status = :status")
        params["status"] = status
    elif not include_wrong:
        where.append("coalesce(c.review_status, '') != 'wrong'")
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
        quote = next(iter(db.query(
            "SELECT e.quote, a.title, coalesce(a.published_local, a.published) AS published, a.url "
            "FROM claim_evidence e JOIN articles a ON a.id = e.article_id "
            "WHERE e.claim_id = ? ORDER BY a.published IS NULL, a.published, a.source_key, e.start LIMIT 1",
            [c["id"]])), {})
        articles = db.execute("SELECT count(DISTINCT article_id) FROM claim_evidence WHERE claim_id = ?",
                              [c["id"]]).fetchone()[0]
        out.append(ClaimLine(c["id"], c["type"], c["summary"] or "", c["sources"], c["first_seen"], c["last_seen"],
                             c["modality"] or "", c["polarity"] or "", conflicts, quote.get("quote"),
                             [i for i, _ in other], quote.get("title"), quote.get("published"), quote.get("url"),
                             c.get("review_status"), articles))
    return out
