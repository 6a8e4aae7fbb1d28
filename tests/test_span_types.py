"""kb.entities.span_types: a classifier of each kb_ner span's name and context re-decides its type."""

from __future__ import annotations

import numpy as np
import pytest

from kb.nlp.ner import STOCKMARK_LABELS
from kb.entities.span_types import (
    NONE,
    SpanTyper,
    add_extras,
    extra_candidates,
    fit,
    retype,
    shape,
    shipped_span_typer,
    span_features,
)

LABELS = [NONE, *STOCKMARK_LABELS]


@pytest.fixture(scope="module")
def nlp():
    from kb.nlp import load_pipeline

    return load_pipeline("ja")


def span_of(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


@pytest.mark.parametrize(("name", "expected"), [
    ("トヨタ自動車", "KC"), ("WHITE FOX", "LPL"), ("ザ・ホテル東京", "KPKC"), ("つくばロボッツ", "HK"),
    ("3M", "DL"), ("ｿﾆｰ", "K"),
])
def test_shape_collapses_script_runs(name, expected):
    assert shape(name) == expected


# Sentences written for this test.
def test_features_describe_name_and_context(nlp):
    text = "2014年、北浜ロボッツに移籍した。"
    doc = nlp.make_doc(text)
    start, end = span_of(text, "北浜ロボッツ")
    feats = span_features(doc, start, end, "法人名", "法人名")
    assert {"m=法人名", "r=法人名", "e2=ッツ", "sh=CK", "R1=に", "R2=移籍", "R1R2=に|移籍", "L1=、"} <= set(feats)
    assert "cuts-token" not in feats


def test_features_read_the_tokenizer_only(nlp):
    """Docs the parser skipped (kb's parser gate) and fully analysed docs give the same features."""
    text = "同社は北浜精機の株式を取得し、大阪に新工場を建てた。"
    start, end = span_of(text, "北浜精機")
    assert span_features(nlp.make_doc(text), start, end, "人名", "法人名") == \
        span_features(nlp(text), start, end, "人名", "法人名")


def test_a_span_that_cuts_a_token_says_so(nlp):
    text = "北浜精機製作所が増産する。"
    doc = nlp.make_doc(text)
    assert "cuts-token" in span_features(doc, 0, 3, "法人名", "法人名")


def toy_typer(threshold: float) -> SpanTyper:
    """Learns that X|に|移籍 is a club (その他の組織名) and X|の|社長 a company, from made-up features."""
    samples = [["r=法人名", "R1R2=に|移籍"]] * 20 + [["r=法人名", "R1R2=の|社長"]] * 20 + [["r=法人名", "w=コーヒー"]] * 10
    targets = ["その他の組織名"] * 20 + ["法人名"] * 20 + [NONE] * 10
    vocab, w, b = fit(samples, targets, LABELS, l2=1e-4, epochs=300)
    return SpanTyper(vocab, w, b, LABELS, threshold)


def test_fit_learns_separable_labels():
    typer = toy_typer(0.5)
    assert typer.decide(["r=法人名", "R1R2=に|移籍"], "法人名") == "その他の組織名"
    assert typer.decide(["r=法人名", "R1R2=の|社長"], "法人名") == "法人名"
    assert typer.decide(["r=法人名", "w=コーヒー"], "法人名") == NONE  # dropped
    p = typer.probabilities(["r=法人名", "R1R2=に|移籍"])
    assert p.shape == (len(LABELS),) and abs(float(p.sum()) - 1) < 1e-5


def test_the_threshold_keeps_the_refined_label_when_unsure():
    unsure = ["r=法人名", "never-seen-feature"]
    typer = toy_typer(0.5)
    top = typer.labels[int(typer.probabilities(unsure).argmax())]
    p_top = float(typer.probabilities(unsure).max())
    assert p_top < 0.9
    assert typer.decide(unsure, "人名", threshold=0.99) == "人名"
    assert typer.decide(unsure, "人名", threshold=p_top - 1e-6) == top


def test_save_and_load_round_trip(tmp_path):
    typer = toy_typer(0.7)
    path = tmp_path / "span_types.npz"
    typer.save(path, {"note": "test"})
    loaded = SpanTyper.load(path)
    assert loaded.vocab == typer.vocab and loaded.labels == LABELS and loaded.threshold == pytest.approx(0.7)
    feats = ["r=法人名", "R1R2=に|移籍"]
    assert np.allclose(loaded.probabilities(feats), typer.probabilities(feats), atol=1e-3)


def test_the_shipped_classifier_is_well_formed():
    typer = shipped_span_typer()
    assert typer is not None, "kb/models/ja_business_ner/span_types.npz is missing"
    assert typer.labels == LABELS
    assert 0.0 <= typer.threshold <= 1.0
    assert typer.extra_threshold is None or 0.0 < typer.extra_threshold <= 1.0
    assert typer.weights.shape == (len(typer.vocab), len(LABELS))
    assert np.isfinite(typer.weights).all()


def test_entity_spans_ask_the_classifier(monkeypatch):
    """The classifier's decision reaches kb.nlp.entity_spans: one that drops every span leaves the gazetteer."""
    from kb import nlp as kb_nlp
    from kb.entities import span_types

    text = "北浜ロボティクスは大阪府に新工場を建てると発表した。"
    before = kb_nlp.entity_spans(text)
    assert any(t == "company" for _, _, t in before)
    drop_all = SpanTyper(["bias"], np.array([[9.0] + [0.0] * len(STOCKMARK_LABELS)]),
                         np.zeros(len(LABELS)), LABELS, 0.5)
    monkeypatch.setattr(span_types, "shipped_span_typer", lambda: drop_all)
    after = kb_nlp.entity_spans(text)
    assert not any(text[s:e] == "北浜ロボティクス" for s, e, _ in after)
    assert (text.index("大阪府"), text.index("大阪府") + 3) in {(s, e) for s, e, _ in after}  # gazetteer stays


def test_retype_leaves_dropped_spans_dropped(nlp):
    text = "株式会社などの法人組織が多い。"
    assert retype(nlp.make_doc(text), 0, 4, "法人名", "") == ""


# Sentences written for this test.
def test_extra_candidates_are_proper_nouns_and_unknown_names(nlp):
    text = "北浜は昨年、ノルヴァンテと提携し、ロボットの販売を始めた。"
    doc = nlp.make_doc(text)
    spans = {text[s:e] for s, e in extra_candidates(doc, [False] * (len(text) + 1))}
    assert {"北浜", "ノルヴァンテ"} <= spans  # a dictionary proper noun, an unknown katakana word
    assert not spans & {"昨年", "提携", "販売"}
    taken = [True] * (len(text) + 1)
    assert extra_candidates(doc, taken) == []


def test_extras_need_the_classifier_to_agree(nlp):
    text = "同社はノルヴァンテに出資した。"
    doc = nlp.make_doc(text)
    free = [False] * (len(text) + 1)
    candidates = extra_candidates(doc, free)
    assert candidates, [(t.text, t.tag_) for t in doc]
    always = SpanTyper(["m=none"], np.array([[0.0, 0.0, 9.0] + [0.0] * (len(STOCKMARK_LABELS) - 2)]),
                       np.zeros(len(LABELS)), LABELS, 0.5, extra_threshold=0.6)
    assert {(s, e) for s, e, _ in add_extras(doc, free, always)} == set(candidates)
    assert {label for _, _, label in add_extras(doc, free, always)} == {LABELS[2]}
    never = SpanTyper(always.vocab, always.weights, always.bias, LABELS, 0.5, extra_threshold=None)
    assert add_extras(doc, free, never) == []


def test_cached_docs_give_the_same_features():
    """The analysis cache (DocBin) keeps what the features read, so cached and fresh docs agree."""
    from kb import nlp as kb_nlp

    text = "同社は北浜精機の株式を取得し、大阪に新工場を建てた。"
    fresh = kb_nlp.analyze([text], "ja")[0]
    cached = kb_nlp.docs_from_bytes(kb_nlp.docs_to_bytes([fresh]), "ja")[0]
    start, end = span_of(text, "北浜精機")
    assert span_features(cached, start, end, "人名", "法人名") == span_features(fresh, start, end, "人名", "法人名")
    free = [False] * (len(text) + 1)
    assert extra_candidates(cached, free) == extra_candidates(fresh, free)


# Sentences written for this test.
@pytest.mark.parametrize("text", [
    "主要な顧客はGPUの調達を急いでいる。",
    "新興のネオクラウドと組めば、計算資源を早く確保できる。",
])
def test_generic_terms_are_not_names(text):
    from kb.entities.gazetteer import is_common_term
    from kb.nlp import entity_spans

    assert not any(is_common_term(text[s:e]) for s, e, _ in entity_spans(text))


def test_common_terms_list():
    from kb.entities.gazetteer import common_terms, is_common_term

    assert {"gpu", "hbm", "データセンター"} <= common_terms()
    assert is_common_term(" ＧＰＵ ") and not is_common_term("OpenAI") and not is_common_term("エヌビディア")


def test_word_clusters_group_vectors():
    from kb.entities.span_types import cluster_vectors

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 16))
    vectors = np.concatenate([c + 0.01 * rng.normal(size=(25, 16)) for c in centres])
    clusters = cluster_vectors(vectors, 4, seed=1)
    assert clusters.dtype == np.int16 and clusters.shape == (100,)
    for i in range(4):  # each group of near-identical vectors lands in one cluster, and groups differ
        assert len(set(clusters[25 * i:25 * (i + 1)].tolist())) == 1
    assert len(set(clusters.tolist())) == 4


def test_shipped_classifier_reads_word_clusters(nlp):
    from kb.entities.span_types import word_cluster

    typer = shipped_span_typer()
    assert typer.clusters is not None and len(typer.clusters) == nlp.vocab.vectors.shape[0]
    doc = nlp.make_doc("北浜ロボッツに移籍した。")
    assert word_cluster(doc[-3], typer.clusters).isdigit()          # 移籍 has a vector
    text = "2014年、北浜ロボッツに移籍した。"
    start, end = span_of(text, "北浜ロボッツ")
    feats = span_features(nlp.make_doc(text), start, end, "法人名", "法人名", typer.clusters)
    assert any(f.startswith("R2c=") and f[4:].isdigit() for f in feats)
