"""Claim extraction: a table of Japanese and English sentences with the claims an analyst expects.

Mentions are built from a small hand-written name table (below) so these tests pin down the claim
patterns, independent of how well NER and entity resolution do; one test runs the real mention
pipeline when the entity stage is installed.
"""

from __future__ import annotations

import re

import pytest

from kb import nlp
from kb.claims import CLAIM_TYPES, extract_claims, summarize
from kb.records import EntityRef, Mention
from kb.segment import split_passages

E = {
    "hon-hai": ("Hon Hai Precision Industry", "company"),
    "openai": ("OpenAI", "company"),
    "softbank": ("SoftBank Group", "company"),
    "microsoft": ("Microsoft", "company"),
    "nvidia": ("Nvidia", "company"),
    "oracle": ("Oracle", "company"),
    "amazon": ("Amazon", "company"),
    "coreweave": ("CoreWeave", "company"),
    "tsmc": ("TSMC", "company"),
    "arm": ("Arm Holdings", "company"),
    "anthropic": ("Anthropic", "company"),
    "google": ("Google", "company"),
    "meta": ("Meta Platforms", "company"),
    "ampere": ("Ampere Computing", "company"),
    "intel": ("Intel", "company"),
    "amd": ("AMD", "company"),
    "sakura": ("Sakura Internet", "company"),
    "kddi": ("KDDI", "company"),
    "sharp": ("Sharp", "company"),
    "reuters": ("Reuters", "company"),
    "nikkei": ("Nikkei", "company"),
    "bloomberg": ("Bloomberg", "company"),
    "meti": ("Ministry of Economy, Trade and Industry", "government"),
    "stargate": ("Stargate", "project"),
    "us": ("United States", "country"),
    "japan": ("Japan", "country"),
    "taiwan": ("Taiwan", "country"),
    "mexico": ("Mexico", "country"),
    "wisconsin": ("Wisconsin", "state"),
    "ohio": ("Ohio", "state"),
    "texas": ("Texas", "state"),
    "arizona": ("Arizona", "state"),
    "georgia": ("Georgia", "state"),
    "michigan": ("Michigan", "state"),
    "kumamoto": ("Kumamoto", "state"),
    "hokkaido": ("Hokkaido", "state"),
    "altman": ("Sam Altman", "person"),
    "young-liu": ("Young Liu", "person"),
    "son": ("Masayoshi Son", "person"),
    "huang": ("Jensen Huang", "person"),
    "nadella": ("Satya Nadella", "person"),
    "su": ("Lisa Su", "person"),
    "apple": ("Apple", "company"),
    "gelsinger": ("Pat Gelsinger", "person"),
    "china": ("China", "country"),
    "jasm": ("Japan Advanced Semiconductor Manufacturing", "company"),
    "sony": ("Sony Semiconductor Solutions", "company"),
    "toyota": ("Toyota Motor", "company"),
    "indiana": ("Indiana", "state"),
}
SURFACES = {
    "鴻海精密工業": "hon-hai", "鴻海": "hon-hai", "ホンハイ": "hon-hai", "Hon Hai": "hon-hai", "Foxconn": "hon-hai",
    "OpenAI": "openai", "ソフトバンクグループ": "softbank", "ソフトバンク": "softbank", "SoftBank Group": "softbank",
    "SoftBank": "softbank", "マイクロソフト": "microsoft", "Microsoft": "microsoft", "エヌビディア": "nvidia",
    "Nvidia": "nvidia", "オラクル": "oracle", "Oracle": "oracle", "アマゾン": "amazon", "Amazon": "amazon",
    "コアウィーブ": "coreweave", "CoreWeave": "coreweave", "TSMC": "tsmc", "台湾積体電路製造": "tsmc",
    "英アーム": "arm", "Arm": "arm", "アンソロピック": "anthropic", "Anthropic": "anthropic", "グーグル": "google",
    "Google": "google", "メタ": "meta", "Meta": "meta", "アンペア・コンピューティング": "ampere", "Ampere": "ampere",
    "インテル": "intel", "Intel": "intel", "AMD": "amd", "さくらインターネット": "sakura", "Sakura Internet": "sakura", "KDDI": "kddi",
    "シャープ": "sharp", "ロイター通信": "reuters", "ロイター": "reuters", "Reuters": "reuters",
    "日本経済新聞": "nikkei", "ブルームバーグ": "bloomberg", "Bloomberg": "bloomberg", "経済産業省": "meti",
    "スターゲート": "stargate", "Stargate": "stargate", "米国": "us", "アメリカ": "us", "United States": "us",
    "U.S.": "us", "日本": "japan", "Japan": "japan", "台湾": "taiwan", "Taiwan": "taiwan", "メキシコ": "mexico",
    "Mexico": "mexico", "ウィスコンシン州": "wisconsin", "Wisconsin": "wisconsin", "オハイオ州": "ohio",
    "Ohio": "ohio", "テキサス州": "texas", "Texas": "texas", "アリゾナ州": "arizona", "Arizona": "arizona",
    "ジョージア州": "georgia", "Georgia": "georgia", "ミシガン州": "michigan", "Michigan": "michigan",
    "熊本県": "kumamoto", "北海道": "hokkaido", "サム・アルトマン": "altman", "Sam Altman": "altman",
    "Altman": "altman", "劉揚偉": "young-liu", "Young Liu": "young-liu", "孫正義": "son", "Masayoshi Son": "son",
    "ジェンスン・フアン": "huang", "Jensen Huang": "huang", "Huang": "huang", "サティア・ナデラ": "nadella",
    "Satya Nadella": "nadella", "Lisa Su": "su", "リサ・スー": "su", "Apple": "apple", "China": "china",
    "Pat Gelsinger": "gelsinger", "パット・ゲルシンガー": "gelsinger",
    "JASM": "jasm", "ソニー": "sony", "Sony": "sony", "トヨタ自動車": "toyota", "Toyota": "toyota",
    "インディアナ州": "indiana", "Indiana": "indiana",
}


def ref(eid: str) -> EntityRef:
    name, type_ = E[eid]
    return EntityRef(eid, name, type_)


def build_mentions(text: str, extra: dict[str, tuple[str, ...]] | None = None) -> list[Mention]:
    """Mentions of the names in SURFACES (longest first) plus case-specific coreference surfaces."""
    table = {s: (eid,) for s, eid in SURFACES.items()}
    table.update(extra or {})
    pattern = re.compile("|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)))
    mentions = []
    for m in pattern.finditer(text):
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if m.group().isascii() and any(c.isascii() and c.isalnum() for c in before + after):
            continue
        source = "coref" if m.group() in (extra or {}) else "gazetteer"
        for eid in table[m.group()]:
            mentions.append(Mention(m.start(), m.end(), m.group(), E[eid][1], ref(eid), source))
    return mentions


def run(text: str, lang: str, extra=None):
    passages = [p for p in split_passages(text) if p.duplicate_of is None]
    docs = nlp.analyze([p.text for p in passages], lang)
    mentions = build_mentions(text, extra)
    for m in mentions:
        m.passage_idx = next(p.idx for p in passages if p.start <= m.start < p.end)
    return extract_claims(text, passages, docs, mentions, lang=lang)


def C(type_, subject, obj=None, *, amount=None, modality="asserted", polarity="affirmed", by=None, **details):
    """An expected claim; `amount` is (min, max, currency_or_unit, period)."""
    return {"type": type_, "subject": subject, "object": obj, "amount": amount, "modality": modality,
            "polarity": polarity, "by": by, "details": details}


def check(claims, expected, text):
    got = sorted((c.type, c.subject.id if c.subject else None, c.object.id if c.object else None) for c in claims)
    want = sorted((e["type"], e["subject"], e["object"]) for e in expected)
    assert got == want, "\n".join(summarize(c) for c in claims)
    for e in expected:
        c = next(c for c in claims if (c.type, c.subject.id if c.subject else None,
                                       c.object.id if c.object else None) == (e["type"], e["subject"], e["object"]))
        assert c.modality == e["modality"], summarize(c)
        assert c.polarity == e["polarity"], summarize(c)
        assert (c.attributed_to.id if c.attributed_to else None) == e["by"], summarize(c)
        for k, v in e["details"].items():
            assert c.details.get(k) == v, (k, c.details)
        if e["amount"] is not None:
            lo, hi, cur, period = e["amount"]
            a = c.amount
            assert a is not None, summarize(c)
            assert (a.min, a.max, a.currency or a.unit, a.period) == (lo, hi, cur, period)
            assert text[a.start:a.end] == a.text
        assert c.type in CLAIM_TYPES
        assert 0 <= c.start < c.end <= len(text)


B = 1e9
JA_CASES = [
    ("鴻海精密工業は、ウィスコンシン州、オハイオ州、テキサス州で AI サーバーを生産する計画だ。", None,
     [C("manufacturing", "hon-hai", s, modality="planned") for s in ("wisconsin", "ohio", "texas")]),
    ("ソフトバンクグループとOpenAIは、日本で合弁会社を設立すると発表した。", None,
     [C("partnership", "openai", "softbank", kind="joint_venture")]),
    ("OpenAIは鴻海と提携し、次世代のAIサーバーラックを共同で設計する。", None,
     [C("partnership", "hon-hai", "openai", kind="partnership")]),
    ("マイクロソフトはOpenAIに130億ドルを出資している。", None,
     [C("investment", "microsoft", "openai", amount=(13 * B, 13 * B, "USD", None))]),
    ("鴻海は、AIインフラに年間20億～30億ドルを投資する方針を示した。", None,
     [C("investment", "hon-hai", None, amount=(2 * B, 3 * B, "USD", "year"), modality="planned",
        purpose="AIインフラ", by="hon-hai")]),
    ("ロイター通信によると、マイクロソフトはデータセンターに年間800億ドルを投資する見通しだ。", None,
     [C("investment", "microsoft", None, amount=(80 * B, 80 * B, "USD", "year"), modality="forecast",
        by="reuters")]),
    ("ソフトバンクグループ会長兼社長の孫正義氏は、スターゲートに今後4年間で5000億ドル（約78兆7000億円）を投じると述べた。",
     None,
     [C("role", "son", "softbank", title="chairman and president"),
      # The chairman speaks for his company: SoftBank Group invests, Son is the speaker.
      C("investment", "softbank", "stargate", amount=(500 * B, 500 * B, "USD", None), horizon="4 years", by="son")]),
    ("OpenAIのサム・アルトマンCEOは、計算資源の確保が最優先だと語った。", None,
     [C("role", "altman", "openai", title="CEO")]),
    ("鴻海の劉揚偉会長は、メキシコでもAIサーバーを量産すると明らかにした。", None,
     [C("role", "young-liu", "hon-hai", title="chairman")]),
    ("同社はメキシコでAIサーバーを量産すると明らかにした。", {"同社": ("hon-hai",)},
     [C("manufacturing", "hon-hai", "mexico", product="AIサーバー", by="hon-hai")]),
    ("エヌビディアのジェンスン・フアン最高経営責任者（CEO）は台湾で講演した。", None,
     [C("role", "huang", "nvidia", title="CEO")]),
    ("OpenAIはオラクルと3000億ドル規模のクラウド契約を締結した。", None,
     [C("contract", "openai", "oracle", amount=(300 * B, 300 * B, "USD", None))]),
    ("コアウィーブはマイクロソフトから大型のGPUクラウド案件を受注した。", None,
     [C("contract", "microsoft", "coreweave")]),
    ("OpenAIはエヌビディアとAMDからGPUを調達する。", None,
     [C("contract", "openai", "nvidia"), C("contract", "openai", "amd")]),
    ("ソフトバンクグループは英アームの株式の約90%を保有している。", None,
     [C("ownership", "softbank", "arm")]),
    ("ソフトバンクグループは米アンペア・コンピューティングを65億ドルで買収した。", None,
     [C("ownership", "softbank", "ampere", amount=(100, 100, "percent", None)),
      C("investment", "softbank", "ampere", amount=(6.5 * B, 6.5 * B, "USD", None))]),
    ("英アームはソフトバンクグループの子会社だ。", None,
     [C("ownership", "softbank", "arm")]),
    ("エヌビディアのAI半導体市場でのシェアは80%を超える。", None,
     [C("statistic", "nvidia", None, metric="AI半導体市場でのシェア")]),
    ("データセンターは米国の電力消費の4%を占めている。", None,
     [C("statistic", "us", None, amount=(4.0, 4.0, "percent", None), metric="電力消費に占める割合")]),
    ("鴻海はOpenAIとの提携について、現時点で出資は含まれていないと説明した。", None,
     [C("partnership", "hon-hai", "openai", by="hon-hai"),
      C("investment", "hon-hai", None, polarity="negated", by="hon-hai")]),
    ("マイクロソフトはアンソロピックに出資しない方針だ。", None,
     [C("investment", "microsoft", "anthropic", polarity="negated", modality="planned")]),
    ("アマゾンはアンソロピックに追加で40億ドルを出資する可能性がある。", None,
     [C("investment", "amazon", "anthropic", amount=(4 * B, 4 * B, "USD", None), modality="hedged")]),
    ("個人的には、鴻海とOpenAIの協業は日本のAIインフラにも波及すると思います。", None,
     [C("partnership", "hon-hai", "openai", modality="opinion")]),
    ("日本経済新聞によると、TSMCは熊本県で第2工場を建設している。", None,
     [C("manufacturing", "tsmc", "kumamoto", modality="reported", by="nikkei")]),
    ("さくらインターネットは北海道にGPUクラウド向けのデータセンターを建設し、経済産業省が最大500億円の補助金を拠出する。",
     None, [C("investment", "meti", None, amount=(None, 5e10, "JPY", None)),
            # Building a data center in a place is an investment in that place (claimbench FORMAT).
            C("investment", "sakura", "hokkaido", purpose="site")]),
    ("KDDIとシャープは、堺市の工場跡地でAIデータセンターの構築に向けて協業する。", None,
     [C("partnership", "kddi", "sharp")]),
    ("AIインフラの未来は本当に明るいのだろうか。", None, []),
    ("正直なところ、私はこの数字に少し驚いた。", None, []),
    ("計算資源への投資はこれからも続くと感じています。", None, []),
    ("生成AIの普及で、データセンターの建設ラッシュが起きている。", None, []),
    ("両社はテキサス州とオハイオ州でデータセンター向け機器を製造する。", {"両社": ("softbank", "hon-hai")},
     [C("manufacturing", c, s) for c in ("softbank", "hon-hai") for s in ("texas", "ohio")]),
    ("ブルームバーグは、オラクルがOpenAI向けにテキサス州で大規模データセンターに投資すると伝えている。", None,
     [C("investment", "oracle", "texas", modality="reported", by="bloomberg")]),
    ("グーグルはアンソロピックに最大20億ドルを出資することで合意した。", None,
     [C("investment", "google", "anthropic", amount=(None, 2 * B, "USD", None))]),
    ("インテルはオハイオ州で半導体工場の建設を進めている。", None, [C("manufacturing", "intel", "ohio")]),
    ("TSMCはアリゾナ州に第3工場を建設する計画を発表した。", None,
     [C("manufacturing", "tsmc", "arizona", modality="planned", by="tsmc")]),
    ("メタはルイジアナ州に大規模なAIデータセンターを建設する。", None, []),
    ("エヌビディアとマイクロソフトはアンソロピックとの戦略的提携を発表した。", None,
     [C("partnership", "anthropic", "nvidia"), C("partnership", "anthropic", "microsoft")]),
    ("さくらインターネットはエヌビディアからGPUを購入し、北海道のデータセンターに設置する。", None,
     [C("contract", "sakura", "nvidia")]),
    ("鴻海はシャープの筆頭株主である。", None, [C("ownership", "hon-hai", "sharp")]),
    ("ソフトバンクグループ傘下の英アームは、独自の半導体を開発している。", None, [C("ownership", "softbank", "arm")]),
    ("AMDのリサ・スーCEOは、AI半導体の需要が急拡大していると指摘した。", None, [C("role", "su", "amd", title="CEO")]),
    # OpenAI向け is a beneficiary, not a party: the only claim is the site in Texas.
    ("オラクルは、OpenAI向けのデータセンターをテキサス州に建設している。", None,
     [C("investment", "oracle", "texas", purpose="site")]),
    ("アマゾンは2040年までにAIインフラへ1000億ドルを投資する見込みだ。", None,
     [C("investment", "amazon", None, modality="forecast", horizon="by 2040", purpose="AIインフラ")]),
    ("データセンターの電力需要は2030年までに2倍になるとの予測もある。", None, []),
    ("マイクロソフトとOpenAIの関係は微妙に変化していると感じています。", None, []),
    ("インテルの前CEOのパット・ゲルシンガー氏は講演で半導体の将来を語った。", None, []),
    # Places listed with や…など modify the factory noun, not the verb; 同社 (coreference) is the maker.
    ("同社はウィスコンシン州やテキサス州などの工場でサーバーを生産する予定だ。", {"同社": ("hon-hai",)},
     [C("manufacturing", "hon-hai", s, modality="planned", product="サーバー") for s in ("wisconsin", "texas")]),
    # A long list of states hangs off 「…にある自社の工場」; every listed state is a site.
    ("鴻海はオハイオ州、テキサス州、ミシガン州、インディアナ州にある自社の工場でラックを製造する。", None,
     [C("manufacturing", "hon-hai", s) for s in ("ohio", "texas", "michigan", "indiana")]),
    ("鴻海はウィスコンシン州、オハイオ州といった米国内の施設での製造を検討している。", None,
     [C("manufacturing", "hon-hai", s, modality="hedged") for s in ("wisconsin", "ohio", "us")]),
    # Not disclosing an amount is not a negated investment (and says nothing trackable).
    ("鴻海は工場ごとの投資額を開示していない。", None, []),
    ("同社は具体的な出資の時期は明らかにしていない。", {"同社": ("softbank",)}, []),
    # The investee named as the owner of the funding round.
    ("ソフトバンクグループはOpenAIの資金調達ラウンドで400億ドルを出資する。", None,
     [C("investment", "softbank", "openai", amount=(40 * B, 40 * B, "USD", None))]),
    ("ソフトバンクグループはOpenAIの資金調達ラウンドを主導し、同ラウンドで300億ドルを出資することを決めた。", None,
     [C("investment", "softbank", "openai", amount=(30 * B, 30 * B, "USD", None))]),
    # The CEO speaks; the commitment is the company's.
    ("OpenAIのサム・アルトマンCEOは、インフラに最大1.4兆ドルを投じると述べた。", None,
     [C("role", "altman", "openai", title="CEO"),
      C("investment", "openai", None, amount=(None, 1.4e12, "USD", None), by="altman", purpose="インフラ")]),
    # A stake expressed with 出資 is ownership; holders listed with their stakes in parentheses.
    ("JASMにはTSMCが約86.5%を出資し、残りをソニー（約6%）、トヨタ自動車（約2%）が持つ。", None,
     [C("ownership", "tsmc", "jasm", amount=(86.5, 86.5, "percent", None)),
      C("ownership", "sony", "jasm", amount=(6.0, 6.0, "percent", None)),
      C("ownership", "toyota", "jasm", amount=(2.0, 2.0, "percent", None))]),
    # OpenAIが is the subject of a relative clause, not of 出資; the investor is left unsaid.
    ("OpenAIに対しては最大1,000億ドルを投資する方針で、OpenAIが導入するシステムが増えるごとに出資を実行する。", None, []),
    ("OpenAIに対しては段階的に投資する方針で、OpenAIが導入するエヌビディア製システムが1ギガワット増えるごとに出資を実行する。",
     None, []),
    # 年間で before an amount the amount stage read without a period.
    ("鴻海は年間で少なくとも＄2 billionをAIインフラに投じる計画だ。", None,
     [C("investment", "hon-hai", None, amount=(2 * B, None, "USD", "year"), modality="planned",
        purpose="AIインフラ")]),
]


@pytest.mark.parametrize("text,extra,expected", JA_CASES, ids=[f"ja{i:02d}" for i in range(len(JA_CASES))])
def test_japanese_claims(text, extra, expected):
    check(run(text, "ja", extra), expected, text)


EN_CASES = [
    ("Foxconn plans to manufacture AI servers in Wisconsin, Ohio and Texas.", None,
     [C("manufacturing", "hon-hai", s, modality="planned", product="AI servers") for s in ("wisconsin", "ohio", "texas")]),
    ("OpenAI and Foxconn announced a partnership to design next-generation AI server racks.", None,
     [C("partnership", "hon-hai", "openai", kind="partnership")]),
    ("SoftBank formed a joint venture with OpenAI to sell AI agents in Japan.", None,
     [C("partnership", "openai", "softbank", kind="joint_venture")]),
    ("Hon Hai will invest $2 billion to $3 billion a year in AI infrastructure, Young Liu said.", None,
     [C("investment", "hon-hai", None, amount=(2 * B, 3 * B, "USD", "year"), modality="planned",
        by="young-liu", purpose="AI infrastructure")]),
    ("Microsoft said it will invest $80 billion in Texas and Wisconsin over the next four years.", None,
     [C("investment", "microsoft", s, amount=(80 * B, 80 * B, "USD", None), modality="planned", by="microsoft",
        horizon="4 years") for s in ("texas", "wisconsin")]),
    ("OpenAI signed a $300 billion contract with Oracle for computing power over five years.", None,
     [C("contract", "openai", "oracle", amount=(300 * B, 300 * B, "USD", None), duration="5 years")]),
    ("CoreWeave won a $11.9 billion contract from OpenAI.", None,
     [C("contract", "openai", "coreweave", amount=(11.9 * B, 11.9 * B, "USD", None))]),
    ("Arm, a subsidiary of SoftBank Group, designs chips used in most smartphones.", None,
     [C("ownership", "softbank", "arm")]),
    ("SoftBank owns 90% of Arm.", None,
     [C("ownership", "softbank", "arm", amount=(90.0, 90.0, "percent", None))]),
    ("SoftBank Group acquired Ampere for $6.5 billion.", None,
     [C("ownership", "softbank", "ampere", amount=(6.5 * B, 6.5 * B, "USD", None))]),
    ("OpenAI CEO Sam Altman met with Foxconn executives in Taipei.", None,
     [C("role", "altman", "openai", title="CEO")]),
    ("Jensen Huang, chief executive of Nvidia, spoke at the event.", None,
     [C("role", "huang", "nvidia", title="CEO")]),
    ("Microsoft Chairman and CEO Satya Nadella called AI the defining technology of the decade.", None,
     [C("role", "nadella", "microsoft", title="chairman and CEO")]),
    ("According to Reuters, Amazon may invest another $4 billion in Anthropic.", None,
     [C("investment", "amazon", "anthropic", amount=(4 * B, 4 * B, "USD", None), modality="hedged", by="reuters")]),
    ("Nvidia controls about 80% of the AI accelerator market.", None,
     [C("statistic", "nvidia", None, metric="share of AI accelerator market")]),
    ("Microsoft did not invest in the new funding round, the company said.", None,
     [C("investment", "microsoft", None, polarity="negated")]),
    ("Nvidia expects to invest up to $100 billion in OpenAI as new data centers come online.", None,
     [C("investment", "nvidia", "openai", modality="forecast")]),
    ("Google agreed to invest up to $2 billion in Anthropic.", None,
     [C("investment", "google", "anthropic", amount=(None, 2 * B, "USD", None), modality="planned")]),
    ("Intel is building a chip factory in Ohio.", None, [C("manufacturing", "intel", "ohio")]),
    ("TSMC will produce advanced chips in Arizona and Japan.", None,
     [C("manufacturing", "tsmc", s, modality="planned", product="advanced chips") for s in ("arizona", "japan")]),
    ("Meta is building a massive data center in Louisiana.", None, []),
    ("Nvidia and Microsoft announced a strategic partnership with Anthropic.", None,
     [C("partnership", "anthropic", "nvidia"), C("partnership", "anthropic", "microsoft")]),
    ("Sakura Internet bought thousands of GPUs from Nvidia.", None, [C("contract", "sakura", "nvidia")]),
    ("AMD CEO Lisa Su said demand for AI chips is surging.", None, [C("role", "su", "amd", title="CEO")]),
    ("Oracle is expected to spend $25 billion on capital expenditures this year.", None,
     [C("investment", "oracle", None, modality="forecast", amount=(25 * B, 25 * B, "USD", None))]),
    ("Microsoft has partnered with Oracle and Google to expand cloud capacity.", None,
     [C("partnership", "microsoft", "oracle"), C("partnership", "google", "microsoft")]),
    ("Data centers could account for 9% of U.S. electricity use by 2030.", None,
     [C("statistic", None, None, modality="hedged", amount=(9.0, 9.0, "percent", None))]),
    ("Foxconn, Apple's main assembler, builds iPhones in China.", None, []),
    ("AI servers now account for more than 40% of Foxconn's revenue.", None,
     [C("statistic", "hon-hai", None, metric="share of Foxconn's revenue")]),
    ("I think Foxconn and OpenAI could become a powerful team.", None, []),
    ("The AI boom feels like the dot-com era all over again.", None, []),
    ("Former Intel CEO Pat Gelsinger now invests in startups.", None, []),
    ("Honestly, nobody knows how long the AI boom will last.", None, []),
    ("The numbers look big, but I am not sure they mean much.", None, []),
    # A relative clause or an aside between the subject and its verb.
    ("Microsoft, which has invested $13 billion in OpenAI, now owns about 27% of OpenAI.", None,
     [C("investment", "microsoft", "openai", amount=(13 * B, 13 * B, "USD", None)),
      C("ownership", "microsoft", "openai", amount=(27.0, 27.0, "percent", None))]),
    ("Microsoft, by contrast, holds no equity in CoreWeave.", None,
     [C("ownership", "microsoft", "coreweave", polarity="negated")]),
    ("SoftBank sold its entire stake in Nvidia for $5.8 billion.", None,
     [C("ownership", "softbank", "nvidia", polarity="negated")]),
    ("TSMC holds about 86.5% of JASM; Sony owns about 6% and Toyota about 2%.", None,
     [C("ownership", "tsmc", "jasm", amount=(86.5, 86.5, "percent", None)),
      C("ownership", "sony", "jasm", amount=(6.0, 6.0, "percent", None)),
      C("ownership", "toyota", "jasm", amount=(2.0, 2.0, "percent", None))]),
    # A coordinated clause without its own subject shares the sentence subject.
    ("OpenAI agreed to buy cloud computing from Oracle, and struck supply agreements with Nvidia and AMD.", None,
     [C("contract", "openai", o, modality="planned") for o in ("oracle", "nvidia", "amd")]),
    ("Foxconn is expanding in Mexico, and it plans to assemble Nvidia's AI servers at its plant in Texas.", None,
     [C("manufacturing", "hon-hai", "texas", modality="planned", product="Nvidia's AI servers"),
      C("contract", "nvidia", "hon-hai", modality="planned")]),  # assembling Nvidia's servers: Nvidia orders them
    ("Design will be split between Taiwan and Japan, with manufacturing in Ohio and Texas, the two US states where "
     "Foxconn already operates facilities.", None,
     [C("manufacturing", "hon-hai", s) for s in ("ohio", "texas")]),
    ("Under the agreement, the two companies will co-design AI server racks.", {"the two companies": ("hon-hai", "openai")},
     [C("partnership", "hon-hai", "openai", modality="planned")]),
    ("Sam Altman has said OpenAI will invest $1.4 trillion in infrastructure.", None,
     [C("investment", "openai", None, amount=(1.4e12, 1.4e12, "USD", None), modality="planned", by="altman")]),
    # Not an investment; a purchase from the brand's maker (en.yaml product_makers), named by its gazetteer id.
    ("OpenAI committed to purchase an additional $250 billion of Azure services.", None,
     [C("contract", "openai", "company:microsoft", amount=(2.5e11, 2.5e11, "USD", None))]),
    # Committing to a contract is a contract, not an investment; a new clause after a comma keeps its own figure.
    ("Anthropic commits to a cloud contract with Google worth around $40 billion over six years.", None,
     [C("contract", "anthropic", "google", amount=(4e10, 4e10, "USD", None), duration="6 years")]),
    ("Nvidia invests in Anthropic, Anthropic commits to a compute deal with Oracle worth about $30 billion, and "
     "Oracle buys chips from Nvidia.", None,
     [C("investment", "nvidia", "anthropic"), C("contract", "anthropic", "oracle", amount=(3e10, 3e10, "USD", None)),
      C("contract", "oracle", "nvidia")]),
    ("Anthropic has committed $20 billion to new data centers in Texas.", None,
     [C("investment", "anthropic", "texas", amount=(2e10, 2e10, "USD", None))]),
]


@pytest.mark.parametrize("text,extra,expected", EN_CASES, ids=[f"en{i:02d}" for i in range(len(EN_CASES))])
def test_english_claims(text, extra, expected):
    check(run(text, "en", extra), expected, text)


def pipeline_mentions(passages, docs, lang: str) -> list[Mention]:
    """Mentions as ingest finds them: entity spans of each doc, resolved by the entity stage."""
    from kb.entities import resolve_mention
    from kb.entities.spans import doc_entity_spans

    out = []
    for p, doc in zip(passages, docs):
        for span in doc_entity_spans(doc, lang):
            surface = p.text[span.start:span.end]
            resolved = resolve_mention(surface, span.label)
            if resolved is not None:
                out.append(Mention(p.start + span.start, p.start + span.end, surface, span.label,
                                   EntityRef(resolved.id, resolved.name, resolved.type), span.source, p.idx))
    return out


def test_claims_from_real_mentions():
    text = ("鴻海精密工業は、ウィスコンシン州、オハイオ州、テキサス州でAIサーバーを生産する計画だ。"
            "マイクロソフトはOpenAIに130億ドルを出資している。")
    passages = split_passages(text)
    docs = nlp.analyze([p.text for p in passages], "ja")
    claims = extract_claims(text, passages, docs, pipeline_mentions(passages, docs, "ja"), lang="ja")
    made = [c for c in claims if c.type == "manufacturing"]
    assert len({c.object.id for c in made}) == 3 and all(c.object.type == "state" for c in made)
    assert len({c.subject.id for c in made}) == 1 and all(c.modality == "planned" for c in made)
    invest = [c for c in claims if c.type == "investment"]
    assert len(invest) == 1 and invest[0].amount.min == 13e9 and invest[0].passage_idx == 1
    assert text[invest[0].amount.start:invest[0].amount.end] == invest[0].amount.text
    assert (invest[0].start, invest[0].end) == (passages[1].start, passages[1].end)


@pytest.mark.parametrize("text,lang", [
    ("サム・アルトマンCEOは、計算資源が足りないと語った。", "ja"),
    ("Chief executive Sam Altman said the company needs more computing power.", "en"),
])
def test_role_from_known_affiliation(text, lang):
    """A title next to a known person, with no organization written, takes the gazetteer affiliation."""
    passages = split_passages(text)
    docs = nlp.analyze([p.text for p in passages], lang)
    claims = extract_claims(text, passages, docs, pipeline_mentions(passages, docs, lang), lang=lang)
    roles = [(c.subject.id, c.object.id, c.details["title"]) for c in claims if c.type == "role"]
    assert roles == [("person:sam-altman", "company:openai", "CEO")]


def test_offsets_are_article_offsets():
    text = "はじめに。\n\nOpenAIはオラクルと3000億ドル規模のクラウド契約を締結した。"
    (claim,) = run(text, "ja")
    assert text[claim.start:claim.end] == "OpenAIはオラクルと3000億ドル規模のクラウド契約を締結した。"
    assert text[claim.amount.start:claim.amount.end] == claim.amount.text
    assert text[claim.amount.start:].startswith("3000億ドル")


def test_partnership_is_symmetric_and_deterministic():
    a = run("OpenAIは鴻海と提携した。", "ja")
    b = run("鴻海はOpenAIと提携した。", "ja")
    assert [(c.subject.id, c.object.id) for c in a] == [(c.subject.id, c.object.id) for c in b] == [("hon-hai", "openai")]
    text = "Foxconn plans to manufacture AI servers in Wisconsin, Ohio and Texas."
    assert [summarize(c) for c in run(text, "en")] == [summarize(c) for c in run(text, "en")]


def test_summaries():
    claims = run("Hon Hai will invest $2 billion to $3 billion a year in AI infrastructure.", "en")
    assert summarize(claims[0]) == ("Hon Hai Precision Industry — investment — $2–3 billion a year "
                                    "(AI infrastructure) [planned]")
    (role,) = run("OpenAI CEO Sam Altman spoke.", "en")
    assert summarize(role) == "Sam Altman is CEO of OpenAI"
    (p,) = run("OpenAIは鴻海と提携した。", "ja")
    assert summarize(p) == "Hon Hai Precision Industry ↔ OpenAI: partnership"


def test_a_party_of_a_type_the_claim_type_does_not_take_is_dropped():
    from kb.claims import _roles_fit
    from kb.records import Claim, EntityRef

    sbg = EntityRef("company:softbank-group", "SoftBank Group", "company")
    us = EntityRef("country:US", "United States", "country")
    assert not _roles_fit(Claim("ownership", sbg, us, 0, 1, 0))  # no one owns a country
    assert _roles_fit(Claim("investment", sbg, us, 0, 1, 0))      # investing in a country is a claim
    assert not _roles_fit(Claim("statistic", sbg, us, 0, 1, 0))   # a statistic has no object
    site = EntityRef("facility:harlow-one", "Harlow One", "facility")
    assert _roles_fit(Claim("statistic", site, None, 0, 1, 0))    # a facility's figure (its GPUs, its power)
