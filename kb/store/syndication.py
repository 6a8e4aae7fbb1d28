"""Syndication groups in the database: copies of one story (kb.syndication decides) count as one source.

Per article: its outlet, MinHash signature and LSH bands (`article_syndication`, `article_lsh`); the copy
pairs found (`syndication_pairs`, the smaller article id first, similarity >= kb.syndication.THRESHOLD);
and the groups, connected components of the pairs (`syndication_groups`, `syndication_members`), each with
its canonical member (the earliest published). Everything hangs off `articles` with ON DELETE CASCADE;
`regroup` rebuilds the groups around the articles a change touched, so deleting or changing an article
splits or shrinks its group. `source_key_sql` is the expression the claims' source count uses: an
article's group, or the article itself when it has no copies.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator

import sqlite_utils

from kb import syndication as synd
from kb.sources import site_of_url
from kb.store.values import json_dumps, stable_id

# The independent story an evidence row `e` belongs to (needs `LEFT JOIN syndication_members m ON
# m.article_id = e.article_id`): its syndication group, or its article when it has no copies.
STORY_KEY_SQL = "coalesce(m.group_id, e.article_id)"


def index_article(db: sqlite_utils.Database, article_id: str, text: str, outlet: str | None) -> set[str]:
    """Store an article's signature and bands, link it to the stored copies of its story and regroup.

    Returns the ids of the articles whose group changed (their claims' source counts may change)."""
    sh = synd.shingles(text)
    sig = synd.signature(sh)
    _store_signature(db, article_id, outlet, sig, len(sh))
    neighbours = _link(db, article_id, sh, sig)
    return regroup(db, neighbours | {article_id})


def _store_signature(db, article_id: str, outlet: str | None, sig, n_shingles: int) -> None:
    db.execute("DELETE FROM article_lsh WHERE article_id = ?", [article_id])
    db["article_syndication"].insert({"article_id": article_id, "outlet": outlet, "scheme": synd.SCHEME,
                                      "shingles": n_shingles, "minhash": synd.signature_bytes(sig)},
                                     pk="article_id", replace=True)
    if n_shingles >= synd.MIN_SHINGLES:
        db["article_lsh"].insert_all(({"article_id": article_id, "band": b, "hash": h} for b, h in synd.bands(sig)),
                                     pk=("article_id", "band"), replace=True)


def _link(db, article_id: str, sh: set[str], sig) -> set[str]:
    """Write the copy pairs of an article (candidates from the LSH bands, checked on the texts)."""
    db.execute("DELETE FROM syndication_pairs WHERE article_id = ? OR other_article_id = ?", [article_id, article_id])
    if len(sh) < synd.MIN_SHINGLES:
        return set()
    candidates = list(db.query("""
        SELECT DISTINCT s.article_id, s.shingles, s.minhash FROM article_lsh n
        JOIN article_lsh o ON o.band = n.band AND o.hash = n.hash AND o.article_id != n.article_id
        JOIN article_syndication s ON s.article_id = o.article_id AND s.scheme = ?
        WHERE n.article_id = ?""", [synd.SCHEME, article_id]))
    pairs = []
    for c in candidates:
        # The signatures' estimate screens out most candidates before the exact check on the texts.
        est = synd.estimated_overlap(sig, synd.signature_from_bytes(c["minhash"]), len(sh), c["shingles"])
        if est < synd.THRESHOLD - 0.25:
            continue
        text = db.execute("SELECT text FROM articles WHERE id = ?", [c["article_id"]]).fetchone()
        if text is None:
            continue
        score = synd.similarity(sh, synd.shingles(text[0]))
        if synd.is_copy(score):
            a, b = sorted((article_id, c["article_id"]))
            pairs.append({"article_id": a, "other_article_id": b, "similarity": round(score, 4)})
    if pairs:
        db["syndication_pairs"].insert_all(pairs, pk=("article_id", "other_article_id"), replace=True)
    return {p["article_id"] for p in pairs} | {p["other_article_id"] for p in pairs}


def neighbourhood(db: sqlite_utils.Database, article_id: str) -> set[str]:
    """The articles linked to `article_id` and the members of its group (what deleting it can regroup)."""
    out = {r[0] for r in db.execute(
        "SELECT other_article_id FROM syndication_pairs WHERE article_id = ? UNION "
        "SELECT article_id FROM syndication_pairs WHERE other_article_id = ?", [article_id, article_id])}
    out |= {r[0] for r in db.execute(
        "SELECT article_id FROM syndication_members WHERE group_id = "
        "(SELECT group_id FROM syndication_members WHERE article_id = ?)", [article_id])}
    out.discard(article_id)
    return out


def _pairs_of(db, ids: list[str]) -> list[tuple[str, str, float]]:
    out = []
    for chunk in _chunks(ids, 400):
        marks = ",".join("?" * len(chunk))
        out += [(r[0], r[1], r[2]) for r in db.execute(
            f"SELECT article_id, other_article_id, similarity FROM syndication_pairs "
            f"WHERE article_id IN ({marks}) OR other_article_id IN ({marks})", chunk + chunk)]
    return out


def _groups_of(db, ids: Iterable[str]) -> dict[str, str]:
    out = {}
    for chunk in _chunks(sorted(set(ids)), 400):
        marks = ",".join("?" * len(chunk))
        out.update({r[0]: r[1] for r in db.execute(
            f"SELECT article_id, group_id FROM syndication_members WHERE article_id IN ({marks})", chunk)})
    return out


def regroup(db: sqlite_utils.Database, seeds: Iterable[str]) -> set[str]:
    """Recompute the groups of the articles connected to `seeds` (and of the groups they were in).

    A group keeps its id while it keeps most of its members; a new group's id derives from its canonical
    article. Returns the ids of the articles whose set of fellow members changed."""
    seeds = set(seeds)
    old_group = _groups_of(db, seeds)
    if old_group:
        marks = ",".join("?" * len(set(old_group.values())))
        seeds |= {r[0] for r in db.execute(f"SELECT article_id FROM syndication_members WHERE group_id IN ({marks})",
                                           sorted(set(old_group.values())))}
    # Every article reachable over copy pairs.
    nodes, frontier, edges = set(seeds), deque(sorted(seeds)), {}
    while frontier:
        batch = [frontier.popleft() for _ in range(min(len(frontier), 400))]
        for a, b, score in _pairs_of(db, batch):
            edges[(a, b)] = score
            for x in (a, b):
                if x not in nodes:
                    nodes.add(x)
                    frontier.append(x)
    old_group = _groups_of(db, nodes)
    old_members: dict[str, set[str]] = {}
    for aid, gid in old_group.items():
        old_members.setdefault(gid, set()).add(aid)
    comps = synd.components(nodes, edges)
    info = _article_info(db, nodes)
    comps = [c for c in comps if all(a in info for a in c)]
    # Clear the old state of these articles, then write the new groups.
    for gid in old_members:
        db.execute("DELETE FROM syndication_members WHERE group_id = ?", [gid])
        db.execute("DELETE FROM syndication_groups WHERE id = ?", [gid])
    used: set[str] = set()
    new_group: dict[str, str] = {}
    for comp in sorted(comps, key=lambda c: -len(c)):
        canonical = min(comp, key=lambda a: info[a]["order"])
        held = sorted({old_group[a] for a in comp if a in old_group} - used,
                      key=lambda g: (-len(old_members[g] & comp), g))
        gid = held[0] if held else stable_id("syndication", canonical)
        if gid in used:
            gid = stable_id("syndication", canonical, sorted(comp))
        used.add(gid)
        best: dict[str, float] = {}
        inner = [s for (a, b), s in edges.items() if a in comp and b in comp]
        for (a, b), s in edges.items():
            if a in comp and b in comp:
                best[a] = max(best.get(a, 0.0), s)
                best[b] = max(best.get(b, 0.0), s)
        outlets = sorted({info[a]["outlet"] for a in comp if info[a]["outlet"]})
        db["syndication_groups"].insert({"id": gid, "canonical_article_id": canonical, "members": len(comp),
                                         "similarity": min(inner), "outlets": json_dumps(outlets)},
                                        pk="id", replace=True)
        db["syndication_members"].insert_all(
            ({"article_id": a, "group_id": gid, "is_canonical": int(a == canonical), "similarity": best[a]}
             for a in sorted(comp)), pk="article_id", replace=True)
        for a in comp:
            new_group[a] = gid
    changed = set()
    new_members: dict[str, set[str]] = {}
    for aid, gid in new_group.items():
        new_members.setdefault(gid, set()).add(aid)
    for aid in nodes:
        before = old_members.get(old_group.get(aid), {aid}) if aid in old_group else {aid}
        after = new_members.get(new_group.get(aid), {aid}) if aid in new_group else {aid}
        if before != after:
            changed.add(aid)
    return changed


def _article_info(db, ids: Iterable[str]) -> dict[str, dict]:
    out = {}
    for chunk in _chunks(sorted(set(ids)), 400):
        marks = ",".join("?" * len(chunk))
        for r in db.query(f"""SELECT a.id, coalesce(a.published, a.ingested_at, '') AS day, a.ingested_at,
                                     a.source_key, s.outlet FROM articles a
                              LEFT JOIN article_syndication s ON s.article_id = a.id WHERE a.id IN ({marks})""",
                          chunk):
            out[r["id"]] = {"order": (r["day"] or "", r["ingested_at"] or "", r["source_key"]), "outlet": r["outlet"]}
    return out


def claims_of_articles(db: sqlite_utils.Database, article_ids: Iterable[str]) -> set[str]:
    """The tracked claims with evidence in any of these articles."""
    out: set[str] = set()
    for chunk in _chunks(sorted(set(article_ids)), 400):
        marks = ",".join("?" * len(chunk))
        out |= {r[0] for r in db.execute(
            f"SELECT DISTINCT claim_id FROM claim_evidence WHERE article_id IN ({marks})", chunk)}
    return out


def unindexed_articles(db: sqlite_utils.Database) -> list[str]:
    """Articles without a signature of the current scheme (stored before syndication, or by an older kb)."""
    return [r[0] for r in db.execute(
        "SELECT a.id FROM articles a LEFT JOIN article_syndication s ON s.article_id = a.id "
        "WHERE s.article_id IS NULL OR s.scheme != ? ORDER BY coalesce(a.published, a.ingested_at), a.source_key",
        [synd.SCHEME])]


def index_stored(db: sqlite_utils.Database, article_ids: Iterable[str]) -> set[str]:
    """Index stored articles (their text and URL from the database); returns the articles regrouped."""
    changed: set[str] = set()
    for aid in article_ids:
        row = db.execute("SELECT a.text, a.url, s.outlet FROM articles a LEFT JOIN article_syndication s "
                         "ON s.article_id = a.id WHERE a.id = ?", [aid]).fetchone()
        if row is not None:
            changed |= index_article(db, aid, row[0], row[2] or site_of_url(row[1]))
    return changed


def relink_all(db: sqlite_utils.Database) -> set[str]:
    """Rebuild the LSH bands, copy pairs and groups from the stored signatures (e.g. after a threshold change).

    Shingles are recomputed from the stored texts only to score the candidates the bands propose."""
    rows = list(db.query("SELECT s.article_id, s.minhash, s.shingles FROM article_syndication s "
                         "JOIN articles a ON a.id = s.article_id WHERE s.scheme = ? "
                         "ORDER BY coalesce(a.published, a.ingested_at), a.source_key", [synd.SCHEME]))
    before = {aid: gid for aid, gid in db.execute("SELECT article_id, group_id FROM syndication_members")}
    db.execute("DELETE FROM article_lsh")
    db.execute("DELETE FROM syndication_pairs")
    db.execute("DELETE FROM syndication_members")
    db.execute("DELETE FROM syndication_groups")
    for r in rows:
        if r["shingles"] >= synd.MIN_SHINGLES:
            db["article_lsh"].insert_all(({"article_id": r["article_id"], "band": b, "hash": h}
                                          for b, h in synd.bands(synd.signature_from_bytes(r["minhash"]))),
                                         pk=("article_id", "band"))
    for r in rows:
        if r["shingles"] >= synd.MIN_SHINGLES:
            text = db.execute("SELECT text FROM articles WHERE id = ?", [r["article_id"]]).fetchone()[0]
            _link_forward(db, r["article_id"], synd.shingles(text), synd.signature_from_bytes(r["minhash"]))
    changed = regroup(db, [r["article_id"] for r in rows])
    after = {aid: gid for aid, gid in db.execute("SELECT article_id, group_id FROM syndication_members")}
    return changed | {a for a in set(before) | set(after) if before.get(a) != after.get(a)}


def _link_forward(db, article_id: str, sh: set[str], sig) -> None:
    """Like _link, without deleting the article's stored pairs (relink_all links every article in turn)."""
    for c in db.query("""
        SELECT DISTINCT s.article_id, s.shingles, s.minhash FROM article_lsh n
        JOIN article_lsh o ON o.band = n.band AND o.hash = n.hash AND o.article_id > n.article_id
        JOIN article_syndication s ON s.article_id = o.article_id AND s.scheme = ?
        WHERE n.article_id = ?""", [synd.SCHEME, article_id]):
        est = synd.estimated_overlap(sig, synd.signature_from_bytes(c["minhash"]), len(sh), c["shingles"])
        if est < synd.THRESHOLD - 0.25:
            continue
        text = db.execute("SELECT text FROM articles WHERE id = ?", [c["article_id"]]).fetchone()[0]
        score = synd.similarity(sh, synd.shingles(text))
        if synd.is_copy(score):
            db["syndication_pairs"].insert({"article_id": article_id, "other_article_id": c["article_id"],
                                            "similarity": round(score, 4)}, pk=("article_id", "other_article_id"),
                                           replace=True)


# The articles backing a claim, with their outlet and group: the claim page and the export read these rows.
CLAIM_ARTICLES_SQL = """
SELECT e.article_id, a.title, a.source_path, a.published, a.published_local, a.url, coalesce(a.outlet, s.outlet) AS outlet, m.group_id,
       coalesce(m.is_canonical, 0) AS is_canonical, count(*) AS quotes
FROM claim_evidence e JOIN articles a ON a.id = e.article_id
LEFT JOIN article_syndication s ON s.article_id = e.article_id
LEFT JOIN syndication_members m ON m.article_id = e.article_id
WHERE e.claim_id = :id
GROUP BY e.article_id
ORDER BY coalesce(a.published, a.ingested_at), a.source_key
"""


def stories(rows: Iterable[dict]) -> list[dict]:
    """The independent stories behind a claim from CLAIM_ARTICLES_SQL rows: one per syndication group (or
    ungrouped article), led by the group's canonical article when it backs the claim, else the earliest,
    with the other backing copies in `also_published_by`."""
    by_key: dict[str, list[dict]] = {}
    for r in rows:
        by_key.setdefault(r["group_id"] or r["article_id"], []).append(dict(r))
    out = []
    for key, members in by_key.items():
        lead = next((m for m in members if m["is_canonical"]), members[0])
        copies = [m for m in members if m is not lead]
        out.append({"article_id": lead["article_id"], "title": lead["title"], "outlet": lead["outlet"],
                    "published": lead["published"], "published_local": lead["published_local"], "url": lead["url"], "source_path": lead["source_path"],
                    "syndication_group": lead["group_id"],
                    "also_published_by": [{"article_id": m["article_id"], "title": m["title"], "outlet": m["outlet"],
                                           "published": m["published"], "published_local": m["published_local"], "url": m["url"],
                                           "source_path": m["source_path"]} for m in copies]})
    return out


def claim_stories(db: sqlite_utils.Database, claim_id: str) -> list[dict]:
    return stories(db.query(CLAIM_ARTICLES_SQL, {"id": claim_id}))


def syndication_counts(db: sqlite_utils.Database) -> tuple[int, int]:
    """(articles in a syndication group, groups)."""
    row = db.execute("SELECT coalesce(sum(members), 0), count(*) FROM syndication_groups").fetchone()
    return int(row[0]), int(row[1])


def groups(db: sqlite_utils.Database) -> Iterator[dict]:
    """Every syndication group with its members (canonical first), for `kb syndication`."""
    for g in db.query("SELECT * FROM syndication_groups ORDER BY members DESC, id"):
        g = dict(g)
        g["articles"] = list(db.query(
            """SELECT m.article_id, m.is_canonical, m.similarity, s.outlet, a.title, a.source_path, a.published
               FROM syndication_members m JOIN articles a ON a.id = m.article_id
               LEFT JOIN article_syndication s ON s.article_id = m.article_id
               WHERE m.group_id = ? ORDER BY m.is_canonical DESC, coalesce(a.published, a.ingested_at), a.source_key""",
            [g["id"]]))
        yield g


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
