"""Score kb.nlp.entity_spans (gazetteer + kb_ner, as kb runs it) on the held-out Stockmark split.

    python scripts/eval_entity_spans.py [--data ../shared/data/stockmark-ner/train.json] [--no-gazetteer]

Uses the same deterministic dev split as scripts/train_ner.py; prints P/R/F1 per Stockmark type.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_ner import is_dev, prf  # noqa: E402

OUR_TO_STOCKMARK = {"person": "人名", "company": "法人名", "government": "政治的組織名", "organization": "その他の組織名",
                    "place": "地名", "state": "地名", "country": "地名", "city": "地名", "facility": "施設名",
                    "product": "製品名", "event": "イベント名", "project": "その他の組織名"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="../shared/data/stockmark-ner/train.json")
    ap.add_argument("--dev-fraction", type=float, default=0.1)
    ap.add_argument("--no-gazetteer", action="store_true", help="Score the NER model alone.")
    args = ap.parse_args()
    from kb import nlp
    from kb.entities.gazetteer import Gazetteer

    if args.no_gazetteer:
        Gazetteer.find = lambda self, text: []  # the model's own contribution
    records = [r for r in json.loads(Path(args.data).read_text(encoding="utf-8")) if is_dev(str(r["curid"]), args.dev_fraction)]
    counts = {k: Counter() for k in set(OUR_TO_STOCKMARK.values())}
    for r in records:
        gold = {(e["span"][0], e["span"][1], e["type"]) for e in r["entities"]}
        pred = {(s, e, OUR_TO_STOCKMARK[t]) for s, e, t in nlp.entity_spans(r["text"]) if t in OUR_TO_STOCKMARK}
        for s, e, t in pred:
            counts[t]["tp" if (s, e, t) in gold else "fp"] += 1
        for s, e, t in gold - pred:
            counts[t]["fn"] += 1
    total = Counter()
    print(f"{len(records)} held-out sentences; gazetteer {'off' if args.no_gazetteer else 'on'}")
    for t, c in sorted(counts.items()):
        total.update(c)
        m = prf(c["tp"], c["fp"], c["fn"])
        print(f"{t:8s} P {m['p']:.3f} R {m['r']:.3f} F1 {m['f']:.3f}  (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
    m = prf(total["tp"], total["fp"], total["fn"])
    print(f"{'micro':8s} P {m['p']:.3f} R {m['r']:.3f} F1 {m['f']:.3f}")


if __name__ == "__main__":
    main()
