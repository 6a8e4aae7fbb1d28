"""Train kb's business-entity NER head on the Stockmark Wikipedia NER dataset and ship it.

Converts the dataset to spaCy DocBins (ja_ginza's split-mode-C tokens), holds out a dev split chosen
by a hash of the Wikipedia page id (sentences of one article stay together), trains the `kb_ner`
head together with a fine-tuned copy of GiNZA's tok2vec (scripts/ner/ner_ja.cfg), then evaluates the shipped
component the way kb uses it (ja_ginza + add_business_ner) with exact character-offset matching,
and writes the component, its config and metrics.json to --out.

    python scripts/train_ner.py --data ../shared/data/stockmark-ner/train.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from kb.nlp.ner import (
    COMPONENT_DIR_NAME,
    MODEL_FILE_NAME,
    STOCKMARK_LABELS,
    add_business_ner,
    business_ner_spans,
    cast_model_bytes,
)
from kb.entities.refine import learn_suffix_types, refine_span, write_suffix_types

DEFAULT_DATA = Path("../shared/data/stockmark-ner/train.json")
DEFAULT_OUT = Path("kb/data/models/ja_business_ner")
DEFAULT_CONFIG = ROOT / "scripts" / "ner" / "ner_ja.cfg"
DEFAULT_WORK = ROOT / "scripts" / "ner_work"
REFINE_NOTE = ("dev = kb_ner spans as kb uses them: post-edited by kb.entities.refine (suffix_types.json learned "
               "from the training split: endings seen >= 8 times with one type in >= 90%; legal forms), then "
               "re-typed by kb.entities.span_types (span_types.npz, scripts/train_span_types.py); "
               "dev_refine_only = without the span-type classifier; dev_model_only = the spans as the model emits them")
GINZA_COMPONENTS = [
    "tok2vec", "parser", "attribute_ruler", "ner", "morphologizer", "compound_splitter",
    "bunsetu_recognizer",
]


def is_dev(curid: str, dev_fraction: float) -> bool:
    """Whether a Wikipedia page goes to the held-out split (stable across runs and machines)."""
    digest = hashlib.sha1(f"stockmark-ner:{curid}".encode()).hexdigest()
    return int(digest[:8], 16) / 0x100000000 < dev_fraction


def split_records(records: list[dict], dev_fraction: float) -> tuple[list[dict], list[dict]]:
    """Split records into train and dev by page id."""
    train = [r for r in records if not is_dev(str(r["curid"]), dev_fraction)]
    dev = [r for r in records if is_dev(str(r["curid"]), dev_fraction)]
    return train, dev


def fold_of(curid: str, folds: int) -> int:
    """Which of `folds` cross-validation folds a page belongs to (pages of the training split only)."""
    return int(hashlib.sha1(f"stockmark-ner-fold:{curid}".encode()).hexdigest()[:8], 16) % folds


def split_fold(train: list[dict], folds: int, fold: int) -> tuple[list[dict], list[dict]]:
    """Cross-validation inside the training split: (the other folds, fold `fold`). The dev split is never used."""
    held = [r for r in train if fold_of(str(r["curid"]), folds) == fold]
    rest = [r for r in train if fold_of(str(r["curid"]), folds) != fold]
    return rest, held


def make_gold_doc(nlp, record: dict, stats: Counter) -> Doc:
    """Tokenize a record and attach its entities; spans that cut a token are marked missing."""
    doc = nlp.make_doc(record["text"])
    ents, missing = [], []
    for ent in record["entities"]:
        start, end = ent["span"]
        span = doc.char_span(start, end, label=ent["type"])
        stats["entities"] += 1
        if span is not None:
            ents.append(span)
            continue
        stats["misaligned"] += 1
        expanded = doc.char_span(start, end, alignment_mode="expand")
        if expanded is not None:
            missing.append(expanded)
    taken = {i for span in ents for i in range(span.start, span.end)}
    missing = [
        span
        for span in filter_spans(missing)
        if not taken.intersection(range(span.start, span.end))
    ]
    doc.set_ents(ents, missing=missing, default="outside")
    return doc


def swap_mentions(records: list[dict], copies: int, seed: int) -> list[dict]:
    """Mention-replacement augmentation: copies of each training sentence whose entities are replaced
    by names of the same type taken from other training sentences (Dai & Adel 2020, "An Analysis of
    Simple Data Augmentation for Named Entity Recognition"). The context stays, the name changes, so
    the model has to read the context and the name's own form instead of memorizing names.
    """
    import random

    rng = random.Random(seed)
    names: dict[str, list[str]] = {}
    for record in records:
        for ent in record["entities"]:
            start, end = ent["span"]
            names.setdefault(ent["type"], []).append(record["text"][start:end])
    out = []
    for copy in range(copies):
        for record in records:
            ents = sorted(record["entities"], key=lambda e: e["span"][0])
            if not ents or any(a["span"][1] > b["span"][0] for a, b in zip(ents, ents[1:])):
                continue  # nothing to swap, or overlapping annotation
            text, pos, new_ents = "", 0, []
            for ent in ents:
                start, end = ent["span"]
                name = rng.choice(names[ent["type"]])
                text += record["text"][pos:start]
                new_ents.append({"name": name, "span": [len(text), len(text) + len(name)], "type": ent["type"]})
                text += name
                pos = end
            text += record["text"][pos:]
            out.append({"curid": record["curid"], "text": text, "entities": new_ents})
    return out


def write_docbins(nlp, train: list[dict], dev: list[dict], work: Path) -> dict:
    """Write {split}.spacy DocBins and return alignment statistics per split."""
    work.mkdir(parents=True, exist_ok=True)
    alignment = {}
    for split, records in (("train", train), ("dev", dev)):
        stats: Counter = Counter()
        docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"])
        for record in records:
            docbin.add(make_gold_doc(nlp, record, stats))
        docbin.to_disk(work / f"{split}.spacy")
        alignment[split] = {
            "entities": stats["entities"],
            "misaligned_marked_missing": stats["misaligned"],
        }
    return alignment


def train_pipeline(config_path: Path, work: Path, seed: int, overrides: dict) -> Path:
    """Run spaCy training and return the directory of the final pipeline.

    The last checkpoint of the fixed schedule is shipped, not spaCy's model-best, so the dev split
    is not used to pick the model and its scores stay an honest held-out estimate.
    """
    from spacy.cli.train import train

    output = work / "training"
    if output.exists():
        shutil.rmtree(output)
    all_overrides = {
        "paths.train": str(work / "train.spacy"),
        "paths.dev": str(work / "dev.spacy"),
        "system.seed": seed,
        **overrides,
    }
    train(config_path, output, use_gpu=-1, overrides=all_overrides)
    return output / "model-last"


def export_component(trained_dir: Path, out: Path) -> None:
    """Ship only kb_ner, with its own copy of the fine-tuned tok2vec, weights stored as float16.

    The vocab (strings, GiNZA's static vectors) is not shipped: the loaded ja_ginza provides it.
    """
    trained = spacy.load(trained_dir)
    trained.replace_listeners("tok2vec", COMPONENT_DIR_NAME, ["model.tok2vec"])
    # The span-type classifier is trained separately (scripts/train_span_types.py, on cross-validation
    # taggers): keep it, and re-run that script if the tagger's recipe changed.
    typer = out / "span_types.npz"
    typer_bytes = typer.read_bytes() if typer.exists() else None
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    component_dir = out / COMPONENT_DIR_NAME
    trained.get_pipe(COMPONENT_DIR_NAME).to_disk(component_dir, exclude=["vocab", "model"])
    model_bytes = trained.get_pipe(COMPONENT_DIR_NAME).model.to_bytes()
    (component_dir / MODEL_FILE_NAME).write_bytes(cast_model_bytes(model_bytes, "float16"))
    config = trained.config.copy()
    for key in ("train", "dev"):
        config["paths"][key] = None
    config.to_disk(out / "config.cfg")
    if typer_bytes is not None:
        typer.write_bytes(typer_bytes)


def training_log(trained_dir: Path) -> dict:
    """spaCy's token-level dev score of its best checkpoint (monitoring only, not shipped)."""
    best = trained_dir.parent / "model-best" / "meta.json"
    perf = json.loads(best.read_text(encoding="utf-8")).get("performance", {})
    return {f"model_best_{k}": round(perf[k], 4) for k in ("ents_p", "ents_r", "ents_f") if k in perf}


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall and F1 from counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def score_char_spans(gold: list[set], pred: list[set]) -> dict:
    """Exact-match P/R/F1 per type and micro/macro over (start, end, label) character spans."""
    counts = {label: Counter() for label in STOCKMARK_LABELS}
    for gold_spans, pred_spans in zip(gold, pred):
        for start, end, label in gold_spans | pred_spans:
            if label not in counts:
                continue
            in_gold = (start, end, label) in gold_spans
            in_pred = (start, end, label) in pred_spans
            counts[label]["tp" if in_gold and in_pred else "fn" if in_gold else "fp"] += 1
    per_type = {
        label: {**prf(c["tp"], c["fp"], c["fn"]), "type": STOCKMARK_LABELS[label]}
        for label, c in counts.items()
    }
    total = sum(counts.values(), Counter())
    micro = prf(total["tp"], total["fp"], total["fn"])
    macro_f = sum(v["f"] for v in per_type.values()) / len(per_type)
    return {"per_type": per_type, "micro": micro, "macro_f": round(macro_f, 4)}


def evaluate(records: list[dict], model_dir: Path, suffixes: dict[str, str]) -> tuple[dict, dict, dict]:
    """Score ja_ginza + add_business_ner on held-out records: (as kb runs it, refine only, the model alone).

    kb post-edits the model's spans with kb.entities.refine (name endings learned from the training
    split, legal forms) and then with the span-type classifier (kb.entities.span_types), when
    span_types.npz is in `model_dir`; the other two scores show what each step adds.
    """
    from kb.entities.refine import missed_companies
    from kb.entities.span_types import WEIGHTS_FILE_NAME, SpanTyper, add_extras, retype

    typer_path = Path(model_dir) / WEIGHTS_FILE_NAME
    typer = SpanTyper.load(typer_path) if typer_path.exists() else None
    nlp = spacy.load("ja_ginza")
    add_business_ner(nlp, model_dir=model_dir)
    texts = [r["text"] for r in records]
    docs = list(nlp.pipe(texts, batch_size=64))
    gold = [{(e["span"][0], e["span"][1], e["type"]) for e in r["entities"]} for r in records]
    raw = [[(s.start_char, s.end_char, s.label_) for s in business_ner_spans(doc)] for doc in docs]
    refined, typed = [], []
    for record, doc, spans in zip(records, docs, raw):
        one, two = set(), set()
        taken = [False] * (len(doc.text) + 1)
        for start, end, model_label in spans:
            start, end, label = refine_span(record["text"], start, end, model_label, suffixes=suffixes)
            one.add((start, end, label))
            if typer is None or not label or any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            two.add((start, end, retype(doc, start, end, model_label, label, typer)))
        if typer is not None:
            for start, end in missed_companies(doc, taken, suffixes=suffixes):
                taken[start:end] = [True] * (end - start)
                two.add((start, end, "法人名"))
            two |= set(add_extras(doc, taken, typer))
        refined.append(one)
        typed.append(two if typer is not None else one)
    return (score_char_spans(gold, typed), score_char_spans(gold, refined),
            score_char_spans(gold, [set(spans) for spans in raw]))


def write_suffixes(train: list[dict], out: Path, min_count: int = 8, purity: float = 0.9) -> dict[str, str]:
    """Learn the name-ending table from the training split only and ship it next to the model."""
    table = learn_suffix_types(train, min_count=min_count, purity=purity)
    write_suffix_types(table, out, min_count=min_count, purity=purity, sentences=len(train))
    return table


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Stockmark train.json")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the model is written")
    parser.add_argument("--seed", type=int, default=0, help="training seed")
    parser.add_argument("--dev-fraction", type=float, default=0.1, help="held-out share of pages")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="spaCy config")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="scratch directory")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="spaCy config override, e.g. training.max_epochs=20 (JSON values)",
    )
    parser.add_argument(
        "--reuse-prepared",
        action="store_true",
        help="reuse the DocBins already in --work (same data and dev fraction)",
    )
    parser.add_argument(
        "--trained",
        type=Path,
        default=None,
        help="export and score this already trained pipeline (a model-last dir) instead of training",
    )
    parser.add_argument(
        "--evaluate-only", action="store_true", help="re-score the model already in --out"
    )
    parser.add_argument(
        "--folds", type=int, default=0, metavar="N",
        help="cross-validation inside the training split (for scripts/train_span_types.py): train on all "
        "folds but --fold and score on it; the dev split is not touched. Needs --out other than the shipped model",
    )
    parser.add_argument("--fold", type=int, default=0, metavar="K", help="the held-out fold (0..N-1)")
    parser.add_argument(
        "--augment", type=int, default=0, metavar="N",
        help="add N mention-swapped copies of each training sentence (default 0: none)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    overrides = {}
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    records = json.loads(args.data.read_text(encoding="utf-8"))
    train, dev = split_records(records, args.dev_fraction)
    if args.folds:
        if args.out.resolve() == (ROOT / DEFAULT_OUT).resolve():
            raise SystemExit("--folds trains a cross-validation model: give it its own --out")
        train, dev = split_fold(train, args.folds, args.fold)
    train_for_model = train + swap_mentions(train, args.augment, args.seed) if args.augment else train
    metrics_path = args.out / "metrics.json"

    if args.evaluate_only:
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        suffixes = write_suffixes(train, args.out)
        metrics["dev"], metrics["dev_refine_only"], metrics["dev_model_only"] = evaluate(dev, args.out, suffixes)
        metrics["refine"] = REFINE_NOTE
    else:
        prepared = args.work / "alignment.json"
        if args.reuse_prepared and prepared.exists():
            alignment = json.loads(prepared.read_text(encoding="utf-8"))
        else:
            ginza = spacy.load("ja_ginza", exclude=GINZA_COMPONENTS)
            alignment = write_docbins(ginza, train_for_model, dev, args.work)
            prepared.write_text(json.dumps(alignment), encoding="utf-8")
        start = time.perf_counter()
        if args.trained is None:
            trained = train_pipeline(args.config, args.work, args.seed, overrides)
            train_seconds = round(time.perf_counter() - start)
        else:
            trained, train_seconds = args.trained, None
        export_component(trained, args.out)
        suffixes = write_suffixes(train, args.out)
        dev_scores, dev_refine_only, dev_model_only = evaluate(dev, args.out, suffixes)
        metrics = {
            "dataset": "Stockmark Wikipedia NER v2.0 (training split, 4,743 sentences)",
            "data_file": args.data.name,
            "seed": args.seed,
            "dev_fraction": args.dev_fraction,
            "split": "sha1('stockmark-ner:' + curid) < dev_fraction",
            "sentences": {"train": len(train), "dev": len(dev), "augmented_copies": len(train_for_model) - len(train)},
            "alignment": alignment,
            "train_seconds": train_seconds,
            "config": args.config.name,
            "config_overrides": overrides,
            "matching": "exact character span and label; misaligned gold spans count as misses",
            "spacy_training_monitor": training_log(trained),
            "refine": REFINE_NOTE,
            "dev": dev_scores,
            "dev_refine_only": dev_refine_only,
            "dev_model_only": dev_model_only,
        }
    metrics_path.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(metrics["dev"], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
