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
    # A product the gazetteer knows with its maker (company:microsoft).
    "product:azure": ("Microsoft Azure", "product"),
    "zena": ("Zena", "company"),
})
SURFACES.update({"北浜電機": "kitahama", "東邦電材": "toho", "Nortova": "nortova", "ハーロウ郡": "harlow",
                 "佐藤一郎": "sato", "Azure": "product:azure", "ZENA": "zena"})

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
    # A place set as the topic of where (では), the builders as subject of a clause under 予定.
    ("オハイオ州では、北浜電機と東邦電材が大型の拠点を開発する予定だ。", None,
     [C("investment", s, "ohio", purpose="site", modality="planned") for s in ("kitahama", "toho")]),
    ("テキサス州ハーロウ郡では東邦電材がデータセンターを整備する。", None,
     [C("investment", "toho", p, purpose="site") for p in ("harlow", "texas")]),
    # A site clause modifying the site noun: its place is on the noun (B州の) or the clause (B州で), its builder
    # the clause's subject or the noun's owner (Aのデータセンター).
    ("北浜電機が運営するオハイオ州のデータセンターは満杯だ。", None, [C("investment", "kitahama", "ohio", purpose="site")]),
    ("オハイオ州で建設が進む北浜電機のデータセンターは、来年稼働する。", None,
     [C("investment", "kitahama", "ohio", purpose="site")]),
    # ...not a clause on another noun (道路, 本社ビル).
    ("オハイオ州で建設が進む道路の近くに、北浜電機の拠点がある。", None, []),
    ("オハイオ州で建設が進む北浜電機の本社ビルは、来年完成する。", None, []),
    # では on another clause is not where the site is built.
    ("テキサス州では電力が不足しており、北浜電機は拠点の建設を急いでいる。", None, []),
    # A stake noun: the holder's share of the company invested in the sentence before.
    ("北浜電機はNortovaに計20億ドルを出資する。払い込みが終われば、北浜電機の持ち分は約15%になる。", None,
     [C("investment", "kitahama", "nortova", amount=(2 * B, 2 * B, "USD", None)),
      C("ownership", "kitahama", "nortova", amount=(15.0, 15.0, "percent", None))]),
    ("東邦電材はNortovaの株式の約30%を保有する。北浜電機の持ち分は約12%だ。", None,
     [C("ownership", "toho", "nortova", amount=(30.0, 30.0, "percent", None)),
      C("ownership", "kitahama", "nortova", amount=(12.0, 12.0, "percent", None))]),
    # ...not of a company the sentence before only names.
    ("北浜電機はNortovaと新型サーバーを共同で設計する。東邦電材の持ち分は約12%だ。", None,
     [C("partnership", "kitahama", "nortova", scope="新型サーバー")]),
    # A time as the topic (今年は) leaves the clause without a subject: the company the sentence before is about.
    ("北浜電機は部品事業を拡大している。今年は東邦電材を40億ドルで買収した。", None,
     [C("ownership", "kitahama", "toho", amount=(100, 100, "percent", None)),
      C("investment", "kitahama", "toho", amount=(4 * B, 4 * B, "USD", None))]),
    # An overt topic that is not a named entity is the subject: no claim.
    ("北浜電機は部品事業を拡大している。大手ファンドは東邦電材を40億ドルで買収した。", None, []),
    # A verbal noun under a verb of its phase (建設に着手): the places on that verb are where the plant is built.
    ("東邦電材はオハイオ州で新工場の建設に着手した。", None,
     [C("manufacturing", "toho", "ohio", facility="新工場")]),
    # ...but a place on another verb is not.
    ("東邦電材はテキサス州で会見を開き、新工場の建設に着手したと述べた。", None, []),
    # AはBと組み、…を配備する: who the subject deploys with is its supplier (with the power figure).
    ("北浜電機はNortovaと組み、自社で設計したサーバーを3ギガワット分配備する。", None,
     [C("partnership", "kitahama", "nortova"),
      C("contract", "kitahama", "nortova", amount=(3e9, 3e9, "power", None))]),
    # ...not a partner of another, finished event (提携したが), nor when the deployed product has its maker.
    ("北浜電機はNortovaと提携したが、新型サーバーを数年かけて配備する。", None, [C("partnership", "kitahama", "nortova")]),
    ("北浜電機はNortovaと組み、東邦電材製のGPUを導入する。", None,
     [C("partnership", "kitahama", "nortova"), C("contract", "kitahama", "toho")]),
    # A factory a building clause right before it places (B州に建設している工場の…).
    ("東邦電材は、オハイオ州に建設している電池工場の立ち上げを急いでいる。", None,
     [C("manufacturing", "toho", "ohio", facility="電池工場")]),
    # ...not a clause of another verb (納入している).
    ("東邦電材は、オハイオ州に納入している電池工場の立ち上げを急いでいる。", None, []),
    # The place of what the money goes to (米国での開発に…を投じる) is the target.
    ("東邦電材は米国での研究と開発に約50億ドルを投じる。", None,
     [C("investment", "toho", "us", amount=(5 * B, 5 * B, "USD", None))]),
    # A place of another phrase (…で開いた会見) is not.
    ("東邦電材は米国で開いた会見で、研究開発に約50億ドルを投じると述べた。", None,
     [C("investment", "toho", None, amount=(5 * B, 5 * B, "USD", None), by="toho")]),
    # A production line (試作ライン, 量産ライン) put into operation in a place is making things there.
    ("オハイオ州では、東邦電材が新型電池の量産ラインを稼働させた。", None, [C("manufacturing", "toho", "ohio")]),
    ("東邦電材はオハイオ州で電話の受付ラインを増やした。", None, []),
    # A factory converted into a site (…をデータセンターに転換する): a site investment in its place, with the price.
    ("東邦電材はオハイオ州にある北浜電機の工場を約5億ドルで取得し、データセンターに転換する。", None,
     [C("investment", "toho", "ohio", amount=(5e8, 5e8, "USD", None), purpose="site")]),
    ("東邦電材はオハイオ州の工場でサーバーを生産し、データセンターに出荷する。", None,
     [C("manufacturing", "toho", "ohio", product="サーバー")]),
    # A former factory (旧工場) turned into something else is no manufacturing; a verb of making in it is.
    ("東邦電材は、オハイオ州の旧液晶工場をデータセンターに転用する。", None,
     [C("investment", "toho", "ohio", purpose="site")]),
    ("東邦電材は、オハイオ州の旧液晶工場を売りに出す。", None, []),
    ("東邦電材は、オハイオ州の旧工場で、サーバーを製造する計画だ。", None,
     [C("manufacturing", "toho", "ohio", product="サーバー", modality="planned")]),
    ("東邦電材は、オハイオ州の地元工場でサーバー部品を生産する。", None,
     [C("manufacturing", "toho", "ohio", facility="地元工場")]),
    # The figure of the next sentence, which does not name the investor, is the investment in the sites.
    ("北浜電機はオハイオ州にデータセンターを建設する。投資額は30億ドルだ。", None,
     [C("investment", "kitahama", "ohio", amount=(3 * B, 3 * B, "USD", None), purpose="site")]),
    # 「Aの強みは、Bの株式を保有していることだ」: the topic noun's owner holds the stake.
    ("北浜電機の強みは、東邦電材の株式の約40%を保有していることだ。", None,
     [C("ownership", "kitahama", "toho", amount=(40.0, 40.0, "percent", None))]),
    ("北浜電機の社員の関心は、東邦電材の株式の約40%を保有していることだ。", None, []),
    # 子会社化: the subject becomes the parent of the を argument; a procedure named 子会社化 owns nothing.
    ("北浜電機は東邦電材を約40億ドルで子会社化した。", None,
     [C("ownership", "kitahama", "toho", amount=(4 * B, 4 * B, "USD", None))]),
    ("北浜電機は子会社化の手続きを東邦電材に委ねた。", None, []),
    # Opening, starting construction of or setting up a site (開設, 着工, 構え, 稼働を始め) is an investment in its place.
    ("北浜電機はオハイオ州に2カ所目のデータセンターを開設した。", None, [C("investment", "kitahama", "ohio", purpose="site")]),
    ("北浜電機はテキサス州ハーロウ郡でデータセンターの稼働を始めた。", None,
     [C("investment", "kitahama", p, purpose="site") for p in ("harlow", "texas")]),
    ("北浜電機はオハイオ州で新型電池の販売を始めた。", None, []),
    # A site clause describing a site noun with no subject of its own takes no zero subject.
    ("北浜電機は好調だ。オハイオ州で稼働を始めた拠点などと合わせ、計画容量は7ギガワットに達する。", None, []),
    # A cleft (…のが、Xだ) names what the next sentences are about: their zero subject.
    ("新市場を引っ張っているのが、北浜電機だ。10月には、Nortovaとの提携が発表された。", None,
     [C("partnership", "kitahama", "nortova")]),
    ("新市場を引っ張っているのが、北浜電機の技術者だ。10月には、Nortovaとの提携が発表された。", None, []),
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
    # A figure of a clause before T with a subject of its own that is no entity (市場は…規模に拡大する見込みで) is not
    # T's; T's own figure still is.
    ("冷却装置の世界市場は30年に90億ドル規模に拡大する見込みで、北浜電機も増産投資を急いでいる。", None, []),
    ("冷却装置の世界市場は拡大する見込みで、北浜電機も約5億ドルを投資する。", None,
     [C("investment", "kitahama", None, amount=(0.5 * B, 0.5 * B, "USD", None))]),
    # Money spent in a て-clause on a site verb (…を投じてPの工場に…を増設する) goes to that verb's place; on a verb
    # that builds nothing (…を投じて、Pで販売を広げる is still a site verb, 採用する is not), no place.
    ("東邦電材は約4億ドルを投じてオハイオ州の工場に新ラインを増設した。", None,
     [C("investment", "toho", "ohio", amount=(0.4 * B, 0.4 * B, "USD", None), purpose="site"),
      C("manufacturing", "toho", "ohio")]),
    ("東邦電材は約4億ドルを投じて、テキサス州で新たな拠点を開設する。", None,
     [C("investment", "toho", "texas", amount=(0.4 * B, 0.4 * B, "USD", None), purpose="site")]),
    ("東邦電材は約4億ドルを投じてオハイオ州で技術者を採用する。", None,
     [C("investment", "toho", None, amount=(0.4 * B, 0.4 * B, "USD", None))]),
    # … and the same with the site clause first (Pに…を建設し、…を投じる); a clause that builds nothing gives no place.
    ("東邦電材はテキサス州に新たな拠点を開設し、2030年までに約6億ドルを投じる。", None,
     [C("investment", "toho", "texas", amount=(0.6 * B, 0.6 * B, "USD", None), purpose="site")]),
    ("東邦電材はテキサス州に出力3万キロワット級の拠点を開設し、約6億ドルを投じる。", None,
     [C("investment", "toho", "texas", amount=(0.6 * B, 0.6 * B, "USD", None), purpose="site")]),
    ("東邦電材は新会社を設けた。テキサス州に受電容量3万キロワット級の拠点を開設し、約6億ドルを投じる。", None,
     [C("investment", "toho", "texas", amount=(0.6 * B, 0.6 * B, "USD", None), purpose="site")]),
    ("東邦電材はテキサス州で新製品を発表し、約6億ドルを投じる。", None,
     [C("investment", "toho", None, amount=(0.6 * B, 0.6 * B, "USD", None))]),
    # A size of a phase (第1期の) or of the site just named (同工場の) is still the site's, two sentences on (the
    # site's capacity, written with no owner, is the company's figure: the learned statistic pass, session 8).
    ("北浜電機はオハイオ州に新たなデータセンターを建設する。受電容量は当初40MWとする。第1期の投資額は約9億ドルを見込む。", None,
     [C("investment", "kitahama", "ohio", amount=(0.9 * B, 0.9 * B, "USD", None), purpose="site"),
      C("statistic", "kitahama", None, amount=(4e7, 4e7, "power", None), metric="容量")]),
    ("北浜電機はテキサス州に新工場を建設する。同工場の総投資額は約8億ドルとなる。", None,
     [C("manufacturing", "kitahama", "texas"),
      C("investment", "kitahama", "texas", amount=(0.8 * B, 0.8 * B, "USD", None))]),
    ("北浜電機はテキサス州に新工場を建設する。部品事業の総投資額は約8億ドルとなる。", None,
     [C("manufacturing", "kitahama", "texas"), C("investment", "kitahama", None, amount=(0.8 * B, 0.8 * B, "USD", None))]),
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
    # A list of places closed by といった before the plant of a company (…といった地域のX施設で組み立てる): the
    # company makes things in each place.
    ("ミシガン州、ジョージア州、アリゾナ州といった地域の北浜電機施設で組み立てる方針だ。", None,
     [C("manufacturing", "kitahama", p, modality="planned") for p in ("michigan", "georgia", "arizona")]),
    # Only the company written right before the plant noun makes the things (not one joined by と).
    ("北浜電機とNortovaの社員がオハイオ州の東邦電材工場で生産を視察した。", None,
     [C("manufacturing", "toho", "ohio")]),
    # X側から見れば / Xにとって at a sentence's start make X the topic; a topic that is the company's own business
    # (電池事業は, 半導体部門は) does not block the zero subject, nor does the が-subject of a concessive clause.
    ("北浜電機側から見れば、今回の決定は賭けでもある。家電の販売が長く稼ぎ頭だったが、電池事業が急成長しており、"
     "向こう5年間で年間10億～15億ドルを電池と素材に投じる計画だという。", None,
     [C("investment", "kitahama", None, amount=(1 * B, 1.5 * B, "USD", "year"), modality="planned",
        purpose="電池と素材")]),
    ("東邦電材にとって、欧州市場は重要だ。半導体部門は今後、年間5億ドルを新素材に投資する計画だ。", None,
     [C("investment", "toho", None, amount=(0.5 * B, 0.5 * B, "USD", "year"), modality="planned")]),
    # Xの電池事業は: the company whose business it is, not the topic before.
    ("北浜電機は好調だ。東邦電材の電池事業は年間3億ドルを投資する。", None,
     [C("investment", "toho", None, amount=(0.3 * B, 0.3 * B, "USD", "year"))]),
    # A time word or a date marked は (今後は, 2026年は) says when, not who; a subject after it still blocks.
    ("東邦電材は好調だ。今後は年間4億ドルを新工場に投じる計画だ。", None,
     [C("investment", "toho", None, amount=(0.4 * B, 0.4 * B, "USD", "year"), modality="planned")]),
    ("東邦電材は好調だ。2027年は政府が年間4億ドルを投じる。", None, []),
    # A joint business (合弁事業は) is not one company's own.
    ("北浜電機は好調だ。合弁事業は年間3億ドルを投資する。", None, []),
    # An overt topic that is neither (政府は), or a は-topic of a concessive clause (政府は…が、), blocks it.
    ("北浜電機側から見れば、今回の決定は賭けでもある。政府は年間10億ドルを投じる計画だ。", None, []),
    ("北浜電機は好調だ。政府は反対していたが、最終的に20億ドルを投じた。", None, []),
    # Xにとって inside a sentence is no topic: the sentence's own topic (東邦電材は) is.
    ("東邦電材は北浜電機にとって重要な顧客だ。年間2億ドルを投資する計画だ。", None,
     [C("investment", "toho", None, amount=(0.2 * B, 0.2 * B, "USD", "year"), modality="planned")]),
    # A、B、CといったN1やN2との契約: each listed company (a product: its maker) is a supplier of the topic company.
    ("一方の北浜電機は、電力と半導体の確保を急いでいる。グーグル、Azure、AMDといった大手クラウドや半導体企業との"
     "長期にわたる大口の契約がその柱だ。", None,
     [C("contract", "kitahama", s_) for s_ in ("google", "company:microsoft", "amd")]),
    # The listed companies describe a noun that is no party of the contract (…といった企業の動向).
    ("北浜電機はグーグル、AMDといった企業の動向を注視しつつ、東邦電材と契約を結んだ。", None,
     [C("contract", "kitahama", "toho")]),
    # Bと共同で…を整備したり、Cと…の合弁事業を立ち上げたり: partnerships of the topic company; C's parent (D傘下のC)
    # owns C and is no partner.
    ("北浜電機は電池に力を入れている。メキシコで東邦電材と共同で物流拠点を整備したり、ソフトバンクグループ傘下の"
     "Nortovaと新素材の合弁事業を立ち上げたりと、動きが速い。", None,
     [C("partnership", "kitahama", "toho"), C("partnership", "kitahama", "nortova", kind="joint_venture"),
      C("investment", "kitahama", "mexico", purpose="site"), C("ownership", "softbank", "nortova")]),
    # 共同で with no partner named is no partnership.
    ("北浜電機は好調だ。社内の二つの部署が共同で新製品を作った。", None, []),
    # …するのは、容易ではない / …からだろう: the judgement on a のは-clause does not negate or hedge its event.
    ("両社が新型ラックを共同で開発するのは、容易ではない。", {"両社": ("kitahama", "toho")},
     [C("partnership", "kitahama", "toho")]),
    ("オハイオ州の北浜電機工場で生産するのは、コストを抑えるためだろう。", None,
     [C("manufacturing", "kitahama", "ohio")]),
    ("北浜電機は東邦電材と共同で開発しない。", None, [C("partnership", "kitahama", "toho", polarity="negated")]),
    # A percentage of a population as a clause's subject is a statistic with no entity as its subject.
    ("近年、60%を超える企業が日本国内に生産を戻した。", None,
     [C("statistic", None, None, amount=(60.0, None, "percent", None), metric="企業の割合")]),
    ("調査では回答者の4割が値上げに反対した。", None,
     [C("statistic", None, None, amount=(40.0, 40.0, "percent", None), metric="回答者の割合")]),
    ("北浜電機は年内に30%の株式を売却した。", None, []),    # A に-phrase the parser hangs on a bare amount (…データセンターに|20億ドルを|投じる) is the verb's argument.
    ("東邦電材はオハイオ州のデータセンターに3年間で20億ドルを投じる。", None,
     [C("investment", "toho", "ohio", amount=(2 * B, 2 * B, "USD", None))]),
    # The place of a site on the investment's predicate (Pのデータセンターを軸に), or in its purpose clause
    # (Pの工場で…するため), is where the money goes; a purpose clause without a place names none.
    ("東邦電材はオハイオ州のデータセンターを軸に、3年間で20億ドルを投じる計画だ。", None,
     [C("investment", "toho", "ohio", amount=(2 * B, 2 * B, "USD", None), modality="planned")]),
    ("北浜電機は、テキサス州ハーロウ郡の工場で新型電池を量産するため、約15億ドルを追加で投じる。", None,
     [C("investment", "kitahama", p, amount=(1.5 * B, 1.5 * B, "USD", None)) for p in ("harlow", "texas")]
     + [C("manufacturing", "kitahama", p) for p in ("harlow", "texas")]),
    ("北浜電機は、メキシコで新型電池を量産するため、約15億ドルを投じる。", None,
     [C("investment", "kitahama", "mexico", amount=(1.5 * B, 1.5 * B, "USD", None)),
      C("manufacturing", "kitahama", "mexico")]),
    ("北浜電機は需要の急増に応えるため、約15億ドルを投じる。", None,
     [C("investment", "kitahama", None, amount=(1.5 * B, 1.5 * B, "USD", None))]),
    ("北浜電機はオハイオ州の拠点で培った技術を生かし、約15億ドルを投じる。", None,
     [C("investment", "kitahama", None, amount=(1.5 * B, 1.5 * B, "USD", None))]),
    # A tie or a deal ended (提携を解消, 契約を打ち切る) is negated; 解消 of something else is not.
    ("北浜電機は東邦電材との提携を解消した。", None, [C("partnership", "kitahama", "toho", polarity="negated")]),
    ("北浜電機はNortovaとの購入契約を打ち切った。", None, [C("contract", "kitahama", "nortova", polarity="negated")]),
    ("北浜電機は東邦電材と提携し、部品の不足を解消した。", None, [C("partnership", "kitahama", "toho")]),
    # AのBへの出資比率: A holds the stake in B.
    ("北浜電機の東邦電材への出資比率は約20%に高まった。", None,
     [C("ownership", "kitahama", "toho", amount=(20, 20, "percent", None))]),
    ("北浜電機の東邦電材への部品の納入は増えた。", None, []),
    # Bに出資し、出資比率は…: the investment and the stake are two clauses, two claims; a percentage of another
    # clause that names no stake (株価) is no stake.
    ("北浜電機はNortovaに出資し、出資比率は約30%に達する。", None,
     [C("investment", "kitahama", "nortova"), C("ownership", "kitahama", "nortova", amount=(30, 30, "percent", None))]),
    ("北浜電機がNortovaに出資すると伝わり、東邦電材の株価は12%上昇した。", None,
     [C("investment", "kitahama", "nortova"),
      C("statistic", "toho", None, amount=(12, 12, "percent", None))]),
    # 建てる builds a site (棟: a building); ドル建て is a currency.
    ("東邦電材はオハイオ州に新たな研究棟を建てる。", None, [C("investment", "toho", "ohio", purpose="site")]),
    ("東邦電材は米ドル建ての社債を発行した。", None, []),
    # A partner introduced as a company of what is supplied (電力会社のB) supplies it in a supply contract.
    ("北浜電機は電力会社のNortovaと長期の電力供給契約を結んだ。", None, [C("contract", "kitahama", "nortova")]),
    # 出荷, 納入 supply: the に or 向けに party buys; an 出荷 without a buyer is none.
    ("東邦電材はNortova向けに新型基板を出荷している。", None, [C("contract", "nortova", "toho")]),
    ("東邦電材は北浜電機に部品を納入する。", None, [C("contract", "kitahama", "toho")]),
    ("東邦電材は来年から新型基板の出荷を始める。", None, []),
    # Customers (or suppliers) named as such: each listed company buys from (sells to) the noun's owner.
    ("東邦電材の主要顧客はNortovaと北浜電機だ。", None,
     [C("contract", "nortova", "toho"), C("contract", "kitahama", "toho")]),
    ("東邦電材の顧客にはNortova、北浜電機、グーグルが名を連ねる。", None,
     [C("contract", c, "toho") for c in ("nortova", "kitahama", "google")]),
    ("東邦電材にとって、Nortovaさんと北浜電機さんが二大顧客です。", None,
     [C("contract", "nortova", "toho"), C("contract", "kitahama", "toho")]),
    ("北浜電機の調達先は東邦電材だ。", None, [C("contract", "kitahama", "toho")]),
    # The noun in another role (顧客の需要, 顧客はBとの取引を…) lists no one.
    ("東邦電材は顧客の需要を見極めながらNortovaと協議する。", None, []),
    ("東邦電材の顧客はNortovaとの取引を広げた。", None, []),
    # A、B、Cの3社は: the list takes the marker of the count noun that sums it up; a site clause describing the named
    # venture they fund (…を整備するX計画) is not theirs.
    ("北浜電機、東邦電材、Nortovaの3社は、オハイオ州でデータセンターを整備するスターゲートに出資する。", None,
     [C("investment", c, "stargate") for c in ("kitahama", "toho", "nortova")]),
    ("北浜電機と東邦電材の両社は、オハイオ州でデータセンターを整備する。", None,
     [C("investment", c, "ohio", purpose="site") for c in ("kitahama", "toho")]),
    # Bと、…について…契約を結んだ: a と-phrase set off by a comma is the predicate's partner, not a conjunct.
    ("東邦電材はNortovaと、ハーロウ郡の工場で作る部材などについて長期の購入契約を結んだ。", None,
     [C("contract", "toho", "nortova"), C("manufacturing", "toho", "harlow")]),
    ("東邦電材はNortovaと北浜電機の株式を取得した。", None,
     [C("ownership", "toho", "nortova"), C("ownership", "toho", "kitahama")]),
    # A report denied in the sentence after by a party of it (Bは…と否定した) is negated; a denial by someone else of
    # something else is not.
    ("ロイターによると、北浜電機は東邦電材に出資する。東邦電材は「そのような事実はない」と否定した。", None,
     [C("investment", "kitahama", "toho", modality="reported", polarity="negated", by="reuters")]),
    ("ロイターによると、北浜電機は東邦電材に出資する。Nortovaは値上げを否定した。", None,
     [C("investment", "kitahama", "toho", modality="reported", by="reuters")]),
    # A government subsidy (補助/助成) is an investment in the company that receives it: the に/に対し company, the
    # company whose site there is funded, or the venture a bracket after it seats in a place; a place alone as the
    # recipient, or a company granting it, makes no claim.
    ("経済産業省は4日、東邦電材に対し、最大120億円を補助すると発表した。", None,
     [C("investment", "meti", "toho", amount=(None, 12 * B, "JPY", None), by="meti")]),
    ("経済産業省は北浜電機の新工場に最大30億円を助成する。", None,
     [C("investment", "meti", "kitahama", amount=(None, 3 * B, "JPY", None))]),
    ("経済産業省は、北浜電機が設立した新会社「Nortova」（本社テキサス州）に対し、最大5億円を補助する。", None,
     [C("investment", "meti", "nortova", amount=(None, 0.5 * B, "JPY", None))]),
    ("経済産業省はテキサス州の工場に最大30億円を補助する。", None, []),
    ("北浜電機は東邦電材に最大30億円を補助する。", None, []),
    # Buying a company outright for a price: all of it, and the price invested in it; a share named, or a part of
    # the company bought (Bの事業), keeps a plain ownership.
    ("東邦電材はNortovaを約12億ドルで買収すると発表した。", None,
     [C("ownership", "toho", "nortova", amount=(100, 100, "percent", None), by="toho"),
      C("investment", "toho", "nortova", amount=(1.2 * B, 1.2 * B, "USD", None), by="toho")]),
    ("東邦電材はNortovaの株式の40%を約5億ドルで買収した。", None,
     [C("ownership", "toho", "nortova", amount=(40, 40, "percent", None))]),
    ("東邦電材はNortovaの電源事業を約5億ドルで買収した。", None,
     [C("ownership", "toho", "nortova", amount=(0.5 * B, 0.5 * B, "USD", None))]),
    # A stake held by the が-subject of a relative clause on a company noun is a stake in that company; without
    # such a subject the noun is the holder.
    ("投資会社の北浜電機が約65%を保有するNortovaは、売却先を探している。", None,
     [C("ownership", "kitahama", "nortova", amount=(65, 65, "percent", None))]),
    ("東邦電材の株式の約65%を保有するNortovaは、売却先を探している。", None,
     [C("ownership", "nortova", "toho", amount=(65, 65, "percent", None))]),
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


def test_a_figure_that_names_its_investor_is_its_own_claim():
    """「AはB州に拠点を建設する。Aは…に30億ドルを投資する」: the second sentence names its investor, so its figure
    is not the sites' investment."""
    text = "北浜電機はオハイオ州にデータセンターを建設する。北浜電機は研究開発に30億ドルを投資する。"
    got = {(c.type, c.object.id if c.object else "", c.amount.max if c.amount else None) for c in run(text, "ja")}
    assert got == {("investment", "ohio", None), ("investment", "", 3 * B)}
