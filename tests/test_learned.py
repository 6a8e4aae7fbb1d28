"""The learned statistic pass (kb.claims.learned): whose figure is a figure no rule finder used?

Companies and sentences are invented for these tests; mentions come from the small name table below so the
tests pin down the pass independent of NER. Each positive case is checked against the same text with the
model switched off, so a test fails when the scorer (or its model file) stops contributing.
"""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from kb.claims import learned
from named_claims import run_named, statistics_of

NAMES = {
    "北浜電機": ("kitahama", "Kitahama Denki", "company"),
    "東邦電材": ("toho", "Toho Denzai", "company"),
    "Lindqvist Robotics": ("lindqvist", "Lindqvist Robotics", "company"),
    "Brandt Securities": ("brandt", "Brandt Securities", "company"),
    "Osprey Grid": ("osprey", "Osprey Grid", "company"),
}


def run(text: str, lang: str):
    return run_named(text, lang, NAMES)


def stats(text: str, lang: str) -> set[tuple]:
    return statistics_of(run(text, lang), text)


@pytest.fixture
def no_model(monkeypatch):
    monkeypatch.setattr(learned, "load_model", lambda: None)


def test_the_model_file_is_the_trained_scorer():
    data = json.loads((files("kb") / "data" / "models" / learned.MODEL_FILE).read_text(encoding="utf-8"))
    assert 0.0 < data["threshold"] < 1.0 and len(data["weights"]) > 50
    # trained on some annotated sets and reported on others: the two never overlap
    assert data["train_sets"] and data["held_out_sets"]
    assert not set(data["train_sets"]) & set(data["held_out_sets"])
    assert all(data["report"][s]["part"] == "held-out" for s in data["held_out_sets"])
    assert learned.load_model() is not None


JA_RESULTS = ("北浜電機は7日、2026年4〜9月期の決算を発表した。\n\n"
              "受注高は1120億円と同22%増えた。")


def test_a_zero_subject_change_in_a_results_story_is_the_companys(no_model):
    without = stats(JA_RESULTS, "ja")
    assert ("kitahama", 22.0) not in without


def test_the_scorer_gives_the_figure_to_the_company_the_story_is_about():
    got = stats(JA_RESULTS, "ja")
    assert ("kitahama", 22.0) in got, got


@pytest.mark.parametrize("text, lang", [
    # a market's or an industry's figure is nobody's
    ("北浜電機は決算を発表した。\n\n国内の蓄電池の市場規模は約8000億円に達した。", "ja"),
    ("北浜電機は決算を発表した。\n\n業界全体の出荷額は前年比で15%伸びた。", "ja"),
    ("Lindqvist Robotics reported results on Tuesday. Industry shipments rose 12% in the quarter.", "en"),
    # a forecaster's figure is not the forecaster's
    ("Analysts at Brandt Securities expect spending on cooling gear to climb 45% next year.", "en"),
    # two companies as one subject: neither owns the figure alone
    ("Lindqvist Robotics and Osprey Grid said demand accounts for about 18% of the regional load.", "en"),
    ("北浜電機と東邦電材は、今回の投資で生産量が約18%増えると説明した。", "ja"),
    # a topic of its own before the figure is not the article's company
    ("北浜電機は決算を発表した。\n\n「顧客企業は、投資額が前年度比20%増える見込みです」", "ja"),
    # a stake bought or sold is ownership, not a statistic
    ("北浜電機は年内に東邦電材の25%の株式を売却する方針だ。", "ja"),
    ("Lindqvist Robotics said it sold a 12% stake in Osprey Grid last year.", "en"),
    # the sum of a deal is the deal's (its finders decide), not a statistic
    ("Lindqvist Robotics earmarked a $4 billion investment for new plants.", "en"),
    ("北浜電機は、東邦電材に対する500億円の出資を検討している。", "ja"),
    # counts are the rules' (how many sites, machines, people)
    ("北浜電機は決算を発表した。\n\n候補地は全国で12カ所にのぼる。", "ja"),
])
def test_what_the_scorer_never_claims(text, lang):
    assert not [s for s in stats(text, lang) if s[0] is not None], stats(text, lang)


def test_training_pairs_figures_with_owners_and_labels_them_from_gold():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "train_statistics", Path(__file__).resolve().parent.parent / "scripts" / "train_statistics.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    items = train.collect("fresh")
    labels = [lab for _, _, ls in items for lab in ls]
    assert items and 0 < sum(labels) < len(labels)
    for _, cands, ls in items:
        assert len(cands) == len(ls)
        assert all(c.features and c.features[0] == "bias" for c in cands)
    assert learned.collect is None  # collecting is switched off again
