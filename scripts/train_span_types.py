"""Train kb's span-type classifier (kb/entities/span_types.py) on cross-validated tagger predictions.

First train one tagger per fold of the training split (the dev split is never touched):

    for k in 0 1 2; do
      python scripts/train_ner.py --folds 3 --fold $k --out ../cv/model$k --work ../cv/work$k
    done

then

    python scripts/train_span_types.py --cv-models ../cv/model0 ../cv/model1 ../cv/model2

runs each fold's tagger on the sentences it did not see, post-edits its spans with kb.entities.refine
(that fold's own ending table), and learns from those spans and the gold labels which type each span
really has ("" = not an entity with these boundaries). The L2 strength and the decision threshold are
chosen by cross-validation over the same folds (train on two folds' spans, decide on the third). The
classifier is written next to the shipped tagger (span_types.npz) and the shipped tagger is scored on
the held-out dev split with and without it (metrics.json "dev" / "dev_refine_only" / "dev_model_only").
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import spacy
from train_ner import (
    DEFAULT_DATA,
    DEFAULT_OUT,
    GINZA_COMPONENTS,
    evaluate,
    prf,
    split_fold,
    split_records,
)

from kb.nlp.ner import STOCKMARK_LABELS, add_business_ner, business_ner_spans
from kb.entities.refine import missed_companies, refine_span, settle_ending
from kb.entities.span_types import (
    EXTRA,
    NONE,
    WEIGHTS_FILE_NAME,
    SpanTyper,
    extra_candidates,
    fit,
    span_features,
)

LABELS = [NONE, *STOCKMARK_LABELS]
THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)  # 0.0: the classifier's argmax always
EXTRA_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)  # 1.01: never add a name the tagger missed
L2S = (1e-5, 3e-5, 1e-4, 3e-4)


def tagger(model_dir: Path):
    """The tokenizer and a kb_ner tagger only: the features read tokenizer-level attributes."""
    nlp = spacy.load("ja_ginza", exclude=GINZA_COMPONENTS)
    add_business_ner(nlp, model_dir=model_dir)
    return nlp


def fold_samples(records: list[dict], model_dir: Path, fold: int, clusters=None) -> list[dict]:
    """One sample per refined span the fold's tagger predicts on the fold's own sentences."""
    suffixes = json.loads((model_dir / "suffix_types.json").read_text(encoding="utf-8"))["suffixes"]
    nlp = tagger(model_dir)
    samples = []
    for record, doc in zip(records, nlp.pipe([r["text"] for r in records], batch_size=64)):
        gold = {(e["span"][0], e["span"][1]): e["type"] for e in record["entities"]}
        taken = [False] * (len(doc.text) + 1)
        for span in business_ner_spans(doc):
            start, end, label = refine_span(record["text"], span.start_char, span.end_char, span.label_,
                                            suffixes=suffixes)
            if not label or any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            samples.append({"fold": fold, "kind": "model", "name": record["text"][start:end],
                            "features": span_features(doc, start, end, span.label_, label, clusters),
                            "label": label, "target": gold.get((start, end), NONE)})
        for start, end in missed_companies(doc, taken, suffixes=suffixes):
            taken[start:end] = [True] * (end - start)
        for start, end in extra_candidates(doc, taken):
            samples.append({"fold": fold, "kind": "extra", "features": span_features(doc, start, end, EXTRA, EXTRA, clusters),
                            "label": NONE, "target": gold.get((start, end), NONE)})
    return samples


def decide(typer: SpanTyper, sample: dict, threshold: float, extra_threshold: float) -> str:
    if sample["kind"] == "extra":
        return typer.decide(sample["features"], NONE, extra_threshold)
    return settle_ending(sample["name"], typer.decide(sample["features"], sample["label"], threshold))


def span_scores(samples: list[dict], decided: list[str], gold_counts: Counter) -> dict:
    """Exact-match micro and company P/R/F1 of the decided labels (gold spans never predicted count as misses)."""
    tp, fp = Counter(), Counter()
    for sample, label in zip(samples, decided):
        if not label:
            continue
        (tp if label == sample["target"] else fp)[label] += 1
    company = "法人名"
    micro = prf(sum(tp.values()), sum(fp.values()), sum(gold_counts.values()) - sum(tp.values()))
    comp = prf(tp[company], fp[company], gold_counts[company] - tp[company])
    return {"micro": micro, "company": comp}


def choose(samples: list[dict], folds: int, gold_counts: Counter) -> tuple[float, float, list[dict]]:
    """(l2, threshold) with the best mean of micro and company F1 over held-out folds."""
    table = []
    grid = [(t, x) for t in THRESHOLDS for x in EXTRA_THRESHOLDS]
    baseline = span_scores(samples, [s["label"] for s in samples], gold_counts)
    print(f"refine alone: micro {baseline['micro']['f']:.4f} company {baseline['company']['f']:.4f}", flush=True)
    for l2 in L2S:
        decided = {g: [None] * len(samples) for g in grid}
        for k in range(folds):
            train = [s for s in samples if s["fold"] != k]
            vocab, w, b = fit([s["features"] for s in train], [s["target"] for s in train], LABELS, l2=l2)
            typer = SpanTyper(vocab, w, b, LABELS, 1.0)
            for i, s in enumerate(samples):
                if s["fold"] == k:
                    for g in grid:
                        decided[g][i] = decide(typer, s, *g)
        for g in grid:
            scores = span_scores(samples, decided[g], gold_counts)
            table.append({"l2": l2, "threshold": g[0], "extra_threshold": g[1], "micro_f": scores["micro"]["f"],
                          "company_f": scores["company"]["f"]})
            print(f"l2 {l2:g} threshold {g[0]} extra {g[1]}: micro {scores['micro']['f']:.4f} "
                  f"company {scores['company']['f']:.4f}", flush=True)
    best = max(table, key=lambda row: (row["micro_f"] + row["company_f"]) / 2)
    return best["l2"], best["threshold"], best["extra_threshold"], table


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Stockmark train.json")
    ap.add_argument("--dev-fraction", type=float, default=0.1)
    ap.add_argument("--cv-models", type=Path, nargs="+", required=True,
                    help="fold taggers from train_ner.py --folds N --fold K, in fold order")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the shipped tagger's directory")
    ap.add_argument("--samples", type=Path, default=ROOT / "scripts" / "ner_work" / "span_type_samples",
                    help="cache directory of the cross-validated spans, one file per fold (delete it after "
                         "retraining the fold taggers)")
    ap.add_argument("--samples-only", action="store_true",
                    help="only write the cached spans of the fold taggers given (the first N folds)")
    ap.add_argument("--folds", type=int, default=None, help="number of folds (default: as many as --cv-models)")
    ap.add_argument("--clusters", type=int, default=64, metavar="K",
                    help="word clusters (k-means of ja_ginza's vectors) as context features; 0: none")
    args = ap.parse_args(argv)

    records = json.loads(args.data.read_text(encoding="utf-8"))
    train, dev = split_records(records, args.dev_fraction)
    folds = args.folds or len(args.cv_models)
    gold_counts = Counter(e["type"] for r in train for e in r["entities"])  # every fold is held out once
    clusters = None
    if args.clusters:
        import numpy as np

        from kb.entities.span_types import cluster_vectors
        vectors = np.asarray(spacy.load("ja_ginza", exclude=GINZA_COMPONENTS).vocab.vectors.data)
        clusters = cluster_vectors(vectors, args.clusters)
    samples = []
    for k, model_dir in enumerate(args.cv_models):
        cache = args.samples / f"fold{k}-of-{folds}-clusters{args.clusters}.json"
        if not cache.exists() and args.samples_only and not (model_dir / "suffix_types.json").exists():
            print(f"fold {k}: {model_dir} is not trained yet, skipped")
            continue
        if not cache.exists():
            held = split_fold(train, folds, k)[1]
            start = time.perf_counter()
            fold = fold_samples(held, model_dir, k, clusters)
            print(f"fold {k}: {len(held)} sentences, {len(fold)} spans ({time.perf_counter() - start:.0f} s)", flush=True)
            args.samples.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(fold, ensure_ascii=False), encoding="utf-8")
        if cache.exists():
            samples += json.loads(cache.read_text(encoding="utf-8"))
    if args.samples_only:
        return
    for kind in ("model", "extra"):
        targets = Counter(s["target"] for s in samples if s["kind"] == kind)
        print(f"{kind}: {sum(targets.values())} cross-validated spans; targets {targets.most_common()}")

    l2, threshold, extra_threshold, table = choose(samples, folds, gold_counts)
    print(f"chosen: l2 {l2:g}, threshold {threshold}, extra threshold {extra_threshold}")
    extra = None if extra_threshold > 1 else extra_threshold
    vocab, w, b = fit([s["features"] for s in samples], [s["target"] for s in samples], LABELS, l2=l2)
    meta = {"source": "Stockmark Wikipedia NER v2.0, training split only (CC-BY-SA 3.0)",
            "cross_validation": {"folds": folds, "spans": len(samples), "clusters": args.clusters, "l2": l2,
                                 "threshold": threshold,
                                 "extra_threshold": extra, "grid": table}}
    SpanTyper(vocab, w, b, LABELS, threshold, extra, clusters).save(args.out / WEIGHTS_FILE_NAME, meta)
    from kb.nlp.ner import span_types
    span_types.shipped_span_typer.cache_clear()

    metrics_path = args.out / "metrics.json"
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    suffixes = json.loads((args.out / "suffix_types.json").read_text(encoding="utf-8"))["suffixes"]
    metrics["dev"], metrics["dev_refine_only"], metrics["dev_model_only"] = evaluate(dev, args.out, suffixes)
    metrics["span_types"] = meta["cross_validation"] | {"vocab": len(vocab)}
    metrics_path.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", "utf-8")
    for key in ("dev_model_only", "dev_refine_only", "dev"):
        company, micro = metrics[key]["per_type"]["法人名"], metrics[key]["micro"]
        print(f"{key:16s} company P {company['p']:.3f} R {company['r']:.3f} F1 {company['f']:.3f} | "
              f"micro P {micro['p']:.3f} R {micro['r']:.3f} F1 {micro['f']:.3f}")


if __name__ == "__main__":
    main()
