"""Japanese statistic claims (kb.claims.ja_stats): a metric noun with a figure and a level or change verb.

The companies, projects and sentences are invented for these tests; mentions come from the small name
table below, so the tests pin down the constructions independent of NER.
"""

from __future__ import annotations

import re

import pytest

from kb import nlp
from kb.claims import extract_claims, summarize
from kb.records import EntityRef, Mention
from kb.segment import split_passages

NAMES = {
    "北斗データ": ("hokuto", "Hokuto Data", "company"),
    "青葉電子": ("aoba", "Aoba Denshi", "company"),
    "白鷺半導体": ("shirasagi", "Shirasagi Semiconductor", "company"),
    "ミナトクラウド": ("minato", "Minato Cloud", "company"),
    "アトラス計画": ("atlas", "Atlas", "project"),
    "オーロラ": ("aurora", "Aurora", "project"),
    "帝都銀行": ("teito", "Teito Bank", "company"),
    "山形県": ("yamagata", "Yamagata", "state"),
}


def run(text: str, extra: dict[str, str] | None = None):
    """Claims of `text` with mentions of NAMES (and `extra` surfaces → an id of NAMES, e.g. 同社)."""
    table = {s: v for s, v in NAMES.items()}
    table.update({s: next(v for v in NAMES.values() if v[0] == eid) for s, eid in (extra or {}).items()})
    passages = [p for p in split_passages(text) if p.duplicate_of is None]
    docs = nlp.analyze([p.text for p in passages], "ja")
    mentions = []
    for m in re.finditer("|".join(map(re.escape, sorted(table, key=len, reverse=True))), text):
        eid, name, type_ = table[m.group()]
        mention = Mention(m.start(), m.end(), m.group(), type_, EntityRef(eid, name, type_), "gazetteer")
        mention.passage_idx = next(p.idx for p in passages if p.start <= m.start() < p.end)
        mentions.append(mention)
    return extract_claims(text, passages, docs, mentions, lang="ja")


def stats(text: str, extra=None) -> list[tuple]:
    out = []
    for c in run(text, extra):
        if c.type != "statistic":
            continue
        a = c.amount
        assert text[a.start:a.end] == a.text
        out.append((c.subject.id if c.subject else None, c.details.get("metric"), a.min, a.max,
                    a.currency or a.unit, c.details.get("change")))
    return sorted(out, key=str)


B = 1e9
CASES = [
    # share price moves: Xの株価は / X株は … N％ + change verb
    ("北斗データの株価は決算発表を受けて一日で18％上昇した。", None, [("hokuto", "株価", 18, 18, "percent", "increase")]),
    ("青葉電子株は前日比で約7％急落しました。", None, [("aoba", "株価", 7, 7, "percent", "decrease")]),
    ("同社の株価は新製品の発表後に9％高となった。", {"同社": "shirasagi"},
     [("shirasagi", "株価", 9, 9, "percent", "increase")]),
    # revenue, profit, growth against a base
    ("ミナトクラウドの今年の売上高は40億ドル前後と見込まれている。", None, [("minato", "売上高", 4 * B, 4 * B, "USD", None)]),
    ("白鷺半導体は売上高が前年比25%増の3兆円となった。", None,
     [("shirasagi", "売上高", 25, 25, "percent", "increase"), ("shirasagi", "売上高", 3e12, 3e12, "JPY", None)]),
    ("青葉電子の純利益は前年同期比12％減少した。", None, [("aoba", "純利益", 12, 12, "percent", "decrease")]),
    ("帝都銀行の2026年3月期の純利益見通しは5000億円だ。", None, [("teito", "純利益", 5e11, 5e11, "JPY", None)]),
    ("青葉電子の2025年4～9月期連結決算は、売上高が前年同期比20%増の2兆円、営業利益が8%減の900億円だった。", None,
     [("aoba", "売上高", 20, 20, "percent", "increase"), ("aoba", "売上高", 2e12, 2e12, "JPY", None),
      ("aoba", "営業利益", 8, 8, "percent", "decrease"), ("aoba", "営業利益", 9e10, 9e10, "JPY", None)]),
    ("白鷺半導体株が急騰し、一時前日比21%高となった。", None, [("shirasagi", "株価", 21, 21, "percent", "increase")]),
    ("白鷺半導体は営業利益率を18%に改善した。", None, [("shirasagi", "営業利益率", 18, 18, "percent", None)]),
    ("山形県の電力需要は2ギガワットに達する見込みだ。", None, [("yamagata", "電力需要", 2 * B, 2 * B, "power", None)]),
    ("帝都銀行の売上高は80億ドル、営業利益は9億ドルだった。", None,
     [("teito", "売上高", 8 * B, 8 * B, "USD", None), ("teito", "営業利益", 0.9 * B, 0.9 * B, "USD", None)]),
    # valuation, market capitalisation (a level verb inside the figure: を超え)
    ("関係者によると、北斗データの企業価値は600億ドル規模と評価された。", None, [("hokuto", "企業価値", 60 * B, 60 * B, "USD", None)]),
    ("白鷺半導体は企業価値900億ドルで新たな資金を集めた。", None, [("shirasagi", "企業価値", 90 * B, 90 * B, "USD", None)]),
    ("青葉電子の時価総額は一時1兆ドルを超えた。", None, [("aoba", "時価総額", 1000 * B, None, "USD", None)]),
    # capacity and power
    ("アトラス計画の計画容量は３ギガワット近くに達する。", None, [("atlas", "計画容量", 3 * B, 3 * B, "power", None)]),
    ("ミナトクラウドの新拠点は1.5ギガワットの電力容量を備える。", None, [("minato", "電力容量", 1.5 * B, 1.5 * B, "power", None)]),
    # counts: <figure>の<noun>を<having verb>; a counter that is itself the noun
    ("オーロラは現在、約８万基のGPUを備える。", None, [("aurora", "GPUの数", 80000, 80000, "GPUs", None)]),
    ("北斗データは国内で12カ所のデータセンターを運営している。", None,
     [("hokuto", "データセンターの数", 12, 12, "data centers", None)]),
    ("帝都銀行は全国に約40拠点を持つ。", None, [("teito", "拠点数", 40, 40, "sites", None)]),
    ("ミナトクラウドは従業員約3000人を抱える。", None, [("minato", "従業員の数", 3000, 3000, "employees", None)]),
    ("山形県に建設された「オーロラ」では、約3万個の自社チップが推論に使われている。", None,
     [("aurora", "自社チップの数", 30000, 30000, "chips", None)]),
    # durations: <N>日で<verb>, with the starting point when written
    ("オーロラは着工からわずか95日で本格稼働した。", None, [("aurora", "着工から稼働まで", 95, 95, "days", None)]),
    ("アトラス計画は3カ月で完成する予定だ。", None, [("atlas", "完成までの期間", 3, 3, "months", None)]),
    # A company's metric in a clause that names no entity: the company the sentence before is about.
    ("帝都銀行は新しい融資枠を設けた。前回の増資では企業価値が800億円と評価された。", None,
     [("teito", "企業価値", 8e10, 8e10, "JPY", None)]),
    # A company valued at a sum (…と評価された) with no metric noun: its valuation.
    ("青葉電子は新たな資金調達で、800億円と評価された。", None, [("aoba", "評価額", 8e10, 8e10, "JPY", None)]),
    # What a project is to be grown into (XをN級の施設に育てる): its capacity.
    ("青葉電子は、オーロラを数年内に2ギガワット級の拠点に育てる方針だ。", None,
     [("aurora", "容量", 2e9, 2e9, "power", None)]),
]


@pytest.mark.parametrize("text,extra,expected", CASES, ids=[f"stat{i}" for i in range(len(CASES))])
def test_statistics(text, extra, expected):
    assert stats(text, extra) == sorted(expected, key=str), "\n".join(summarize(c) for c in run(text, extra))


NOT_STATISTICS = [
    # a figure without an entity
    "必要な電力は２ギガワットとされる。",
    "売上高は前年比10％増えた。",
    # a date is not a duration; a count that another claim buys, a count with no having verb
    "白鷺半導体は10月1日で稼働を始めた。",
    "ミナトクラウドはGPUを最大4万個購入する契約を結んだ。",
    "北斗データは国内の５カ所を候補に選んだ。",
    # an increment of money (base not given) is not a level
    "青葉電子の売上高は前年比で20億ドル増えた。",
    # a bare figure after a が-marked metric with no verb
    "帝都銀行は売上高が80億ドル、",
    # a relative clause describes its noun, not the topic
    "北斗データは売上高が100億ドルを超える企業を対象に調査した。",
    "北斗データは山形県に約1万台のサーバーを備えたデータセンターを建設する。",
    # a market the topic company talks about is not the company's
    "北斗データは、国内の生成AI市場規模が2030年に5兆円に達すると予想した。",
    # the metric of what a の-phrase names is not the topic company's; no company before: no owner
    "北斗データは好調だ。業界全体の売上高は前年比で30%増えた。",
    "電力需要が膨らんでいる。前回の調達では企業価値が800億円と評価された。",
    # a sum valued with no company as the topic; a sum the company values something else at
    "新たな資金調達で、800億円と評価された。",
    "青葉電子は、北斗データの事業を800億円と評価した。",
    "青葉電子は北斗データの株式の3割を持ち、その価値は800億円と評価された。",
    # two companies as one topic (AとBは): the figure is neither one's alone
    "北斗データと青葉電子は、生産量が約18%増えると説明した。",
    # a power figure that is not what a named facility is made into
    "青葉電子は、2ギガワット級の拠点に育てる方針だ。",
    "青葉電子は、オーロラに2ギガワットの電力を供給する。",
]


@pytest.mark.parametrize("text", NOT_STATISTICS, ids=[f"no{i}" for i in range(len(NOT_STATISTICS))])
def test_not_statistics(text):
    assert stats(text) == [], "\n".join(summarize(c) for c in run(text))


def test_a_figure_of_another_claim_is_not_also_a_statistic():
    """The investment's amount stays the investment's; the stake stays the ownership's."""
    claims = run("北斗データはミナトクラウドに50億ドルを出資した。")
    assert [c.type for c in claims] == ["investment"]
    claims = run("北斗データは白鷺半導体の株式の約30%を保有している。")
    assert "statistic" not in [c.type for c in claims]


def test_modality_polarity_and_source():
    forecast = run("ミナトクラウドの来年の売上高は60億ドルに達する見通しだ。")
    assert [(c.type, c.modality) for c in forecast] == [("statistic", "forecast")]
    planned = run("アトラス計画の計画容量は5ギガワットに達する。")
    assert [c.modality for c in planned] == ["planned"]
    negated = run("青葉電子の株価は発表後も5％上昇しなかった。")
    assert [c.polarity for c in negated] == ["negated"]
    sourced = run("帝都銀行によると、北斗データの企業価値は300億ドルと評価された。")
    stat = [c for c in sourced if c.type == "statistic"]
    assert [(c.subject.id, c.attributed_to.id, c.modality) for c in stat] == [("hokuto", "teito", "reported")]


def test_the_owner_of_the_metric_wins_over_the_topic():
    """Xは…Yの売上高は: the figure is Y's, the company written with the metric noun."""
    assert stats("北斗データは、提携先の青葉電子の売上高が50億ドルに達したと述べた。") == \
        [("aoba", "売上高", 5 * B, 5 * B, "USD", None)]


def test_a_share_of_a_company_metric_takes_the_topic():
    """ja's share finder (売上高の…を占める) leaves the owner out; the topic (では/は) owns a company metric."""
    claims = [c for c in run("北斗データでは、AIサーバーが売上高の約4割を占める。") if c.type == "statistic"]
    assert [(c.subject.id, c.details["metric"], c.amount.min) for c in claims] == [("hokuto", "売上高に占める割合", 40)]
    claims = [c for c in run("白鷺半導体は、車載向け半導体で世界シェア30%を握る。") if c.type == "statistic"]
    assert [c.details["metric"] for c in claims] == ["世界シェア"]


def test_a_change_before_a_time_noun_is_still_stated():
    assert stats("青葉電子の株価は一時9%上昇した後、下げに転じた。") == [("aoba", "株価", 9, 9, "percent", "increase")]


def test_summary_names_the_metric():
    [c] = [c for c in run("北斗データの株価は18％上昇した。") if c.type == "statistic"]
    assert summarize(c) == "Hokuto Data — 株価: 18%"


def test_a_metric_per_year_makes_its_figure_a_figure_a_year():
    """年間売上高は約500億円: the metric is per year, so is the figure (as 年間500億円 would be)."""
    got = [c for c in run("北斗データの年間売上高は約500億円に達する。") if c.type == "statistic"]
    assert [(c.subject.id, c.amount.min, c.amount.period) for c in got] == [("hokuto", 5e10, "year")]
    got = [c for c in run("北斗データの売上高は約500億円に達する。") if c.type == "statistic"]
    assert [c.amount.period for c in got] == [None]
