"""The shipped business NER (kb/models/ja_business_ner) added to ja_ginza."""

from __future__ import annotations

import pytest
import spacy

from kb.nlp.ner import (
    STOCKMARK_LABELS,
    add_business_ner,
    business_ner_spans,
    read_metrics,
)


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.load("ja_ginza")
    return add_business_ner(pipeline)


def found(doc) -> set[tuple[str, str]]:
    return {(span.text, span.label_) for span in business_ner_spans(doc)}


# Sentences written for this test (not from the Stockmark data), one obvious entity each checked.
CASES = [
    ("トヨタ自動車は愛知県豊田市に本社を置く自動車メーカーである。", "トヨタ自動車", "法人名"),
    ("ソフトバンクグループは英国の半導体設計会社アームを買収した。", "ソフトバンクグループ", "法人名"),
    ("山田太郎は東京大学を卒業後、三菱商事に入社した。", "山田太郎", "人名"),
    ("山田太郎は東京大学を卒業後、三菱商事に入社した。", "三菱商事", "法人名"),
    ("新しいデータセンターは北海道石狩市に建設される。", "北海道石狩市", "地名"),
    ("経済産業省は国内の半導体工場に補助金を出すと発表した。", "経済産業省", "政治的組織名"),
]


@pytest.mark.parametrize(("text", "entity", "label"), CASES)
def test_finds_obvious_entities(nlp, text, entity, label):
    assert (entity, label) in found(nlp(text))


def test_labels_are_the_stockmark_types(nlp):
    doc = nlp("日本電気株式会社の佐藤花子社長は大阪市で新製品を発表した。")
    spans = business_ner_spans(doc)
    assert spans
    assert {span.label_ for span in spans} <= set(STOCKMARK_LABELS)
    assert set(STOCKMARK_LABELS.values()) == {
        "person", "company", "government", "organization", "place", "facility", "product", "event",
    }


def test_ginza_entities_are_kept(nlp):
    doc = nlp("ソニーグループは2024年5月に約3000億円を投資すると発表した。")
    assert "ソニーグループ" in {span.text for span in business_ner_spans(doc)}
    ginza_labels = {ent.label_ for ent in doc.ents}
    assert "Money" in ginza_labels
    assert "Date" in ginza_labels
    assert not ginza_labels & set(STOCKMARK_LABELS)


def test_same_result_with_pipe_and_call(nlp):
    texts = [text for text, _, _ in CASES]
    piped = [found(doc) for doc in nlp.pipe(texts, batch_size=2)]
    assert piped == [found(nlp(text)) for text in texts]


def test_rest_of_ginza_still_works(nlp):
    doc = nlp("富士通は川崎市に研究所を持つ。")
    assert nlp.pipe_names[0] == "kb_ner"
    assert all(token.dep_ for token in doc)
    assert list(doc.sents)


def test_shipped_metrics_meet_the_micro_goal():
    metrics = read_metrics()
    dev = metrics["dev"]
    assert dev["micro"]["f"] >= 0.70
    assert metrics["sentences"]["dev"] >= 400
    assert set(dev["per_type"]) == set(STOCKMARK_LABELS)


def test_shipped_company_score_does_not_regress():
    assert read_metrics()["dev"]["per_type"]["法人名"]["f"] >= 0.68
