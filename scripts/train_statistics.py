"""Train the statistic scorer of kb.claims.learned on this repository's annotated articles.

    .venv/bin/python scripts/train_statistics.py            # train, report, write kb/data/models/statistic_scorer.json
    .venv/bin/python scripts/train_statistics.py --dry-run  # report only

Each annotated set (articles + gold, tests/gold/README.md) is ingested into a temporary database with the
scorer switched to collecting: every unused figure of a sentence paired with each company it could belong to
(kb.claims.learned.candidates). A pair is positive when the article's gold has a statistic with that owner and
that figure (kb.evaluate's name and amount matching). A logistic model (L2, AdaGrad full-batch gradient
descent, numpy) is fitted on the TRAIN sets (the figures the rules' own statistics hold are training examples
too); the threshold is the one with the best F1, among those keeping MIN_PRECISION, over the figures no rule
owns in 5-fold cross-validation by article; the HELD_OUT sets are scored with the final model and only
reported. Nothing here reads outside the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.claims import learned  # noqa: E402
from kb.evaluate import _Names, amounts_agree, load_gold  # noqa: E402
from kb.pipeline.ingest import ingest_paths  # noqa: E402
from kb.store.schema import open_db  # noqa: E402

SETS = {
    "samples": ("data/articles", "tests/gold"),
    "fresh": ("tests/fixtures/fresh", "tests/gold/fresh"),
    "fresh-dev": ("tests/fixtures/fresh-dev", "tests/gold/fresh-dev"),
    "unseen": ("tests/fixtures/unseen", "tests/gold/unseen"),
    "fresh-dev2": ("tests/fixtures/fresh-dev2", "tests/gold/fresh-dev2"),
    "fresh-dev3": ("tests/fixtures/fresh-dev3", "tests/gold/fresh-dev3"),
    "final-check": ("tests/fixtures/final-check", "tests/gold/final-check"),
    "train-a": ("tests/fixtures/train-a", "tests/gold/train-a"),
    "train-b": ("tests/fixtures/train-b", "tests/gold/train-b"),
    "train-c": ("tests/fixtures/train-c", "tests/gold/train-c"),
    "train-d": ("tests/fixtures/train-d", "tests/gold/train-d"),
    "train-e": ("tests/fixtures/train-e", "tests/gold/train-e"),
}
TRAIN = ("samples", "fresh", "fresh-dev", "unseen", "fresh-dev2", "fresh-dev3", "train-a", "train-b", "train-c",
         "train-d", "train-e")
HELD_OUT = ("final-check",)
L2 = float(__import__("os").environ.get("L2", "30"))
RULE_FIGURES = __import__("os").environ.get("RULE_FIGURES", "1") == "1"
MIN_COUNT = 2  # a feature seen in fewer training pairs is dropped
MIN_PRECISION = 0.6  # the threshold keeps at least this precision in cross-validation


def collect(name: str) -> list[tuple[str, list, list[int]]]:
    """(article, candidates, labels) of one set."""
    arts, gold_dir = (ROOT / p for p in SETS[name])
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "t.db")
        learned.collect = []
        learned.collect_rule_figures = RULE_FIGURES and name in TRAIN
        try:
            ingest_paths(db, [str(arts)])
            got = learned.collect
        finally:
            learned.collect = None
            learned.collect_rule_figures = False
        by_text = {r["text"]: Path(r["source_path"]).name for r in db["articles"].rows}
        gold = {g.article: g for g in load_gold(gold_dir)}
        names = _Names(db)
        out = []
        for text, cands in got:
            art = by_text.get(text)
            g = gold.get(art)
            if g is None:
                continue
            stats = [c for c in g.claims if c.type == "statistic" and c.amount and c.polarity == "affirmed"]
            labels = []
            for c in cands:
                figs = [c.amount_dict()] + [
                    {"min": v.min, "max": v.max, "currency": v.currency, "unit": v.unit, "period": v.period}
                    for v in getattr(c.amount, "converted", ()) or ()]
                ok = any(names.matches(s.subject, c.subject.id) and any(amounts_agree(s.amount, f) for f in figs)
                         for s in stats)
                labels.append(int(ok))
            out.append((f"{name}/{art}", cands, labels))
        return out


def matrix(rows, index):
    x = np.zeros((len(rows), len(index)), dtype=np.float32)
    for i, feats in enumerate(rows):
        for f in feats:
            j = index.get(f)
            if j is not None:
                x[i, j] = 1.0
    return x


def fit(rows, labels, *, iters: int = 600, lr: float = 0.5):
    counts: dict[str, int] = {}
    for feats in rows:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    feats = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(feats)}
    x, y = matrix(rows, index), np.array(labels, dtype=np.float32)
    w = np.zeros(len(feats), dtype=np.float64)
    n = len(y)
    g2 = np.zeros_like(w)
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) / n + L2 * w / n
        g2 += grad * grad
        w -= lr * grad / (np.sqrt(g2) + 1e-8)
    return {f: float(w[i]) for f, i in index.items() if abs(w[i]) > 1e-6}


def decide(model: learned.Model, items):
    """Per figure no rule statistic owns (the ones the pass decides), the best pair over the threshold: (tp, fp,
    fn) counted over figures with a positive pair."""
    tp = fp = fn = 0
    for _, cands, labels in items:
        groups: dict[tuple, list[int]] = {}
        for i, c in enumerate(cands):
            if c.rule_owned:
                continue
            groups.setdefault((c.passage_idx, c.amount.start, c.amount.end), []).append(i)
        for idx in groups.values():
            best = max(idx, key=lambda i: model.score(cands[i].features))
            has = any(labels[i] for i in idx)
            if model.score(cands[best].features) >= model.threshold:
                if labels[best]:
                    tp += 1
                else:
                    fp += 1
                    fn += has
            else:
                fn += has
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return tp, fp, fn, p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dry-run", action="store_true", help="report only, do not write the model")
    args = ap.parse_args()
    data = {}
    for name in TRAIN + HELD_OUT:
        data[name] = collect(name)
        pos = sum(sum(l) for _, _, l in data[name])
        print(f"{name}: {len(data[name])} articles, {sum(len(c) for _, c, _ in data[name])} pairs, {pos} positive",
              file=sys.stderr)
    train = [item for name in TRAIN for item in data[name]]
    # threshold by 5-fold cross-validation over articles
    rng = random.Random(13)
    order = list(range(len(train)))
    rng.shuffle(order)
    folds = [order[k::5] for k in range(5)]
    grid = [round(0.1 + 0.05 * k, 2) for k in range(16)]
    cv = {t: [0, 0, 0] for t in grid}
    for k in range(5):
        held = set(folds[k])
        rows = [f for i, (_, c, _) in enumerate(train) if i not in held for f in (x.features for x in c)]
        labels = [lab for i, (_, _, l) in enumerate(train) if i not in held for lab in l]
        weights = fit(rows, labels)
        for t in grid:
            tp, fp, fn, *_ = decide(learned.Model(weights, t), [train[i] for i in held])
            cv[t][0] += tp
            cv[t][1] += fp
            cv[t][2] += fn

    def f1(c):
        p = c[0] / (c[0] + c[1]) if c[0] + c[1] else 0
        r = c[0] / (c[0] + c[2]) if c[0] + c[2] else 0
        return 2 * p * r / (p + r) if p + r else 0

    # F1 with precision weighed a little more (an analyst trusts fewer, right figures more): F0.7-ish via tie-break
    # the best F1 among thresholds keeping MIN_PRECISION (an analyst trusts fewer, right figures more)
    ok = [t for t in grid if cv[t][0] and cv[t][0] / (cv[t][0] + cv[t][1]) >= MIN_PRECISION] or grid[-1:]
    threshold = max(ok, key=lambda t: (round(f1(cv[t]), 2), t))
    rows = [x.features for _, c, _ in train for x in c]
    labels = [lab for _, _, l in train for lab in l]
    weights = fit(rows, labels)
    model = learned.Model(weights, threshold)
    report = {"threshold": threshold,
              "cv": {str(t): {"tp": c[0], "fp": c[1], "fn": c[2], "f1": round(f1(c), 3)} for t, c in cv.items()}}
    for name in TRAIN + HELD_OUT:
        tp, fp, fn, p, r, f = decide(model, data[name])
        report[name] = {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 3), "r": round(r, 3), "f1": round(f, 3),
                        "part": "train" if name in TRAIN else "held-out"}
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if args.dry_run:
        return
    out = ROOT / "kb" / "data" / "models" / learned.MODEL_FILE
    top = sorted(weights.items(), key=lambda kv: -abs(kv[1]))
    out.write_text(json.dumps({
        "about": "kb.claims.learned statistic scorer: logistic weights over (figure, owner) pair features; "
                 "trained by scripts/train_statistics.py",
        "trained": date.today().isoformat(), "train_sets": list(TRAIN), "held_out_sets": list(HELD_OUT),
        "threshold": threshold, "report": report,
        "weights": dict(sorted(weights.items())), "top_features": [k for k, _ in top[:25]],
    }, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)} ({len(weights)} weights)", file=sys.stderr)


if __name__ == "__main__":
    main()
