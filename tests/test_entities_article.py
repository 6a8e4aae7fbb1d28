"""Article-level entity rules: surnames, SoftBank by context, products/facilities/places, name hygiene.

Invented people and companies where the rule does not depend on a gazetteer entry; no benchmark text.
"""

from __future__ import annotations

import pytest

from kb.entities import (SOFTBANK_CORP, SOFTBANK_GROUP, ja_surnames, link_ja_readings, link_ja_surnames,
                         resolve_mention,
                         resolve_references, softbank_by_context)
from kb.entities.gazetteer import Gazetteer
from kb.entities.spans import Span_, _city_meant, _dateline_city, _readings_as_name, _tidy, name_problem
from kb.records import EntityRef, Mention
from kb.segment import Passage

GAZ = Gazetteer.load()


def _passages(text: str) -> list[Passage]:
    return [Passage(0, 0, len(text), text, 0, "body", text)]


def _ment(text: str, surface: str, eid: str, type_: str, source: str = "gazetteer", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(start, start + len(surface), surface, type_, EntityRef(eid, surface, type_), source, 0)


# --- Japanese surnames ---------------------------------------------------------------------------------

def test_ja_surnames():
    assert ja_surnames("マリア・デルガド") == ("デルガド",)
    assert ja_surnames("孫正義") == ("孫正", "孫")
    assert ja_surnames("OpenAI") == ()


def test_a_surname_after_the_full_name_is_that_person():
    text = "ゼファーの田辺光一会長は会見した。田辺氏は投資を表明した。マリア・デルガド社長も出席し、デルガド氏は語った。"
    tanabe, delgado = "person:tanabe", "person:delgado"
    mentions = [_ment(text, "田辺光一", tanabe, "person"), _ment(text, "マリア・デルガド", delgado, "person", "ner"),
                _ment(text, "デルガド", "person:other", "person", "ner", nth=1)]
    out = link_ja_surnames(text, mentions, _passages(text))
    got = [(m.text, m.entity.id, m.source) for m in out]
    assert ("田辺", tanabe, "alias") in got
    assert ("デルガド", delgado, "alias") in got  # the tagger's lone surname is re-pointed
    assert not any(eid == "person:other" for _, eid, _ in got)
    assert all(text[m.start:m.end] == m.text for m in out)  # exact provenance


def test_a_surname_is_linked_only_after_its_full_name_and_only_when_unambiguous():
    text = "田辺氏は語った。ゼファーの田辺光一会長と、マーロウの田辺真理社長が会談した。田辺氏は笑った。"
    mentions = [_ment(text, "田辺光一", "person:a", "person"), _ment(text, "田辺真理", "person:b", "person")]
    out = link_ja_surnames(text, mentions, _passages(text))
    assert [m.text for m in out if m.source == "alias"] == []  # two 田辺: left alone
    text = "田辺氏は語った。ゼファーの田辺光一会長が会見した。"
    out = link_ja_surnames(text, [_ment(text, "田辺光一", "person:a", "person")], _passages(text))
    assert [m.start for m in out if m.source == "alias"] == []  # before the full name: not linked
    # a bare kanji surname needs 氏 or a title after it (田辺市 is a city)
    text = "田辺光一会長が会見した。田辺市に工場がある。"
    assert [m for m in link_ja_surnames(text, [_ment(text, "田辺光一", "person:a", "person")], _passages(text))
            if m.source == "alias"] == []


def test_a_bracketed_short_name_after_a_company_names_it_later_in_the_article():
    text = "韓国の北斗電子（ホクトロン）に出資した。ホクトロンは増産する。ホクトロニクスとは別だ。"
    hokuto = "company:hokuto"
    mentions = [_ment(text, "北斗電子", hokuto, "company"), _ment(text, "ホクトロン", "person:x", "person", "ner", nth=1)]
    out = link_ja_readings(text, mentions, _passages(text))
    got = [(m.start, m.entity.id, m.entity.type) for m in out if m.text == "ホクトロン"]
    assert got == [(text.index("ホクトロン", 15), hokuto, "company")]  # re-pointed; the reading itself is not added
    assert not any(m.text.startswith("ホクトロニ") for m in out)  # a longer katakana word is another name
    assert all(text[m.start:m.end] == m.text for m in out)
    # an occurrence nobody found is added
    out = link_ja_readings(text, [_ment(text, "北斗電子", hokuto, "company")], _passages(text))
    assert [m.entity.id for m in out if m.text == "ホクトロン" and m.source == "alias"] == [hokuto]


def test_a_bracketed_form_after_a_person_or_shared_by_two_companies_is_not_linked():
    text = "田辺光一（タナベ）会長が話した。タナベは笑った。"
    out = link_ja_readings(text, [_ment(text, "田辺光一", "person:t", "person")], _passages(text))
    assert [m.text for m in out] == ["田辺光一"]
    text = "北斗電子（アメリカ）は増産する。アメリカは関税を上げた。"  # a place in brackets is no short name
    out = link_ja_readings(text, [_ment(text, "北斗電子", "company:a", "company")], _passages(text))
    assert [m.text for m in out] == ["北斗電子"]
    text = "北斗電子（ホクト）と南斗電機（ホクト）が組む。ホクトは語った。"
    mentions = [_ment(text, "北斗電子", "company:a", "company"), _ment(text, "南斗電機", "company:b", "company")]
    assert [m.text for m in link_ja_readings(text, mentions, _passages(text))] == ["北斗電子", "南斗電機"]


def test_the_first_word_of_a_katakana_name_ending_in_a_kind_of_company_names_it_later():
    """ミナトラ・キャピタル … ミナトラは: the word before ・キャピタル is the name the article goes on with."""
    text = "米ミナトラ・キャピタルが出資した。ミナトラは増資する。ミナトラスとは別だ。"
    fund = "company:minatora"
    out = link_ja_readings(text, [_ment(text, "ミナトラ・キャピタル", fund, "company")], _passages(text))
    got = [(m.start, m.entity.id) for m in out if m.text == "ミナトラ"]
    assert got == [(text.index("ミナトラは"), fund)]  # the longer katakana word ミナトラス is another name
    # no kind-of-company word after the dot: nothing is shortened; two companies sharing the word: left alone
    text = "米ミナトラ・ゼファーが出資した。ミナトラは増資する。"
    out = link_ja_readings(text, [_ment(text, "ミナトラ・ゼファー", fund, "company")], _passages(text))
    assert [m.text for m in out] == ["ミナトラ・ゼファー"]
    text = "ミナトラ・キャピタルとミナトラ・エナジーが組む。ミナトラは語った。"
    mentions = [_ment(text, "ミナトラ・キャピタル", "company:a", "company"), _ment(text, "ミナトラ・エナジー", "company:b", "company")]
    assert [m.text for m in link_ja_readings(text, mentions, _passages(text))] == ["ミナトラ・キャピタル", "ミナトラ・エナジー"]


# --- SoftBank Group or SoftBank Corp. ------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("ソフトバンクはスターゲートに出資する。", SOFTBANK_GROUP),
    ("ソフトバンクはOpenAIと合弁会社を作る。", SOFTBANK_GROUP),
    ("ソフトバンクは携帯電話の通信料金を下げる。", SOFTBANK_CORP),
    ("ソフトバンクは北海道にデータセンターを建てる。", SOFTBANK_CORP),  # no cue: the gazetteer's reading
    ("SoftBank will invest in the Vision Fund's new deal.", SOFTBANK_GROUP),
    ("SoftBank, the Japanese mobile carrier, raised prices.", SOFTBANK_CORP),
    ("SoftBank said on Monday it would build a data center.", SOFTBANK_GROUP),
])
def test_softbank_by_context(text, expected):
    surface = "ソフトバンク" if "ソフトバンク" in text else "SoftBank"
    entry = GAZ.lookup(surface)
    m = Mention(0, len(surface), surface, "company", EntityRef(entry.id, entry.name, entry.type), "gazetteer", 0)
    assert softbank_by_context(text, [m])[0].entity.id == expected


def test_softbank_full_names_are_never_changed():
    text = "ソフトバンクグループは携帯事業を持たない。"
    m = _ment(text, "ソフトバンクグループ", SOFTBANK_GROUP, "company")
    assert softbank_by_context(text, [m])[0].entity.id == SOFTBANK_GROUP


# --- "the venture" ----------------------------------------------------------------------------------------

def test_the_venture_is_the_project_named_before():
    text = "Stargate, the venture backed by Zephyr and SoftBank Group, plans data centers. SoftBank Group's chief chairs the venture."
    mentions = [(s, e, entry.id) for s, e, entry in GAZ.find(text)]
    got = [(text[s:e], ids) for s, e, ids in resolve_references(text, mentions)]
    assert got == [("the venture", ["project:stargate"]), ("the venture", ["project:stargate"])]
    text = "SoftBank Group and Zephyr formed the venture."
    assert resolve_references(text, [(s, e, entry.id) for s, e, entry in GAZ.find(text)]) == []


def test_news_outlets_are_companies_but_never_the_company_referred_to():
    assert resolve_mention("ロイター", "法人名").type == "company"
    text = "鴻海は発表した。ロイターによると、同社は工場を建てる。"
    mentions = [(s, e, entry.id) for s, e, entry in GAZ.find(text)]
    assert [ids for _, _, ids in resolve_references(text, mentions)] == [["company:hon-hai"]]


# --- products, facilities and places ------------------------------------------------------------------------

@pytest.mark.parametrize("surface,type_,eid", [
    ("ChatGPT", "product", "product:chatgpt"), ("Azure", "product", "product:azure"),
    ("iPhone", "product", "product:iphone"), ("TPU", "product", "product:tpu"),
    ("ハイペリオン", "facility", "facility:meta-hyperion"), ("Colossus 2", "facility", "facility:colossus-2"),
    ("スリーマイル島原発", "facility", "facility:three-mile-island"),
    ("Saline Township", "place", "place:US-saline-township"), ("リッチランド郡", "place", "place:US-richland-parish"),
    ("Mountain View", "city", "city:US-mountain-view"), ("OpenAI財団", "organization", "org:openai-foundation"),
])
def test_products_facilities_and_places_have_their_types(surface, type_, eid):
    entry = GAZ.lookup(surface)
    assert (entry.id, entry.type) == (eid, type_)
    # whatever the tagger called it, the gazetteer's type wins (ChatGPT is never a company)
    assert resolve_mention(surface, "法人名").id == eid


def test_places_below_a_state_know_their_state():
    assert GAZ.get("place:US-saline-township").attrs["admin1"] == "state:US-MI"
    assert GAZ.get("facility:meta-hyperion").attrs["organization"] == "company:meta"


def test_prefectures_and_us_states_are_told_apart():
    assert GAZ.get("state:JP-43").attrs["subtype"] == "prefecture" and GAZ.get("state:JP-43").attrs["country"] == "JP"
    assert GAZ.get("state:US-TX").attrs["subtype"] == "us_state" and GAZ.get("state:US-TX").attrs["country"] == "US"


# --- name hygiene -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("surface,reason", [
    ("LOI", "generic term or ticker"), ("メディア", "generic term or ticker"), ("9984.T", "generic term or ticker"),
    ("最高技術責任者", "generic term or ticker"),
    ("By Ada Kestrel", "byline or photo credit"), ("写真：ゼファー提供", "byline or photo credit"),
    ("Photo: Marlow Cloud", "byline or photo credit"),
    ("ゼファー6ギガワット", "figure with its unit"), ("Azure（アジュール", "punctuation or an unclosed bracket"),
    ("金融の話", "a phrase, not a name"), ("ゼファーの", "a phrase, not a name"),
    ("robots", "a lowercase word"), ("X", "one character"),
    ("半導体商社大手", "a trade descriptor (データセンター大手), not a name"),
    ("電力", "a company ending alone (電力, 銀行), not a name"),
])
def test_name_problem_names_the_reason(surface, reason):
    assert name_problem(surface) == reason


@pytest.mark.parametrize("surface", ["Zephyr Robotics", "ゼファー・ロボティクス", "鴻海精密工業", "とらや", "三菱UFJ銀行", "北浜電力",
                                     "Marlow Cloud (MRLW)", "xAI"])
def test_names_pass_hygiene(surface):
    assert name_problem(surface) is None


def test_tidy_cuts_leading_dashes():
    text = "――ゼファーの強みは"
    s, e = _tidy(text, 0, 6)
    assert text[s:e] == "ゼファー"


def test_tidy_cuts_figures_and_former():
    text = "ゼファー6ギガワット分"
    s, e = _tidy(text, 0, 10)
    assert text[s:e] == "ゼファー"
    text = "旧ゼファー・ロボティクス"
    s, e = _tidy(text, 0, len(text))
    assert text[s:e] == "ゼファー・ロボティクス"


def test_a_bracketed_reading_names_the_same_entity():
    text = "Grok（グロック）を使う。"
    spans = [Span_(s, e, entry.type, entry.type, "gazetteer", entry.id) for s, e, entry in GAZ.find(text)]
    assert [sp.entity_id for sp in _readings_as_name(text, spans)] == ["product:grok", "product:grok"]
    text = "グロック（Groq）を使う。"  # only a katakana reading is a reading
    spans = [Span_(s, e, entry.type, entry.type, "gazetteer", entry.id) for s, e, entry in GAZ.find(text)]
    assert [sp.entity_id for sp in _readings_as_name(text, spans)] == ["company:groq", "company:groq"]


def test_a_dateline_names_the_city():
    ny = GAZ.get("state:US-NY")
    assert _dateline_city("NEW YORK, Sept 10 – Zephyr said", 0, 8, ny).id == "city:US-new-york-city"
    assert _dateline_city("Zephyr builds in New York, Texas and Ohio.", 17, 25, ny) is None


@pytest.mark.parametrize("text, meant", [
    ("【ニューヨーク】米ゼファーは２日、", "city:US-new-york-city"),  # a Japanese dateline
    ("同社はニューヨークで記者会見を開いた。", "city:US-new-york-city"),
    ("東京とニューヨークに拠点を置く。", "city:US-new-york-city"),  # listed with a Japanese prefecture: cities
    ("Kestrel, a New York-based lender, said", "city:US-new-york-city"),
    ("The company builds plants in Texas and New York.", "state:US-NY"),  # listed with US states
    ("Zephyr builds in New York, Ohio and Indiana.", "state:US-NY"),
    ("テキサス州とニューヨーク州に建設する。", "state:US-NY"),  # 州 always says the state
    ("a campus upstate in New York State", "state:US-NY"),
    ("Tarvio keeps offices in Berlin, New York and Madrid.", "city:US-new-york-city"),  # a foreign city's list
])
def test_a_bare_new_york_is_the_city_unless_the_places_around_it_make_it_the_state(text, meant):
    matches = GAZ.find(text)
    hits = [(s, e, entry) for s, e, entry in matches if entry.id == "state:US-NY"]
    assert hits, text
    s, e, entry = hits[-1]
    got = _city_meant(text, s, e, entry, matches)
    assert (got.id if got is not None else entry.id) == meant


def test_the_state_is_named_new_york_state_and_bare_new_york_still_finds_it_for_lookups():
    ny = GAZ.get("state:US-NY")
    assert ny.name == "New York State" and "New York" in ny.aliases
    assert GAZ.get("state:US-TX").name == "Texas"  # other states keep their plain names


def test_a_product_maker_and_the_chipmaker_are_the_companies_meant():
    text = "Advanced Micro Devices will supply OpenAI with chips and could hand the ChatGPT maker a stake in the chipmaker."
    mentions = [(s, e, entry.id) for s, e, entry in GAZ.find(text)]
    got = [(text[s:e], ids) for s, e, ids in resolve_references(text, mentions)]
    assert got == [("the ChatGPT maker", ["company:openai"]), ("the chipmaker", ["company:amd"])]
    # a maker of an unknown product, or no chip company before: nothing
    text = "OpenAI met the Zorblat maker. Later the chipmaker said nothing."
    assert resolve_references(text, [(s, e, entry.id) for s, e, entry in GAZ.find(text)]) == []


def test_the_startup_is_the_company_named_last():
    text = "Nvidia plans to invest in OpenAI as the startup builds data centers."
    got = [(text[s:e], ids) for s, e, ids in resolve_references(text, [(s, e, x.id) for s, e, x in GAZ.find(text)])]
    assert got == [("the startup", ["company:openai"])]


def test_a_reference_names_a_company_the_article_does_not_name_itself():
    from kb.pipeline.analysis import resolve_mentions

    text = "Zephyr Robotics hired engineers from the ChatGPT maker."
    start = text.index("ChatGPT")
    mentions = [Mention(start, start + 7, "ChatGPT", "product", EntityRef("product:chatgpt", "", "product"),
                        "gazetteer", 0)]
    out = resolve_mentions(text, mentions, _passages(text))
    assert [(m.text, m.entity.id, m.source) for m in out] == [("the ChatGPT maker", "company:openai", "coref")]


@pytest.mark.parametrize("text,credit", [
    ("By Ada Kestrel and Tom Reed", True), ("Reporting by Tom Reed; editing by Ada Kestrel", True),
    ("写真：ゼファー・ロボティクス", True), ("（マーロウ・クラウド提供）", True), ("Photo: Marlow Cloud", True),
    ("By the end of the year, Zephyr Robotics will build in Texas.", False), ("By 2027 Zephyr will build.", False),
])
def test_bylines_and_photo_credits_name_no_entity(text, credit):
    from kb.entities.spans import _credit_lines
    assert bool(_credit_lines(text)) is credit


def test_a_byline_yields_no_entity_but_the_story_does():
    from kb.entities.spans import entity_spans

    text = "By Ada Kestrel and Tom Reed\nZephyr Robotics said Maria Delgado will open a plant in Texas."
    spans = entity_spans(text)
    line = text.index("\n")
    assert spans and not [s for s in spans if s[0] < line]
    assert any(text[s:e] == "Texas" for s, e, _ in spans)


def test_a_common_noun_is_no_person_but_a_name_with_a_title_is():
    from kb.entities.spans import entity_spans

    text = "ゼファーの田辺光一社長は、価格競争に巻き込まれる恐れは小さいと話した。"
    found = {text[s:e]: t for s, e, t in entity_spans(text)}
    assert found.get("田辺光一") == "person"
    assert "価格競争" not in found  # whatever the tagger says: a common noun with no title after it


def test_ryosha_is_two_companies_one_sentence_names():
    text = "北浜はゼファーと提携した。両社は量産する。"
    mentions = [(0, 2, "company:kitahama"), (3, 7, "company:zephyr")]
    assert [sorted(ids) for _, _, ids in resolve_references(text, mentions)] == [["company:kitahama", "company:zephyr"]]
    # the last company of one sentence and the one of the next are no pair the text made
    text = "北浜はゼファー、マーロウとの契約を結んだ。ノルデンとは協業しており、両社は量産する。"
    mentions = [(0, 2, "company:kitahama"), (3, 7, "company:zephyr"), (8, 12, "company:marlow"),
                (21, 25, "company:norden")]
    assert [ids for _, _, ids in resolve_references(text, mentions) if text.startswith("両社", _)] == []


def test_a_name_after_subsidiary_is_a_company():
    from kb.entities.spans import entity_spans

    text = "北浜電機は傘下のZenkoを通じて投資した。"  # the tagger says a product
    found = {text[s:e]: t for s, e, t in entity_spans(text)}
    assert found.get("Zenko") == "company"


def test_shinkaisha_is_the_company_just_set_up():
    text = "北浜とゼファーは合弁会社「ノルデン」を設立する。新会社は工場を運営する。"
    mentions = [(0, 2, "company:kitahama"), (3, 7, "company:zephyr"), (text.index("ノルデン"), text.index("ノルデン") + 4,
                                                                       "company:norden")]
    got = [(text[s:e], ids) for s, e, ids in resolve_references(text, mentions)]
    assert got == [("新会社", ["company:norden"])]
    # without a company set up before it, 新会社 names nobody (not the last company named)
    text = "北浜はゼファーと提携した。新会社は工場を運営する。"
    assert [ids for s, e, ids in resolve_references(text, mentions[:2]) if text[s:e] == "新会社"] == []
    # 新会社「X」 introduces X itself: not a reference
    text = "北浜は新会社「ノルデン」を設立する。"
    assert [ids for s, e, ids in resolve_references(text, [(0, 2, "company:kitahama")]) if text[s:e] == "新会社"] == []


def test_ryosha_is_the_topic_company_and_the_last_one_named():
    text = "北浜は工場を増やす。注目はゼファーとの提携だ。両社は量産する。"
    mentions = [(0, 2, "company:kitahama"), (text.index("ゼファー"), text.index("ゼファー") + 4, "company:zephyr")]
    assert [sorted(ids) for _, _, ids in resolve_references(text, mentions)] == [["company:kitahama", "company:zephyr"]]


def test_a_name_defined_in_a_press_release_bracket_names_the_company_later():
    text = ("北斗電子株式会社（本社：札幌市、代表取締役：山岸 学、以下「ホクト」）と南斗電機は提携した。"
            "合弁会社「ホクナン精機株式会社」（以下「新会社」）を設立する。ホクトは新会社に6割を出資する。")
    hokuto, jv = "company:hokuto", "company:hokunan"
    mentions = [_ment(text, "北斗電子株式会社", hokuto, "company"), _ment(text, "南斗電機", "company:nanto", "company"),
                _ment(text, "ホクナン精機株式会社", jv, "company")]
    out = link_ja_readings(text, mentions, _passages(text))
    later = text.index("ホクトは")
    assert [(m.start, m.entity.id) for m in out if m.text == "ホクト"] == [(later, hokuto)]
    assert [(m.start, m.entity.id) for m in out if m.text == "新会社"] == [(text.index("新会社に"), jv)]
    assert all(text[m.start:m.end] == m.text for m in out)
    # 以下「当社」 is no name, and a bracket without 以下 defines nothing
    text = "北斗電子株式会社（本社：札幌市、以下「当社」）は増産する。当社は語った。"
    out = link_ja_readings(text, [_ment(text, "北斗電子株式会社", hokuto, "company")], _passages(text))
    assert [m.text for m in out] == ["北斗電子株式会社"]


def test_names_listed_on_short_lines_are_separate_names():
    text = "北斗電子株式会社\nNorthstar Thermal, Inc.\n\n本日発表した。"
    start, end = _tidy(text, 0, text.index(", Inc."))
    assert text[start:end] == "北斗電子株式会社"
    long_line = "x" * 60 + " Morgan\nStanley said"  # a hard-wrapped paragraph: the name goes on
    s = long_line.index("Morgan")
    assert _tidy(long_line, s, long_line.index(" said")) == (s, long_line.index(" said"))


def test_a_spaced_full_name_led_by_a_surname_is_a_person():
    from kb import nlp
    from kb.entities.spans import doc_entity_spans

    for text, name in (("北斗精機の代表取締役社長である山岸 学は述べた。", "山岸 学"),
                       ("代表取締役社長 三浦 恵が就任する。", "三浦 恵")):
        doc = nlp.analyze([text], "ja")[0]
        assert (name, "人名") in [(text[s.start:s.end], s.label) for s in doc_entity_spans(doc, "ja")]
    text = "佐藤 工業が発表した。"  # a company written with a space is no person
    doc = nlp.analyze([text], "ja")[0]
    assert all(s.label != "人名" for s in doc_entity_spans(doc, "ja"))


def test_a_city_named_after_its_state_or_country_is_not_that_state():
    from kb import nlp
    from kb.entities.spans import doc_entity_spans

    text = "Larch Point, a Kansas City-based developer, opened offices in Mexico City and in Iowa."
    doc = nlp.analyze([text], "en")[0]
    ids = {text[s.start:s.end]: s.entity_id for s in doc_entity_spans(doc, "en")}
    assert "state:US-KS" not in ids.values() and "country:MX" not in ids.values(), ids
    assert ids.get("Iowa") == "state:US-IA"


def test_a_town_the_tagger_missed_right_after_its_state_is_a_place():
    from kb import nlp
    from kb.entities.spans import doc_entity_spans

    for text, town in (("北斗精機は三重県いなべ市に新工場を建設する。", "いなべ市"),
                       ("北斗精機はジョージア州カロルトンの工場を拡張する。", "カロルトン"),
                       ("北斗精機はジョージア州に本社を置く。同州カロルトンの工場を拡張する。", "カロルトン")):
        doc = nlp.analyze([text], "ja")[0]
        assert (town, "place") in [(text[s.start:s.end], s.type) for s in doc_entity_spans(doc, "ja")]
    for text in ("北斗精機は三重県にある町に工場を建てる。", "北斗精機はテキサス州でも生産する。"):  # phrases, not names
        doc = nlp.analyze([text], "ja")[0]
        assert [s.type for s in doc_entity_spans(doc, "ja") if s.type == "place"] == [], text


def test_a_company_followed_by_its_seat_in_brackets_stays_a_company():
    from kb import nlp
    from kb.entities.spans import doc_entity_spans

    for text, name in (("半導体材料メーカーの北浜マテリアルズ(東京・中央)は27日、新工場を建設すると発表した。", "北浜マテリアルズ"),
                       ("南星電機（本社：大阪市）は新工場を建てる。", "南星電機")):
        doc = nlp.analyze([text], "ja")[0]
        assert (name, "company") in [(text[s.start:s.end], s.type) for s in doc_entity_spans(doc, "ja")], text


def test_the_part_of_a_company_name_before_its_script_changes_names_it_later():
    from kb.entities import link_ja_prefixes

    text = "北浜マテリアルズは工場を建てる。北浜は材料を作る。北浜市にある。南北浜電機とは別だ。"
    mentions = [_ment(text, "北浜マテリアルズ", "company:kitahama", "company")]
    out = link_ja_prefixes(text, mentions, _passages(text))
    assert [(m.start, m.entity.id) for m in out if m.text == "北浜"] == [(text.index("北浜は"), "company:kitahama")]
    assert all(text[m.start:m.end] == m.text for m in out)
    # a prefix two companies share links nothing
    text = "北浜マテリアルズと北浜エナジーが組む。北浜は語った。"
    mentions = [_ment(text, "北浜マテリアルズ", "company:a", "company"), _ment(text, "北浜エナジー", "company:b", "company")]
    assert [m.text for m in link_ja_prefixes(text, mentions, _passages(text))] == ["北浜マテリアルズ", "北浜エナジー"]


def test_shares_and_officer_titles_are_not_part_of_a_company_name():
    from kb.entities.spans import _tidy

    for text, name in (("北浜精機株は一時5%高となった。", "北浜精機"), ("北浜取締役CTOの三浦恵が就任する。", "北浜"),
                       ("早川CFOは述べた。", "早川")):
        end = text.index(name) + len(name)
        stop = next(i for i in range(end, len(text)) if text[i] in "はの")
        start, got_end = _tidy(text, 0, stop)
        assert text[start:got_end] == name, text
    text = "新株予約権を発行する。"  # 新株 is a word of its own
    assert _tidy(text, 0, 2) == (0, 2)
