"""Japanese constructions that lost claims on real articles (session 8): a time as the topic of a sentence
without a subject, the size of a plant written after what it includes, …

Every sentence here is written for these tests, with the invented companies and places of
test_claims_ja_constructions.
"""

from __future__ import annotations

import pytest

from test_claims import C, E, SURFACES, check, run
import test_claims_ja_constructions  # noqa: F401  (its names: 北浜電機, 東邦電材, Nortova, ハーロウ郡)

E.update({"tokyo": ("Tokyo", "state")})
SURFACES.update({"東京": "tokyo"})

B = 1e9

CASES = [
    # A time as the topic (現在は, 今後は) is no subject: three sentences after the company was last named, the
    # clause is still about the company the article is about.
    ("北浜電機は12日、決算を発表した。需要は強い。受注は増えた。利益も伸びた。"
     "現在はオハイオ州とテキサス州の工場で生産している。", None,
     [C("manufacturing", "kitahama", p) for p in ("ohio", "texas")]),
    # ...but a topic that is not a time still is (顧客は).
    ("北浜電機は12日、決算を発表した。需要は強い。受注は増えた。利益も伸びた。"
     "顧客はオハイオ州とテキサス州の工場で生産している。", None, []),
    # The size of a plant built, written after what it includes (土地取得を含め, 関連設備を合わせて).
    ("北浜電機はテキサス州に新工場を建設する。投資額は土地取得を含め総額約8億ドル。", None,
     [C("manufacturing", "kitahama", "texas"),
      C("investment", "kitahama", "texas", amount=(0.8 * B, 0.8 * B, "USD", None))]),
    ("東邦電材はオハイオ州に新工場を建てる。総事業費は関連設備を合わせて約5億ドルを見込む。", None,
     [C("manufacturing", "toho", "ohio"),
      C("investment", "toho", "ohio", amount=(0.5 * B, 0.5 * B, "USD", None))]),
    # ...an acquisition's price sizes no plant (買収額: the price of a company).
    ("北浜電機はテキサス州の工場で部品を生産している。買収額は負債を含めて約18億ドル。", None,
     [C("manufacturing", "kitahama", "texas")]),
    # ...not the size of something else (売上高は…: a statistic of its own).
    ("北浜電機はテキサス州に新工場を建設する。売上高は海外を含め約8億ドル。", None,
     [C("manufacturing", "kitahama", "texas"), C("statistic", "kitahama", None)]),
    # A seat in brackets after the name (X(東京・中央)は) leaves the name the subject.
    ("北浜電機(東京・中央)は3日、テキサス州に新工場を建設すると発表した。", None,
     [C("manufacturing", "kitahama", "texas", by="kitahama")]),
    ("東邦電材（東京・港）が、オハイオ州で部品を生産する。", None, [C("manufacturing", "toho", "ohio")]),
    # A place the goods are sent to (…をBの工場に輸出する) is not where they are made.
    ("北浜電機は、テキサス州で生産した部品を、メキシコや台湾の顧客の工場に輸出する。", None,
     [C("manufacturing", "kitahama", "texas")]),
    ("北浜電機は、テキサス州の工場で作った部品をメキシコへ出荷している。", None,
     [C("manufacturing", "kitahama", "texas")]),
    # A shareholding sentence several sentences after the venture is set up, its holders the founders named there;
    # two holders sharing one percentage (BとCがそれぞれ30%).
    ("北浜電機、東邦電材、ZENAの3社は合弁会社「Nortova」を設立した。Nortovaはテキサス州に拠点を置く。"
     "従業員は約300人。稼働は来年だ。出資比率は北浜電機が40%、東邦電材とZENAがそれぞれ30%。", None,
     [C("partnership", a, b, kind="joint_venture") for a, b in (("kitahama", "toho"), ("kitahama", "zena"),
                                                               ("toho", "zena"))]
     + [C("ownership", h, "nortova", amount=(p, p, "percent", None))
        for h, p in (("kitahama", 40), ("toho", 30), ("zena", 30))]),
    # ...far back, not of holders the setting-up sentence does not name.
    ("北浜電機と東邦電材は合弁会社「Nortova」を設立した。Nortovaは拠点を置く。従業員は約300人。稼働は来年だ。"
     "出資比率はZENAが40%、AMDが30%。", None,
     [C("partnership", "kitahama", "toho", kind="joint_venture")]),
    # The thing traded as the topic (サーバーは…から調達する, 電源装置はBが供給する, サーバーはB製を採用した): the buyer is
    # the company the sentences before are about.
    ("北浜電機はオハイオ州に新拠点を建設する。サーバーは東邦電材から調達するほか、冷却設備と電源装置はNortovaが供給する。",
     None, [C("investment", "kitahama", "ohio", purpose="site"), C("contract", "kitahama", "toho"),
            C("contract", "kitahama", "nortova")]),
    ("北浜電機は新工場を建てた。組み込むチップは、東邦電材などから調達する見通し。", None,
     [C("contract", "kitahama", "toho", modality="forecast")]),
    ("北浜電機はオハイオ州にDCを開設した。サーバーは東邦電材(TDZ)製を採用した。", None,
     [C("investment", "kitahama", "ohio", purpose="site"), C("contract", "kitahama", "toho")]),
    # ...in a paragraph whose sentences have no company as their topic yet, the company the article is about (not the
    # pair the paragraph before was about).
    ("北浜電機は10日、オハイオ州に新拠点を建設すると発表した。\n\n東邦電材とNortovaも協業する。両社は共同で検討する。\n\n"
     "新拠点にはAMDのGPUを搭載したサーバーを約5万基導入する。サーバーはZENAから調達する。", None,
     [C("investment", "kitahama", "ohio", purpose="site", by="kitahama"), C("partnership", "nortova", "toho"),
      C("contract", "kitahama", "zena")]),
    # ...but a thing several makers supply (HBMはA、Bが供給している) describes a market, not a deal.
    ("北浜電機はオハイオ州に新拠点を建設する。メモリーは東邦電材やNortovaが供給している。", None,
     [C("investment", "kitahama", "ohio", purpose="site")]),
    # ...not an actor as the topic (各社は, 投資家は), and 採用 of people is no contract.
    ("北浜電機は新工場を建てた。各社は、東邦電材から調達する見通し。", None, []),
    ("北浜電機は新工場を建てた。新卒は約400人を採用する。", None, []),
    # DC, the press's short word for a data center, is a site noun.
    ("東邦電材はオハイオ州に新たなDCを開設した。", None, [C("investment", "toho", "ohio", purpose="site")]),
    ("北浜電機はテキサス州でも大型DCを建設している。", None, [C("investment", "kitahama", "texas", purpose="site")]),
    # ...but not the DC of a current (DC電源, 直流) that is only installed.
    ("北浜電機はテキサス州の工場にDC電源を設置した。", None, [C("manufacturing", "kitahama", "texas")]),
    # A list member set off with its trade (A、B、米国の部品大手、Cの3社): still a member of the list.
    ("経済産業省は、北浜電機、東邦電材、米国の部品大手、Nortovaの3社が設立した合弁会社に対し、補助すると発表した。", None,
     [C("partnership", a, b, kind="joint_venture", by="meti") for a, b in (("kitahama", "toho"), ("kitahama", "nortova"),
                                                               ("nortova", "toho"))]),
    # ...not a clause of its own (…を買収した米国の部品大手、C).
    ("北浜電機は東邦電材と提携した米国の部品大手、Nortovaに出資した。", None,
     [C("partnership", "kitahama", "toho"), C("investment", "kitahama", "nortova")]),
    # A frame as the topic (柱は…の新工場で) sets no actor; the size in the clause after the plant (…新工場で、総投資額は
    # 約300億円) is the investment in the plant's place.
    ("北浜電機は12日、決算を発表した。需要は強い。受注は増えた。利益も伸びた。柱はテキサス州で計画する新工場で、総投資額は約300億円。",
     None, [C("manufacturing", "kitahama", "texas"),
            C("investment", "kitahama", "texas", amount=(30 * B, 30 * B, "JPY", None))]),
    ("東邦電材はオハイオ州で建てる新工場で、総事業費は約5億ドル。", None,
     [C("manufacturing", "toho", "ohio"), C("investment", "toho", "ohio", amount=(0.5 * B, 0.5 * B, "USD", None))]),
    # ...not a figure of something else in that clause (売上高は…).
    ("北浜電機はテキサス州の新工場で部品を作り、売上高は約300億円。", None,
     [C("manufacturing", "kitahama", "texas"), C("statistic", "kitahama", None)]),
    # ...and a topic that is not a frame still blocks the zero subject (顧客は).
    ("北浜電機は12日、決算を発表した。需要は強い。受注は増えた。利益も伸びた。顧客はテキサス州で計画する新工場で生産する。",
     None, []),
    # An interview answer naming the customers as its subject (「AさんとBさんが二大顧客で…」): they buy from the company
    # the article is about, also when the sentences right before name none.
    ("北浜電機が攻勢を強めている。売上高は過去最高だった。社長に戦略を聞いた。\n\n――主要な顧客は。\n\n"
     "「東邦電材さんとNortovaさんが二大顧客で、両社で売上高の3割を占めます」", None,
     [C("contract", "toho", "kitahama"), C("contract", "nortova", "kitahama"), C("statistic", "kitahama", None)]),
    # An interview answer's investment without a target is in the place of the site the question names.
    ("北浜電機は新工場の建設を進める。社長に聞いた。\n\n――テキサス州の新工場の進捗は。\n\n「総額約20億ドルを投じる計画です」",
     None, [C("investment", "kitahama", "texas", amount=(2 * B, 2 * B, "USD", None), modality="planned")]),
    # ...not when the question names a place without a site (テキサス州の市場は).
    ("北浜電機は新工場の建設を進める。社長に聞いた。\n\n――テキサス州の市場をどう見ますか。\n\n「総額約20億ドルを投じる計画です」",
     None, [C("investment", "kitahama", None, amount=(2 * B, 2 * B, "USD", None), modality="planned")]),
    # 年平均 (on average a year) makes the figure annual.
    ("北浜電機は3年間、年平均約12億ドルの設備投資を計画する。", None,
     [C("investment", "kitahama", None, amount=(1.2 * B, 1.2 * B, "USD", "year"), modality="planned")]),
    # 注目すべきは (what deserves attention is) frames the sentence: the zero subject is the company it is about.
    ("北浜電機は大阪府に拠点を置く。\n\n注目すべきは、Nortovaとの提携を解消したことだ。", None,
     [C("partnership", "kitahama", "nortova", polarity="negated")]),
    # A deal's share or size as the topic (Bへの出資比率は) names no actor: in a section about a company (## X：…) the
    # holder is that company.
    ("## 北浜電機：攻めの投資\n\n北浜電機の投資は大きい。加えて、Nortovaへの出資比率は約11%とされる。", None,
     [C("ownership", "kitahama", "nortova", amount=(11, 11, "percent", None))]),
    # The size of a phase (投資額は第1期で約…) is the plant's investment too.
    ("北浜電機はテキサス州の新工場で部品を量産する。投資額は第1期で約12億ドル、第2期まで含めると最大20億ドル規模になる。", None,
     [C("manufacturing", "kitahama", "texas"),
      C("investment", "kitahama", "texas", amount=(1.2 * B, 1.2 * B, "USD", None))]),
    # A factory bought where the verb's place is (B州では工場を取得し…に転換する); converted into a plant (製造拠点),
    # it makes things there.
    ("北浜電機は増資した。オハイオ州では旧工場を約30億ドルで取得し、データセンターに転換する計画だ。", None,
     [C("investment", "kitahama", "ohio", amount=(3 * B, 3 * B, "USD", None), modality="planned", purpose="site")]),
    ("北浜電機は増資した。オハイオ州では旧自動車工場を約30億ドルで取得し、部品の製造拠点に転換する計画だ。", None,
     [C("investment", "kitahama", "ohio", amount=(3 * B, 3 * B, "USD", None), modality="planned", purpose="site"),
      C("manufacturing", "kitahama", "ohio", modality="planned")]),
    # A stake bought for a price (Bの株式30%をN億ドルで取得): the stake, and the price as an investment in B.
    ("北浜電機は東邦電材の株式の約20%を1億5000万ドル（約230億円）で取得した。", None,
     [C("ownership", "kitahama", "toho", amount=(20, 20, "percent", None)),
      C("investment", "kitahama", "toho", amount=(0.15 * B, 0.15 * B, "USD", None))]),
    # ...without a price, the stake alone.
    ("北浜電機は東邦電材の株式30%を取得した。", None, [C("ownership", "kitahama", "toho", amount=(30, 30, "percent", None))]),
    # Pを中心に (mainly in P) is where the money goes; a site noun the tagger took for a name (DC) is no target.
    ("北浜電機は今後3年間で米国を中心にDCへ100億ドル以上を投じる方針を示した。", {"DC": ("nortova",)},
     [C("investment", "kitahama", "us", amount=(10 * B, None, "USD", None), modality="planned", by="kitahama")]),
    # A cleft naming a project (…が進めるのが「X」計画だ): the next sentence is about the project.
    ("北浜電機と東邦電材が進めるのが「スターゲート」計画だ。米国内のAIインフラに最大5000億ドルを投じる構想だ。", None,
     [C("investment", "stargate", "us", amount=(None, 500 * B, "USD", None), modality="planned")]),
    # Pの（通信）子会社C / Pの米子会社C: the name right after the relation noun is the company P owns.
    ("東邦電材の通信子会社Nortovaは、オハイオ州でDCを建設している。", None,
     [C("ownership", "toho", "nortova"), C("investment", "nortova", "ohio", purpose="site")]),
    ("北浜電機の米子会社ZENAは黒字だ。", None, [C("ownership", "kitahama", "zena")]),
    # ...not a company after the noun with a word between (Pの子会社向けにC…).
    ("北浜電機の子会社向けにZENAが部品を作る。", None, []),
    # A plant in a relative clause on a company (P州で工場を拡張するX) is that company's, not the topic's.
    ("北浜電機はテキサス州の工場で部品を生産し、オハイオ州で工場を拡張する東邦電材に供給している。", None,
     [C("manufacturing", "kitahama", "texas"), C("manufacturing", "toho", "ohio"), C("contract", "toho", "kitahama")]),
    # …the が-subject of a relative clause written right before a plant noun (XがP州で建設を進める工場) builds it.
    ("北浜電機は工場を持つ。東邦電材がオハイオ州で建設を進めるメモリー工場向けの供給も視野に入れる。", None,
     [C("manufacturing", "toho", "ohio")]),
    ("北浜電機は、東邦電材がオハイオ州で建設中の工場向けに部品を作る。", None,
     [C("manufacturing", "toho", "ohio")]),
]


@pytest.mark.parametrize("text,extra,expected", CASES, ids=[f"jar{i:02d}" for i in range(len(CASES))])
def test_japanese_recall_constructions(text, extra, expected):
    check(run(text, "ja", extra), expected, text)


def test_a_name_the_parser_took_for_a_function_word_stays_content():
    """…州Xで where the parser tagged the name X a function word (a "mark"): the bunsetu's content runs to the end
    of the name and its case marker is で, so the place is where the event happens."""
    from kb import nlp
    from kb.claims import ja
    from kb.claims.base import Ment, Sentence
    from kb.records import EntityRef

    text = "北浜電機はテキサス州ケノーシャで、拠点を建設する。"
    doc = nlp.analyze([text], "ja")[0]
    for tok in doc:
        if tok.text == "ケノーシャ":
            tok.dep_ = "mark"
    ments = [Ment(0, 4, EntityRef("kitahama", "Kitahama Denki", "company"), "北浜電機"),
             Ment(5, 10, EntityRef("texas", "Texas", "state"), "テキサス州"),
             Ment(10, 15, EntityRef("kenosha", "Kenosha", "city"), "ケノーシャ")]
    parse = ja._parse(Sentence(text, 0, doc, ments))
    assert [(text[b.start:b.content_end], b.marker) for b in parse.bun][:2] == [("北浜電機", "は"),
                                                                                ("テキサス州ケノーシャ", "で")]
