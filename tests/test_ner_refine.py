"""kb.entities.refine: name endings and legal forms settle the types and extents of kb_ner's spans."""

from __future__ import annotations

import pytest

from kb.nlp.ner import STOCKMARK_LABELS
from kb.entities.refine import learn_suffix_types, refine_span, shipped_suffix_types

NO_TABLE: dict[str, str] = {}


def span_of(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


# Sentences written for this test.
@pytest.mark.parametrize(("text", "name", "label", "expected"), [
    ("杉本は東和興業に事業の売却を打診した。", "東和興業", "人名", "法人名"),
    ("社名はそのまま「北浜石油」が引き継いだ。", "北浜石油", "製品名", "法人名"),
    ("彼はハワード・アンド・カンパニーに勤めた。", "ハワード・アンド・カンパニー", "人名", "法人名"),
    ("秋に開かれた東京ロボットショーで披露された。", "東京ロボットショー", "法人名", "イベント名"),
    ("湾岸新線の開業は2027年の予定だ。", "湾岸新線", "法人名", "施設名"),
    ("サンプル有限会社は新工場を建てた。", "サンプル有限会社", "その他の組織名", "法人名"),
    ("Example Holdings Inc. opened a plant.", "Example Holdings Inc.", "製品名", "法人名"),
    ("田中一郎は東京都の出身だ。", "田中一郎", "人名", "人名"),            # no telling ending: unchanged
    ("日米自動車協議が始まった。", "日米", "地名", "地名"),
])
def test_endings_decide_the_type(text, name, label, expected):
    start, end = span_of(text, name)
    assert refine_span(text, start, end, label, suffixes=NO_TABLE) == (start, end, expected)


def test_a_company_name_takes_its_legal_form():
    text = "さくら監査法人が調査を受けた。"
    start, end = span_of(text, "さくら監査")
    assert refine_span(text, start, end, "法人名", suffixes=NO_TABLE) == (start, start + len("さくら監査法人"), "法人名")
    text = "株式会社サンプルテックは東京に本社を置く。"
    start, end = span_of(text, "サンプルテック")
    assert refine_span(text, start, end, "法人名", suffixes=NO_TABLE) == (0, end, "法人名")
    # Only companies grow: a person's name before 株式会社 stays as it is.
    text = "山田株式会社社長"
    assert refine_span(text, 0, 2, "人名", suffixes=NO_TABLE) == (0, 2, "人名")


def test_learned_endings_override_the_tagger():
    table = {"大学": "法人名"}
    text = "彼は北浜大学を卒業した。"
    start, end = span_of(text, "北浜大学")
    assert refine_span(text, start, end, "地名", suffixes=table) == (start, end, "法人名")
    # The ending must be shorter than the name: 大学 alone is not a university's name.
    text = "大学に進んだ。"
    assert refine_span(text, 0, 2, "地名", suffixes=table) == (0, 2, "地名")


def test_learning_keeps_frequent_pure_endings_only():
    def rec(name: str, type_: str) -> dict:
        return {"text": f"{name}。", "entities": [{"span": [0, len(name)], "type": type_}]}

    records = [rec(f"北{i}大学", "法人名") for i in range(9)]          # 9/9: kept
    records += [rec(f"南{i}銀行", "法人名") for i in range(7)]         # 7 < min_count: dropped
    records += [rec(f"東{i}公園", "施設名") for i in range(8)]
    records += [rec(f"西{i}公園", "地名") for i in range(2)]           # 8/10 < purity: dropped
    table = learn_suffix_types(records, min_count=8, purity=0.9)
    assert table["大学"] == "法人名"
    assert "銀行" not in table and "公園" not in table


def test_the_shipped_table_is_well_formed():
    table = shipped_suffix_types()
    assert len(table) > 50
    assert set(table.values()) <= set(STOCKMARK_LABELS)
    assert all(2 <= len(suffix) <= 4 for suffix in table)


def test_the_tail_of_a_latin_word_is_no_ending():
    def rec(name: str, type_: str) -> dict:
        return {"text": f"{name}。", "entities": [{"span": [0, len(name)], "type": type_}]}

    records = [rec(f"{c}BM", "法人名") for c in "ABCDEFGHIJ"] + [rec(f"{c}FC", "その他の組織名") for c in "北南東西中上下前後"]
    table = learn_suffix_types(records, min_count=8, purity=0.9)
    assert "BM" not in table and table["FC"] == "その他の組織名"
    text = "HBMの量産が始まった。"
    assert refine_span(text, 0, 3, "製品名", suffixes={"BM": "法人名"}) == (0, 3, "製品名")


def test_a_legal_form_alone_is_dropped():
    text = "株式会社などの法人組織が多い。"
    assert refine_span(text, 0, 4, "法人名", suffixes=NO_TABLE)[2] == ""


@pytest.fixture(scope="module")
def tokenizer():
    from kb.nlp import load_pipeline

    return load_pipeline("ja").make_doc


# Sentences written for this test.
@pytest.mark.parametrize(("text", "name"), [
    ("株式会社サンプルテックは東京に本社を置く。", "株式会社サンプルテック"),   # legal form + nouns
    ("同社は豊和工業と納入契約を結んだ。", "豊和工業"),                         # dictionary proper noun, company ending
    ("同社は米ハネウェルと提携した。", "ハネウェル"),                           # a country, then a katakana proper noun
    ("ミズホラ・フォトニクスは増資を決めた。", "ミズホラ・フォトニクス"),       # katakana words with ・, a business word last
    ("同社はカサギ・ケミカル・アメリカに出資する。", "カサギ・ケミカル・アメリカ"),
])
def test_missed_companies_are_found_from_tokens(tokenizer, text, name):
    from kb.entities.refine import missed_companies

    doc = tokenizer(text)
    start = text.index(name)
    assert (start, start + len(name)) in missed_companies(doc, [False] * (len(text) + 1), suffixes=NO_TABLE)
    taken = [False] * (len(text) + 1)
    taken[start] = True  # already inside another entity: left alone
    assert missed_companies(doc, taken, suffixes=NO_TABLE) == []


def test_missed_companies_leave_plain_text_alone(tokenizer):
    from kb.entities.refine import missed_companies

    text = "株式会社などの法人組織が多いが、工業地帯の放送局もある。"
    assert missed_companies(tokenizer(text), [False] * (len(text) + 1), suffixes=NO_TABLE) == []
    for text in ("米メディアによると増産する。", "米ボストンに拠点を置く。",  # a common noun, a place
                 "ジョン・ミラー氏は述べた。", "サラ・ベイカーは語った。"):  # a person's name with ・
        assert missed_companies(tokenizer(text), [False] * (len(text) + 1), suffixes=NO_TABLE) == []


# Sentences written for this test.
@pytest.mark.parametrize(("text", "span", "name"), [
    ("工場は米建設大手ベクテルが請け負う。", "米建設大手ベクテル", "ベクテル"),
    ("韓国電子大手ノルデンは増産する。", "韓国電子大手ノルデン", "ノルデン"),
    ("米オープンAIは発表した。", "米オープンAI", "オープンAI"),
    ("米Nortovaは発表した。", "米Nortova", "Nortova"),
    ("中ソ対立が深まった。", "中ソ対立", "中ソ対立"),          # ソ対立 is no name: kept whole
    ("大手町本部ビルに移転した。", "大手町本部ビル", "大手町本部ビル"),  # 大手町 is a place
    ("工場は米子会社ノルデックが運営する。", "米子会社ノルデックが", "ノルデックが"),
    ("完全子会社Zentraを通じて出資する。", "完全子会社Zentra", "Zentra"),
    ("子会社化を決めた。", "子会社化", "子会社化"),  # no name after 子会社: kept whole
])
def test_a_leading_country_and_trade_is_cut_off(text, span, name):
    start, end = span_of(text, span)
    new_start, new_end, _ = refine_span(text, start, end, "法人名", suffixes=NO_TABLE)
    assert text[new_start:new_end] == name


def test_endings_have_the_last_word_after_the_classifier():
    from kb.entities.refine import settle_ending

    assert settle_ending("リーマンショック", "法人名") == "イベント名"
    assert settle_ending("ノルヴァショック", "製品名") == "イベント名"
    assert settle_ending("サンプル株式会社", "人名") == "法人名"
    assert settle_ending("湾岸新線", "法人名") == "施設名"
    assert settle_ending("北浜ロボティクス", "法人名") == "法人名"
    assert settle_ending("田中一郎", "人名") == "人名"
    assert settle_ending("株式会社", "") == ""


def test_a_think_tank_is_a_company_not_a_facility():
    from kb.entities.refine import settle_ending
    text = "なぎさ経済研究所の研究員は述べた。"
    start, end = span_of(text, "なぎさ経済研究所")
    assert refine_span(text, start, end, "施設名", suffixes=NO_TABLE)[2] == "法人名"
    assert settle_ending("みなと総研", "施設名") == "法人名"
    assert settle_ending("みなと研究所", "施設名") == "施設名"  # a plain laboratory stays a facility
