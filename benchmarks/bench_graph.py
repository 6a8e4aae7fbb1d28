"""Benchmark the entity graph on a synthetic knowledge base: build, metrics, every export format, memory.

    python benchmarks/bench_graph.py [--entities 20000] [--claims 100000] [--passages 10000] [--out DIR]

Entities get a heavy-tailed (Zipf-like) chance of taking part in a claim, as real news does: a few
companies are in thousands of claims, most entities in one or two.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb.store import open_db  # noqa: E402
from kb.graph import build_graph, compute_metrics, save_metrics  # noqa: E402
from kb.graph.readwrite import FORMATS, export_graph  # noqa: E402

TYPES = ["company", "organization", "government", "person", "country", "state", "city", "product", "project",
         "facility", "investment"]
CLAIM_TYPES = ["investment", "partnership", "manufacturing", "contract", "ownership", "role", "statistic"]
JA = ["鴻海精密工業", "ウィスコンシン州", "ソフトバンク", "東京", "データセンター", "半導体", "テキサス州"]


def make_database(path: Path, *, entities: int, claims: int, passages: int, seed: int = 0) -> None:
    """A synthetic kb database, written in one transaction."""
    rng = random.Random(seed)
    ids = [f"e{i:06d}" for i in range(entities)]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(entities)]
    entity_rows = []
    for i, eid in enumerate(ids):
        etype = TYPES[i % len(TYPES)]
        ja = JA[i % len(JA)]
        entity_rows.append({
            "id": eid, "name": f"{ja}{i}" if i % 3 == 0 else f"Entity {i}, Inc.", "type": etype,
            "name_ja": f"{ja}{i}" if i % 3 == 0 else None, "wikidata": f"Q{100000 + i}" if i % 5 == 0 else None,
            "latitude": rng.uniform(-60, 70) if etype in ("state", "city") else None,
            "longitude": rng.uniform(-180, 180) if etype in ("state", "city") else None,
            "aliases": json.dumps([f"Alias {i}", f"別名{i}"], ensure_ascii=False),
            "mentions": rng.randint(0, 50), "articles": rng.randint(0, 20), "claims": 0,
        })
    subjects = rng.choices(ids, weights=weights, k=claims)
    objects = rng.choices(ids, weights=weights, k=claims)
    claim_rows = []
    for i, (s, o) in enumerate(zip(subjects, objects)):
        ctype = CLAIM_TYPES[i % len(CLAIM_TYPES)] if i % 50 else "statistic"
        if ctype == "statistic":
            ctype = "investment"  # keep every synthetic claim an edge
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        amount = rng.choice([None, 1e9, 2.5e10, 1.4e12])
        claim_rows.append({
            "id": f"c{i:07d}", "type": ctype, "summary": f"{ctype}: {s} → {o}, \"synthetic\"", "subject_id": s,
            "object_id": o if o != s else ids[(int(s[1:]) + 1) % entities],
            "amount_min": amount, "amount_max": amount, "currency": "USD" if amount else None,
            "amount_usd": amount, "modality": rng.choice(["asserted", "reported", "planned"]),
            "polarity": "affirmed", "sources": rng.randint(1, 6), "evidence_count": 1,
            "first_seen": day, "last_seen": day, "conflicts": 0,
        })
    articles = max(1, passages // 5)
    db = open_db(path)
    with db.atomic():
        db["entities"].insert_all(entity_rows, batch_size=500)
        db["claims"].insert_all(claim_rows, batch_size=500)
        db["articles"].insert_all(({"id": f"a{a:05d}", "source_key": f"a{a}", "source_path": f"a{a}.md",
                                    "published": f"2024-{a % 12 + 1:02d}-01", "text": "x", "content_hash": str(a)}
                                   for a in range(articles)), batch_size=500)
        db["passages"].insert_all(({"id": f"p{p:06d}", "article_id": f"a{p % articles:05d}", "idx": p, "start": 0,
                                    "end": 1, "text": "x", "norm_hash": str(p), "text_hash": str(p)}
                                   for p in range(passages)), batch_size=500)
        db["mentions"].insert_all(({"id": f"m{p:06d}-{j}", "article_id": f"a{p % articles:05d}",
                                    "passage_id": f"p{p:06d}", "entity_id": e, "start": j, "end": j + 1,
                                    "text": "x"}
                                   for p in range(passages)
                                   for j, e in enumerate(rng.choices(ids, weights=weights, k=4))), batch_size=500)
    db.conn.close()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--passages", type=int, default=10_000, help="passages with 4 mentions each (co-mentions)")
    parser.add_argument("--out", type=Path, help="keep the database and exports here")
    args = parser.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="kb-bench-graph-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, float, float, str]] = []

    def timed(label, fn, detail=lambda result: ""):
        gc.collect()  # graphs hold reference cycles: free the previous step's now, not during this one
        start = time.perf_counter()
        result = fn()
        rows.append((label, time.perf_counter() - start, peak_mb(), detail(result)))
        print(f"  {label}: {rows[-1][1]:.2f} s", file=sys.stderr)
        return result

    db_path = work / "bench.db"
    if db_path.exists():
        db_path.unlink()
    timed("make database (1 transaction)", lambda: make_database(
        db_path, entities=args.entities, claims=args.claims, passages=args.passages),
        lambda _: f"{args.entities:,} entities, {args.claims:,} claims, {args.passages:,} passages")
    db = open_db(db_path)
    G = timed("build_graph(layer='claims')", lambda: build_graph(db),
              lambda g: f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges")
    timed("build_graph(layer='all')", lambda: build_graph(db, layer="all"),
          lambda g: f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges")
    timed("build_graph(entity, depth=2)", lambda: build_graph(db, entity="e000100", depth=2),
          lambda g: f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges")
    metrics = timed("compute_metrics (approx. betweenness k=500)", lambda: compute_metrics(G),
                    lambda m: f"{len({x['community'] for x in m.values()}):,} communities")
    timed("save_metrics", lambda: save_metrics(db, metrics), lambda _: f"{db['entity_metrics'].count:,} rows")
    G = build_graph(db)  # with the metrics as node attributes, as the exports would see them
    names = {"graphml": "graph.graphml", "gexf": "graph.gexf", "json": "graph.json", "cytoscape": "graph.cyjs",
             "neo4j": "neo4j"}
    for fmt in FORMATS:
        target = work / names[fmt]
        timed(f"export {fmt}", lambda: export_graph(G, fmt, target), lambda p: f"{size_of(p) / 1e6:.1f} MB")
    print(f"\n{'step':<45} {'seconds':>8} {'max RSS MB':>11}  detail")
    print("-" * 110)
    for label, seconds, rss, detail in rows:
        print(f"{label:<45} {seconds:>8.2f} {rss:>11.0f}  {detail}")
    print("-" * 110)
    print(f"{'peak memory (max RSS, whole run)':<45} {'':>8} {peak_mb():>11.0f}")
    db.conn.close()
    if args.out is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
