"""Entity resolution: one id per entity across scripts and spellings, stable ids for the unknown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.entities import (
    ENTITY_TYPES,
    LEGAL_FORMS,
    NER_LABEL_TO_TYPE,
    ResolvedEntity,
    entity_id_for,
    normalize_name,
    resolve_mention,
    resolve_references,
)
from kb.entities.gazetteer import Gazetteer

GAZ = Gazetteer.load()

# (surface, type, expected id)
RESOLUTION_CASES = [
    ("ホンハイ", "company", "company:hon-hai"),
    ("鴻海", "company", "company:hon-hai"),
    ("鴻海精密工業", "company", "company:hon-hai"),
    ("Hon Hai", "company", "company:hon-hai"),
    ("Foxconn", "company", "company:hon-hai"),
    ("フォックスコン", "company", "company:hon-hai"),
    ("鴻海精密工業股份有限公司", "company", "company:hon-hai"),
    ("Hon Hai Precision Industry Co., Ltd.", "company", "company:hon-hai"),
    ("株式会社ホンハイ", "company", "company:hon-hai"),
    ("Foxconn Inc.", "company", "company:hon-hai"),
    ("ホンハイ・グループ", "company", "company:9d1e353e8deb"),
    ("富士康", "company", "company:hon-hai"),
    ("エヌビディア", "company", "company:nvidia"),
    ("NVIDIA", "company", "company:nvidia"),
    ("Nvidia Corp.", "company", "company:nvidia"),
    ("ＮＶＩＤＩＡ", "company", "company:nvidia"),
    ("英偉達", "company", "company:nvidia"),
    ("ウィスコンシン州", "state", "state:US-WI"),
    ("ウィスコンシン", "state", "state:US-WI"),
    ("Wisconsin", "place", "state:US-WI"),
    ("ウィスコンシン", "city", "state:US-WI"),
    ("株式会社ソフトバンクグループ", "company", "company:softbank-group"),
    ("ソフトバンクグループ", "company", "company:softbank-group"),
    ("SoftBank Group Corp.", "company", "company:softbank-group"),
    ("ソフトバンクグループ株式会社", "company", "company:softbank-group"),
    ("SoftBank", "company", "company:softbank-group"),
    ("ソフトバンク", "company", "company:softbank-corp"),
    ("ソフトバンク株式会社", "company", "company:softbank-corp"),
    ("SoftBank Corp.", "company", "company:softbank-corp"),
    ("オープンAI", "company", "company:openai"),
    ("オープンエーアイ", "company", "company:openai"),
    ("OpenAI", "organization", "company:openai"),
    ("マイクロソフト", "company", "company:microsoft"),
    ("台積電", "company", "company:tsmc"),
    ("TSMC", "company", "company:tsmc"),
    ("サムスン電子", "company", "company:samsung-electronics"),
    ("SKハイニックス", "company", "company:sk-hynix"),
    ("東京エレクトロン", "company", "company:tokyo-electron"),
    ("経済産業省", "government", "gov:meti"),
    ("経産省", "organization", "gov:meti"),
    ("米商務省", "government", "gov:us-commerce"),
    ("スターゲート計画", "project", "project:stargate"),
    ("Stargate", "company", "project:stargate"),
    ("米国", "country", "country:US"),
    ("アメリカ", "place", "country:US"),
    ("台湾", "country", "country:TW"),
    ("東京", "place", "state:JP-13"),
    ("東京都", "state", "state:JP-13"),
    ("熊本県", "state", "state:JP-43"),
    ("菊陽町", "city", "city:JP-kikuyo"),
    ("サム・アルトマン", "person", "person:sam-altman"),
    ("サムアルトマン", "person", "person:sam-altman"),
    ("黄仁勲", "person", "person:jensen-huang"),
    ("ジェンスン・フアン", "person", "person:jensen-huang"),
    ("劉揚偉", "person", "person:young-liu"),
    ("孫正義", "person", "person:masayoshi-son"),
    ("株式会社テスト工業", "company", "company:0d112911f90f"),
    ("テスト工業", "company", "company:0d112911f90f"),
    ("（株）テスト工業", "company", "company:0d112911f90f"),
    ("Acme Widgets Inc.", "company", "company:acmewidgets"),
    ("ACME WIDGETS", "company", "company:acmewidgets"),
    ("Wisconsin", "company", "company:wisconsin"),
]


@pytest.mark.parametrize("surface,type_,expected", RESOLUTION_CASES)
def test_entity_id_for(surface, type_, expected):
    assert entity_id_for(surface, type_) == expected


def test_ids_for_all_hon_hai_spellings_agree():
    spellings = ["ホンハイ", "鴻海", "鴻海精密工業", "Hon Hai", "Foxconn", "フォックスコン",
                 "鴻海精密工業股份有限公司", "Hon Hai Precision Industry Co., Ltd."]
    assert {entity_id_for(s, "company") for s in spellings} == {"company:hon-hai"}


def test_softbank_telecom_and_group_are_distinct():
    assert entity_id_for("ソフトバンク", "company") != entity_id_for("ソフトバンクグループ", "company")


NORMALIZE_CASES = [
    ("株式会社ホンハイ", "ホンハイ"),
    ("ホンハイ株式会社", "ホンハイ"),
    ("Foxconn Inc.", "foxconn"),
    ("Hon Hai Precision Industry Co., Ltd.", "honhaiprecisionindustry"),
    ("鴻海精密工業股份有限公司", "鴻海精密工業"),
    ("㈱テスト", "テスト"),
    ("（株）テスト", "テスト"),
    ("アーム・ホールディングス", "アームホールディングス"),
    ("アーム･ホールディングス", "アームホールディングス"),
    ("Lip-Bu Tan", "lipbutan"),
    ("ＮＶＩＤＩＡ　Ｃｏｒｐ．", "nvidia"),
    ("SAGA", "saga"),
    ("Siemens Energy AG", "siemensenergy"),
    ("Foo Co., Limited", "foo"),
    ("株式会社", "株式会社"),
    ("Inc.", "inc"),
    ("ソフトバンクグループ", "ソフトバンクグループ"),
]


@pytest.mark.parametrize("text,expected", NORMALIZE_CASES)
def test_normalize_name(text, expected):
    assert normalize_name(text) == expected


def test_legal_forms_loaded():
    assert {"株式会社", "(株)", "Inc.", "Co., Ltd.", "股份有限公司", "GmbH"} <= set(LEGAL_FORMS)
    assert "Holdings" not in LEGAL_FORMS


def test_unknown_ids_are_stable_across_processes():
    code = ("import json; from kb.entities import entity_id_for;"
            "print(json.dumps([entity_id_for(n, 'company') for n in ['株式会社テスト工業', 'Acme Inc.']]))")
    root = Path(__file__).resolve().parent.parent
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True,
                             text=True, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == ["company:0d112911f90f", "company:acme"]


# (surface, NER label, expected id, name, type)
MENTION_CASES = [
    ("OpenAI", "Person", "company:openai", "OpenAI", "company"),
    ("ウィスコンシン", "Company", "state:US-WI", "Wisconsin", "state"),
    ("ウィスコンシン州", "Province", "state:US-WI", "Wisconsin", "state"),
    ("鴻海", "ORG", "company:hon-hai", "Hon Hai Precision Industry", "company"),
    ("エヌビディア", "法人名", "company:nvidia", "Nvidia", "company"),
    ("株式会社テスト工業", "Company", "company:0d112911f90f", "テスト工業", "company"),
    ("Acme   Widgets Inc.", "ORG", "company:acmewidgets", "Acme Widgets", "company"),
    ("山田太郎", "人名", "person:ad8d3fea7aaa", "山田太郎", "person"),
    ("東京", "City", "state:JP-13", "Tokyo", "state"),
]


@pytest.mark.parametrize("surface,label,id_,name,type_", MENTION_CASES)
def test_resolve_mention(surface, label, id_, name, type_):
    resolved = resolve_mention(surface, label)
    assert isinstance(resolved, ResolvedEntity)
    assert (resolved.id, resolved.name, resolved.type) == (id_, name, type_)


def test_resolve_mention_carries_gazetteer_facts():
    resolved = resolve_mention("Foxconn", "ORG")
    assert resolved.attrs["ticker"] == "2317.TW"
    assert resolve_mention("NVIDIA", "ORG").wikidata == "Q182477"


def test_resolve_mention_skips_untracked_labels():
    assert resolve_mention("社長", "Position_Vocation") is None
    assert resolve_mention("Japanese", "NORP") is None
    assert resolve_mention("鴻海", "NORP").id == "company:hon-hai"


def test_ner_label_map_covers_the_pipelines():
    ginza = {"Company", "Corporation_Other", "Organization_Other", "International_Organization",
             "Political_Organization_Other", "Government", "Person", "Country", "Province", "City",
             "GPE_Other", "Location_Other", "Facility_Other", "Product_Other", "Event_Other", "Plan"}
    stockmark = {"人名", "法人名", "政治的組織名", "その他の組織名", "地名", "施設名", "製品名", "イベント名"}
    english = {"ORG", "PERSON", "GPE", "LOC", "FAC", "PRODUCT", "EVENT"}
    for label in ginza | stockmark | english:
        assert NER_LABEL_TO_TYPE[label] in ENTITY_TYPES, label
    for label in ("Position_Vocation", "NORP", "MONEY", "PERCENT", "DATE"):
        assert NER_LABEL_TO_TYPE[label] is None
    assert NER_LABEL_TO_TYPE["Person"] == "person" and NER_LABEL_TO_TYPE["Province"] == "state"
    assert NER_LABEL_TO_TYPE["人名"] == "person" and NER_LABEL_TO_TYPE["法人名"] == "company"
    assert NER_LABEL_TO_TYPE["ORG"] == "company" and NER_LABEL_TO_TYPE["GPE"] == "place"


def test_ner_labels_exist_in_ginza():
    import spacy

    labels = set(spacy.load("ja_ginza").get_pipe("ner").labels)
    ginza_keys = {k for k in NER_LABEL_TO_TYPE if k[0].isupper() and not k.isupper()}
    assert ginza_keys - labels == set()


# ----------------------------------------------------------------------------------------------
# References


def _mentions(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    return [(s + offset, e + offset, entry.id) for s, e, entry in GAZ.find(text)]


HON_HAI, NVIDIA, OPENAI, SBG = "company:hon-hai", "company:nvidia", "company:openai", "company:softbank-group"

REFERENCE_CASES = [
    # (earlier text, text, expected [(anaphor, ids)])
    ("", "鴻海は発表した。同社は工場を建てる。", [("同社", [HON_HAI])]),
    ("", "鴻海とエヌビディアは提携した。両社は工場を建てる。", [("両社", [NVIDIA, HON_HAI])]),
    ("", "鴻海とエヌビディアは提携した。両者は合意した。", [("両者", [NVIDIA, HON_HAI])]),
    ("", "鴻海は発表した。同社長は述べた。", []),
    ("", "鴻海の共同社長は述べた。", []),
    ("", "同社は発表した。", []),
    ("", "鴻海は発表した。両社は合意した。", []),
    ("", "米国で発表した。同社は工場を建てる。", []),
    ("", "鴻海は米国で生産する。同グループは拡大する。", [("同グループ", [HON_HAI])]),
    ("ソフトバンクグループとオープンAIが会談した。", "彼らは合意した。", [("彼ら", [OPENAI, SBG])]),
    ("鴻海は発表した。" + "あ" * 200 + "。", "彼らは合意した。", []),
    ("", "鴻海は発表した。天気は晴れ。雨も降った。彼らは驚いた。", []),
    # 彼らは/が: the company the sentence before is about, not the last one named in a list
    ("", "鴻海は資金を集めた。オープンAI、エヌビディアといった企業との契約に加え、今回の提携は彼らが攻勢に出た証拠だ。",
     [("彼ら", [HON_HAI])]),
    ("", "Foxconn said it would build servers. The company did not say when.", [("The company", [HON_HAI])]),
    ("", "Foxconn and Nvidia signed a deal. The two companies will build a plant.",
     [("The two companies", [NVIDIA, HON_HAI])]),
    # English "the company" is the company the sentences are about, the subject (written first), not the last named
    ("", "OpenAI met SoftBank. Both companies agreed; the company later confirmed.",
     [("Both companies", [SBG, OPENAI]), ("the company", [OPENAI])]),
    ("", "Foxconn agreed to supply servers to SoftBank, the company said.", [("the company", [HON_HAI])]),
    ("Nvidia said so.", " The company declined to comment.", [("The company", [NVIDIA])]),
    # 同社 is the company the sentences before are about (the subject, X は/が), not the last one named.
    ("", "鴻海は新工場を建てる。エヌビディアの設計を採用する。同社は米国で生産する。", [("同社", [HON_HAI])]),
    ("", "鴻海は新工場を建てる。同社はエヌビディアの設計を採用する。同社の工場は米国にある。",
     [("同社", [HON_HAI]), ("同社", [HON_HAI])]),
    ("", "エヌビディアの設計を鴻海が採用する。同社は米国で生産する。", [("同社", [HON_HAI])]),
    ("", "鴻海の工場でエヌビディアの設計を採用する。同社は米国で生産する。", [("同社", [NVIDIA])]),  # no subject: last named
    ("", "鴻海は新工場を建てる。投資額は未定だ。エヌビディアに納める。\n\n同社の社長は語った。", [("同社", [HON_HAI])]),
    # the owner of the topic (鴻海の劉社長は) is what that sentence is about
    ("", "エヌビディアも鴻海に出資する。鴻海の劉社長は述べた。同社の株価は上がった。", [("同社", [HON_HAI])]),
]


@pytest.mark.parametrize("earlier,text,expected", REFERENCE_CASES,
                         ids=[f"{i}-{c[1][:12]}" for i, c in enumerate(REFERENCE_CASES)])
def test_resolve_references(earlier, text, expected):
    offset = len(earlier)
    mentions = _mentions(earlier) + _mentions(text, offset)
    resolved = resolve_references(text, mentions, window_start=offset)
    assert [(text[s - offset:e - offset], ids) for s, e, ids in resolved] == expected


def test_a_place_written_after_its_state_is_its_own_span():
    """テキサス州ミラム郡-like spans: the state from the gazetteer and the county or town after it (a kanji part of
    the state such as 南部 is not a place)."""
    from kb import nlp
    from kb.entities.spans import doc_entity_spans

    text = "北浜電機はカンザス州ハーヴィー郡とネブラスカ州南部に工場を持つ。"
    doc = nlp.analyze([text], "ja")[0]
    spans = {(text[s.start:s.end], s.type) for s in doc_entity_spans(doc, "ja")}
    assert {("カンザス州", "state"), ("ハーヴィー郡", "place"), ("ネブラスカ州", "state")} <= spans
    assert not any(surface in ("南部", "ネブラスカ州南部", "カンザス州ハーヴィー郡") for surface, _ in spans)


def test_a_bare_government_is_the_one_named_last_else_japans():
    text = "政府は北斗精機に出資する。"
    assert resolve_references(text, []) == [(0, 2, ["gov:japan-government"])]
    text = "米政府は関税を上げた。政府は北斗精機に出資する。"
    got = resolve_references(text, [(0, 3, "gov:us-government")])
    assert got == [(11, 13, ["gov:us-government"])]
    # compounds are other words: 政府系, 政府関係者, 州政府
    for text in ("政府系ファンドが出資する。", "政府関係者によると出資する。", "テキサス州政府は出資する。"):
        assert resolve_references(text, []) == []
