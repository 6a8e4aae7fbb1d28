"""kb.nlp.entity_spans: the interface the independent evaluation calls."""

from __future__ import annotations

import pytest

from kb.nlp import detect_language, entity_spans

CASES = [
    ("鴻海精密工業とOpenAIは、ウィスコンシン州とテキサス州でAIサーバーを製造すると発表した。",
     {("鴻海精密工業", "company"), ("OpenAI", "company"), ("ウィスコンシン州", "state"), ("テキサス州", "state")}),
    ("エヌビディアのジェンスン・フアンCEOは台湾で講演した。",
     {("エヌビディア", "company"), ("ジェンスン・フアン", "person"), ("台湾", "country")}),
    ("Foxconn and OpenAI will build AI server racks in Ohio and Virginia, Young Liu said.",
     {("Foxconn", "company"), ("OpenAI", "company"), ("Ohio", "state"), ("Virginia", "state"),
      ("Young Liu", "person")}),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_entity_spans_find_and_type_entities(text, expected):
    spans = entity_spans(text)
    found = {(text[s:e], t) for s, e, t in spans}
    assert expected <= found, found
    assert all(0 <= s < e <= len(text) for s, e, _ in spans)
    assert spans == sorted(spans)
    # Non-overlapping.
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_entity_spans_on_long_and_empty_text():
    assert entity_spans("") == [] and entity_spans("   ") == []
    long_text = ("ソフトバンクグループはアリゾナ州の新工場に投資する。" * 400)  # > SudachiPy's input limit in bytes
    spans = entity_spans(long_text)
    assert len([1 for s, e, t in spans if long_text[s:e] == "アリゾナ州" and t == "state"]) == 400


@pytest.mark.parametrize("text,declared,lang", [
    ("鴻海はAIサーバーを製造する。", None, "ja"),
    ("Foxconn builds AI servers.", None, "en"),
    ("Foxconn builds AI servers.", "ja", "ja"),
    ("北浜電機は東京都で会見した。", None, "ja"),                      # kana make it Japanese
    ("東邦電材在德州興建新工廠，投資金額已經很明顯超過十億美元。", None, "zh"),   # Traditional Chinese
    ("东邦电材在德州兴建新工厂，投资金额已经超过十亿美元。", None, "zh"),         # Simplified Chinese
    ("동방전재는 텍사스에 새 공장을 짓는다.", None, "ko"),
    ("東邦電材在德州興建新工廠。", "ja", "ja"),                         # front matter wins
    ("Foxconn construit une usine.", "fr", "fr"),
    ("鴻海はAIサーバーを製造する。", "jp", "ja"),
])
def test_detect_language(text, declared, lang):
    assert detect_language(text, declared) == lang


def test_chinese_text_has_no_entity_spans():
    assert entity_spans("東邦電材在德州興建新工廠，已經很明顯。") == []
