"""Japanese claim constructions beyond one clause: zero subjects, lists, relative clauses, noun predicates,
direction of money, products of a supplier, stakes, speakers and denied reports.

Every sentence here is written for these tests, with invented companies (北浜電機, 東邦電材, Nortova) and
places (ハーロウ郡) next to the name table of test_claims.
"""

from __future__ import annotations

import pytest

from kb.entities import resolve_references
from kb import nlp
from kb.claims import extract_claims
from kb.segment import split_passages
from test_claims import C, E, SURFACES, check, pipeline_mentions, run

B = 1e9
E.update({
    "kitahama": ("Kitahama Denki", "company"),
    "toho": ("Toho Denzai", "company"),
    "nortova": ("Nortova", "company"),
    "harlow": ("Harlow County", "place"),
    "sato": ("Ichiro Sato", "person"),
    "zena": ("Zena", "company"),
})
SURFACES.update({"北浜電機": "kitahama", "東邦電材": "toho", "Nortova": "nortova", "ハーロウ郡": "harlow",
                 "佐藤一郎": "sato", "ZENA": "zena"})

CASES = [
    # Zero subject: the company the sentence before is about.
    ("北浜電機は新型サーバーの販売が好調だ。年間20億～30億ドルを投資する計画だ。", None,
     [C("investment", "kitahama", None, amount=(2 * B, 3 * B, "USD", "year"), modality="planned")]),
    # A description the article gave a company stands for it later.
    ("台湾の電子機器大手、北浜電機は新型サーバーを発表した。電子機器大手は米国に20億ドルを投資する。", None,
     [C("investment", "kitahama", "us", amount=(2 * B, 2 * B, "USD", None))]),
    # The speaker is not the actor.
    ("北浜電機はテキサス州に500億ドルを投資すると佐藤一郎氏が述べた。", None,
     [C("investment", "kitahama", "texas", amount=(50 * B, 50 * B, "USD", None), by="sato")]),
    # An outlet (…と、Xが報じた) is never the actor; Xを巡っては names what the sentence is about.
    ("北浜電機を巡っては、Nortovaに5年間で約40億ドル分の部品を供給する契約を結んだと、ロイターが報じた。", None,
     [C("contract", "nortova", "kitahama", amount=(4 * B, 4 * B, "USD", None), modality="reported",
        by="reuters")]),
    # An outlet as the topic (Xは…と報じた) is not the actor: the が-subject of the clause it reports is, also
    # where T is embedded in the predicate that subject hangs on (…を取得する方向で調整している).
    ("ロイターは3日、北浜電機が東邦電材の株式約20%を取得する方向で調整していると報じた。", None,
     [C("ownership", "kitahama", "toho", amount=(20, 20, "percent", None), modality="reported", by="reuters")]),
    ("北浜電機が東邦電材の株式約20%を取得する方向で調整していることが分かった。", None,
     [C("ownership", "kitahama", "toho", amount=(20, 20, "percent", None))]),
    # Building a site is an investment in its place, a county with the state written before it.
    ("東邦電材はテキサス州ハーロウ郡とオハイオ州に新たなデータセンターを建設する。", None,
     [C("investment", "toho", p, purpose="site") for p in ("harlow", "texas", "ohio")]),
    # A passive names what is built: no zero subject.
    ("北浜電機は好調だ。もしテキサス州に大規模な拠点が建設されれば、電力が足りなくなる。", None, []),
    # A question asserts nothing.
    ("東邦電材はNortovaに出資するのか。", None, []),
    # Investors listed in a relative clause on the company invested in; a member may carry a description.
    ("北浜電機、ソフトバンクグループと、米投資会社Nortovaが出資する東邦電材は、上場を目指している。", None,
     [C("investment", s, "toho") for s in ("kitahama", "softbank", "nortova")]),
    # A noun predicate: AはBとともにCの出資者だ.
    ("東邦電材はNortovaとともに北浜電機の主要な出資者だ。", None,
     [C("investment", s, "kitahama") for s in ("toho", "nortova")]),
    # Direction of money: the subject receives, the から argument invests.
    ("北浜電機はNortovaから計40億ドルの出資を受けている。", None,
     [C("investment", "nortova", "kitahama", amount=(4 * B, 4 * B, "USD", None))]),
    # Each subject with its own amount.
    ("マイクロソフトが最大30億ドル、エヌビディアが最大60億ドルを東邦電材に出資する。", None,
     [C("investment", "microsoft", "toho", amount=(None, 3 * B, "USD", None)),
      C("investment", "nvidia", "toho", amount=(None, 6 * B, "USD", None))]),
    # 来年 names a year; the amount is not annual.
    ("東邦電材は来年20億ドルを投じる。", None,
     [C("investment", "toho", None, amount=(2 * B, 2 * B, "USD", None))]),
    # The maker of what is deployed or used is the supplier; the amount may be power or a count.
    ("東邦電材はエヌビディア製GPUを合計3ギガワット分導入する。", None,
     [C("contract", "toho", "nvidia", amount=(3 * B, 3 * B, "power", None))]),
    ("北浜電機はグーグルのTPUを最大50万個利用する契約を結んだ。", None,
     [C("contract", "kitahama", "google", amount=(None, 5e5, "count", None))]),
    # Acquiring a thing from a seller is a purchase; acquiring shares is ownership.
    ("北浜電機はNortovaから1億ドルで旧工場を取得した。", None,
     [C("contract", "kitahama", "nortova", amount=(1e8, 1e8, "USD", None))]),
    ("東邦電材は北浜電機の発行済み株式の約20％を取得する。", None,
     [C("ownership", "toho", "kitahama", amount=(20.0, 20.0, "percent", None))]),
    # 傘下に収める, 傘下の with the parent left to the topic, 親会社.
    ("東邦電材は2024年、北浜電機を傘下に収めた。", None, [C("ownership", "toho", "kitahama")]),
    ("東邦電材は好調だ。オハイオ州では傘下の北浜電機が拠点を開発する。", None,
     [C("ownership", "toho", "kitahama"), C("investment", "kitahama", "ohio", purpose="site")]),
    ("Nortovaは親会社の東邦電材を通じて資金を得た。", None, [C("ownership", "toho", "nortova")]),
    # A title held (を務める) with no organization written: the sentence topic's.
    ("東邦電材は北浜電機が出資する新興企業で、孫正義氏が会長を務める。", None,
     [C("investment", "kitahama", "toho"), C("role", "son", "toho", title="chairman")]),
    # X氏が率いるY.
    ("佐藤一郎氏が率いる東邦電材は成長している。", None, [C("role", "sato", "toho", title="leader")]),
    # A denied report: the reported claim, negated; the investee is the company raising funds.
    ("北浜電機が資金調達を進め、Nortovaが最大20億ドルを出資するとの報道について、東邦電材は否定した。", None,
     [C("investment", "nortova", "kitahama", amount=(None, 2 * B, "USD", None), modality="reported",
        polarity="negated")]),
    # と組む; 両社で (the parties acting together).
    ("北浜電機はNortovaと組み、新型ロボットを開発する。", None, [C("partnership", "kitahama", "nortova")]),
    ("北浜電機は東邦電材の株式を取得し、両社で次世代電池を共同開発する。", {"両社": ("kitahama", "toho")},
     [C("ownership", "kitahama", "toho"), C("partnership", "kitahama", "toho", scope="次世代電池")]),
    # A joint venture split equally: a partnership of the parents and 50% of the new company to each.
    ("東邦電材とNortovaは折半出資で合弁会社北浜電機を設立した。", None,
     [C("partnership", "nortova", "toho", kind="joint_venture"),
      C("ownership", "toho", "kitahama", amount=(50.0, 50.0, "percent", None)),
      C("ownership", "nortova", "kitahama", amount=(50.0, 50.0, "percent", None))]),
    # The figure of one clause and the site of the next are one investment (…億円を投じ、B州に…を建設).
    ("東邦電材は約80億ドルを投じ、オハイオ州に新たなデータセンターを建設する。", None,
     [C("investment", "toho", "ohio", amount=(8 * B, 8 * B, "USD", None), purpose="site")]),
    # A place marked で before a noun-modifying trigger (B州で建設中の施設) is where it is built.
    ("北浜電機はテキサス州で建設中のデータセンターについて、規模を見直す。", None,
     [C("investment", "kitahama", "texas", purpose="site")]),
    # 増強 a site is building it out; 協力 with a partner is a partnership.
    ("北浜電機はメキシコのデータセンターを増強する。", None, [C("investment", "kitahama", "mexico", purpose="site")]),
    ("北浜電機は東邦電材と電池の開発で協力する。", None, [C("partnership", "kitahama", "toho", scope="電池の開発")]),
    # AはBと（…の事業で）合弁会社を設立: the partner however the parser hung it on the phrase after it.
    ("北浜電機は米Nortovaと日本国内の物流事業で合弁会社を設立した。", None,
     [C("partnership", "kitahama", "nortova", kind="joint_venture")]),
    # XによるYへの出資: X is the investor, not a source.
    ("北浜電機による東邦電材への出資は最大5億ドルとなる。", None,
     [C("investment", "kitahama", "toho", amount=(None, 0.5 * B, "USD", None))]),
    ("関係者による説明では、北浜電機が東邦電材に出資する。", None,
     [C("investment", "kitahama", "toho", modality="reported")]),
    # A qualifier (少なくとも) between the object and the verb takes no argument of its own.
    ("東邦電材はエヌビディアのシステムを少なくとも2ギガワット分導入する。", None,
     [C("contract", "toho", "nvidia", amount=(2 * B, None, "power", None))]),
    # Using a company's product (Bの技術を使う, BのTPUを活用) is buying from it; one's own money is not.
    ("北浜電機はグーグルの技術を使うため、毎年1億ドルを支払う。", None,
     [C("contract", "kitahama", "google", amount=(1e8, 1e8, "USD", "year"))]),
    ("北浜電機は自社の資金を使う。", None, []),
    # Each holder with its own percentage is a stake, not a sum of money; without a company invested in, nothing.
    ("東邦電材には、北浜電機が約70%、Nortovaが約30%を出資する。", None,
     [C("ownership", "kitahama", "toho", amount=(70.0, 70.0, "percent", None)),
      C("ownership", "nortova", "toho", amount=(30.0, 30.0, "percent", None))]),
    ("総事業費は約9億ドルで、北浜電機が60%、Nortovaが40%を出資する。", None, []),
    # Xの（7～9月期の）設備投資額: the company the figure is said of, through a time phrase.
    ("北浜電機の7～9月期の設備投資額は12億ドルだった。", None,
     [C("investment", "kitahama", None, amount=(1.2 * B, 1.2 * B, "USD", None))]),
    # A sentence about sites that lists their places: the owner written with a site noun the sentence before
    # (Xの新たな拠点), a name the gazetteer does not know between members; a place denied is no site.
    ("東邦電材は計画「スターゲート」の新たな拠点として3カ所を選んだ。新拠点はテキサス州ハーロウ郡、オハイオ州とメキシコだ。",
     None, [C("investment", "stargate", p, purpose="site") for p in ("harlow", "texas", "ohio", "mexico")]),
    ("北浜電機は好調だ。拠点はテキサス州とオハイオ州だ。", None,
     [C("investment", "kitahama", p, purpose="site") for p in ("texas", "ohio")]),
    ("北浜電機は好調だ。拠点はテキサス州ではなく、オハイオ州に置く。", None, []),
    ("北浜電機は好調だ。拠点は米国にはない。", None, []),
    # Aの主力拠点に加え、Bに拠点を広げる: A's site is the subject's too.
    ("北浜電機はテキサス州の主力拠点に加え、オハイオ州などに拠点を広げている。", None,
     [C("investment", "kitahama", p, purpose="site") for p in ("texas", "ohio")]),
    # AはBと（5年間で…の）購入契約を結んだ, however the parser hung B.
    ("北浜電機は東邦電材と5年間で3億ドル規模の部品の購入契約を結んだ。", None,
     [C("contract", "kitahama", "toho", amount=(3e8, 3e8, "USD", None), duration="5 years")]),
    # 稼働させる a site is running it.
    ("北浜電機はオハイオ州で新しいデータセンターを稼働させる。", None, [C("investment", "kitahama", "ohio", purpose="site")]),
    # A share of a company's figure (…製品が売上の4割を占め) is the share of the company the text is about;
    # a share of an unowned whole (市場規模) is not.
    ("北浜電機は電子機器の大手だ。直近の四半期では、サーバー製品が売上の40%超を占めた。", None,
     [C("statistic", "kitahama", None, amount=(40.0, None, "percent", None), metric="売上に占める割合")]),
    ("北浜電機は好調だ。電池が市場規模に占める割合は30%だ。", None,
     [C("statistic", None, None, amount=(30.0, 30.0, "percent", None))]),
    # A zero subject after 両社は is ambiguous: no claim for the second sentence.
    ("両社は新型ラックを共同で設計する。メキシコで量産する計画だ。", {"両社": ("kitahama", "toho")},
     [C("partnership", "kitahama", "toho", scope="新型ラック")]),
    # A size sentence naming no company (投資額は…, 総額は…) gives the figure of the deal the sentence before
    # states without one: a plant built is then an investment in its place, a stake bought one in the company.
    ("北浜電機はテキサス州に半導体の新工場を建設すると発表した。投資額は約30億ドルで、2029年の稼働を目指す。", None,
     [C("manufacturing", "kitahama", "texas", by="kitahama"),
      C("investment", "kitahama", "texas", amount=(3 * B, 3 * B, "USD", None), by="kitahama")]),
    ("東邦電材はNortovaと部品の購入契約を結んだ。期間は7年で、総額は約900億円。", None,
     [C("contract", "toho", "nortova", amount=(90 * B, 90 * B, "JPY", None))]),
    ("北浜電機は東邦電材の株式約30%を取得すると発表した。取得額は約12億ドルとなる。", None,
     [C("ownership", "kitahama", "toho", amount=(30, 30, "percent", None), by="kitahama"),
      C("investment", "kitahama", "toho", amount=(1.2 * B, 1.2 * B, "USD", None), by="kitahama")]),
    # … not when the size sentence names a company of its own, nor for a deal that has no size (a partnership).
    ("東邦電材はNortovaと部品の購入契約を結んだ。北浜電機の投資額は約20億ドルだ。", None,
     [C("contract", "toho", "nortova"), C("investment", "kitahama", None, amount=(2 * B, 2 * B, "USD", None))]),
    ("東邦電材はNortovaと提携した。総額は約900億円。", None, [C("partnership", "nortova", "toho")]),
    ("東邦電材はNortovaと部品の購入契約を結んだ。今期の受注の総額は約900億円だ。", None, [C("contract", "toho", "nortova")]),
    # Aが出資する発電会社Xは: the name after the descriptor is the company invested in, however the parser split them.
    ("北浜電機が30%を出資する発電会社ZENAは、増設を決めた。", None,
     [C("ownership", "kitahama", "zena", amount=(30, 30, "percent", None))]),
    # 出資比率はAがX%、BがY% after a venture is set up: each holder owns its share of the venture.
    ("北浜電機と東邦電材は合弁会社「Nortova」を設立する。出資比率は北浜電機が70%、東邦電材が30%。", None,
     [C("partnership", "kitahama", "toho", kind="joint_venture"),
      C("ownership", "kitahama", "nortova", amount=(70, 70, "percent", None)),
      C("ownership", "toho", "nortova", amount=(30, 30, "percent", None))]),
    # … only of a company set up: a partnership's split names no company owned.
    ("北浜電機は東邦電材と提携した。出資比率は北浜電機が70%、東邦電材が30%。", None,
     [C("partnership", "kitahama", "toho")]),
    # Bと、…を供給する契約を結んだ: the subject supplies, the と partner buys (a buying clause keeps the subject the buyer).
    ("東邦電材は同日、Nortovaと、新工場で作る部品を供給する契約を結んだことも明らかにした。", None,
     [C("contract", "nortova", "toho", by="toho")]),
    ("東邦電材はNortovaと、部品を購入する契約を結んだ。", None, [C("contract", "toho", "nortova")]),
    # Leasing out capacity (AはBに…を貸し出す) is supplying it: B is the customer; AはBから借りる is no claim of it.
    ("東邦電材はNortovaに計算能力を貸し出している。", None, [C("contract", "nortova", "toho")]),
    ("東邦電材はNortovaから建物を貸し出してもらう。", None, []),
    # …の供給契約 likewise: the subject supplies (a purchase contract keeps the subject the buyer).
    ("東邦電材はNortovaと長期の電力供給契約を結んだ。", None, [C("contract", "nortova", "toho")]),
    ("東邦電材はNortovaと部品の購入契約を結んだ。", None, [C("contract", "toho", "nortova")]),
    # AはBと共同で運営する…: a partnership; 共同で without a partner is none.
    ("北浜電機はNortovaと共同で運営するハーロウ郡の工場で、サーバーを生産している。", None,
     [C("partnership", "kitahama", "nortova"), C("manufacturing", "kitahama", "harlow")]),
    ("北浜電機は共同で運営するハーロウ郡の工場で、サーバーを生産している。", None, [C("manufacturing", "kitahama", "harlow")]),
    # A list closed by といった takes the role of the noun it exemplifies (A、BといったメーカーにT).
    ("東邦電材はNortova、北浜電機といった大手に基板を供給している。", None,
     [C("contract", "nortova", "toho"), C("contract", "kitahama", "toho")]),
    ("東邦電材は、Nortova、北浜電機といった米大手との複数年の供給契約を結んでいる。", None,
     [C("contract", "nortova", "toho"), C("contract", "kitahama", "toho")]),
    # A plain の is no such list: supplying Nortova's customers is no contract with Nortova.
    ("東邦電材はNortovaの顧客に部品を供給している。", None, []),
    # A subsidiary as an oblique argument (Bの子会社に供給する) is not what the subject is; Bの子会社になる is.
    ("東邦電材はNortovaの子会社に部品を供給している。", None, []),
    ("東邦電材はNortovaの子会社になった。", None, [C("ownership", "nortova", "toho")]),
    # An attitude (投資姿勢, 投資意欲) is no event: not denied by 崩さない, not claimed either; 投資を見送る is denied.
    ("北浜電機は受注が多いことを理由に、強気の投資姿勢を崩さない構えだ。", None, []),
    ("北浜電機はテキサス州への投資を見送った。", None, [C("investment", "kitahama", "texas", polarity="negated")]),
    # 全額出資 is a stake of 100%; a plain 出資 without a share stays an investment.
    ("北浜電機が全額出資する東邦電材がハーロウ郡の工場を運営する。", None,
     [C("ownership", "kitahama", "toho", amount=(100.0, 100.0, "percent", None)),
      C("manufacturing", "toho", "harlow")]),
    ("北浜電機は東邦電材への出資の全額を負担した。", None, [C("investment", "kitahama", "toho")]),
    # The owner of the factory makes the things, not every partner.
    ("両社は新型ラックを共同で設計し、北浜電機のメキシコ工場で製造する。", {"両社": ("kitahama", "toho")},
     [C("partnership", "kitahama", "toho", scope="新型ラック"), C("manufacturing", "kitahama", "mexico",
                                                                   facility="メキシコ工場")]),
]


@pytest.mark.parametrize("text,extra,expected", CASES, ids=[f"jac{i:02d}" for i in range(len(CASES))])
def test_japanese_constructions(text, extra, expected):
    check(run(text, "ja", extra), expected, text)


def test_dosha_is_not_its_own_clause_subject():
    """「Xは同社の出資者だ」: 同社 names the company of the sentence before, not X."""
    text = "北浜電機は新工場を建てた。東邦電材は同社の大株主だ。"
    mentions = [(0, 4, "company:kitahama"), (13, 17, "company:toho")]
    assert resolve_references(text, mentions) == [(18, 20, ["company:kitahama"])]


def test_title_before_the_name_takes_the_known_affiliation():
    """共同創業者のX氏 with no organization written: the gazetteer's organization of the person."""
    text = "株価は3割上がり、共同創業者のサム・アルトマン氏は喜んだ。"
    passages = split_passages(text)
    docs = nlp.analyze([p.text for p in passages], "ja")
    claims = extract_claims(text, passages, docs, pipeline_mentions(passages, docs, "ja"), lang="ja")
    roles = [(c.subject.id, c.object.id, c.details["title"]) for c in claims if c.type == "role"]
    assert roles == [("person:sam-altman", "company:openai", "co-founder")]
