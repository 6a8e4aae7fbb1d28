"""A learned second pass for statistics: whose figure is this?

The rule finders (kb.claims.ja_stats, kb.claims.en_parse) turn a figure into a statistic only when they
recognise the whole construction (metric noun, particle, verb). On text written by other hands most figures of
an article are written some other way, and most of them still belong to a company the article names: 4〜9月期の
連結売上高は前年同期比24%増の1860億円 (the company of the lead), "Capex rose to $18 billion" (the company of
the sentence before). This pass takes every figure of a sentence that no claim uses (money, percent, power,
count) and pairs it with each company it could belong to: the organizations named in the sentence, a person's
company (role claims), the company of the section or the article, the owner of the last statistic. A logistic
model over features of each pair (who is named where, the particle or word after the name, the metric noun and
the words around the figure, the sentence's other triggers) scores the pairs; the best pair over the model's
threshold becomes a statistic claim, with the metric noun found before it.

The model is trained by `scripts/train_statistics.py` on the annotated articles of this repository (gold under
tests/gold; split by article, see its README) and stored as JSON in kb/data/models/statistic_scorer.json:
feature weights, the threshold and the training report. The pass reads features only from the sentence and the
article's claims, so it runs after every finder and before the article-level folding (kb.claims.extract_claims).

Training collects candidates through `collect`: a list that, when set, receives each article's candidates
(with their features) instead of the model deciding.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from importlib.resources import files

from kb.claims import en_parse
from kb.claims.base import Sentence, make_claim, shift_amount
from kb.contract import ORG_TYPES, PLACE_TYPES
from kb.records import Claim, EntityRef

MODEL_FILE = "statistic_scorer.json"
UNITS = ("money", "percent", "power", "count")
# When set (training), each article's candidates are appended here and no claim is added.
collect: list | None = None
# Training also pairs the figures the rules' statistics already own (more examples of whose figure is whose).
collect_rule_figures = False

# Metric words, nearest before the figure (ja) or around it (en): the feature names the metric; the claim keeps it.
_JA_METRICS = ("売上高", "売上収益", "売上", "営業利益率", "営業利益", "純利益", "最終利益", "経常利益", "営業損失", "純損失",
               "受注高", "受注残高", "受注残", "受注", "設備投資額", "設備投資", "投資額", "総投資額", "研究開発費", "配当",
               "時価総額", "企業価値", "評価額", "株価", "シェア", "比率", "割合", "利益率", "成長率", "伸び率", "増収率",
               "生産能力", "生産量", "出荷量", "出荷台数", "販売台数", "容量", "出力", "電力", "消費電力", "従業員",
               "社員", "人員", "雇用", "資金調達", "調達額", "調達", "手元資金", "現金", "負債", "借入", "予想", "見通し",
               "計画", "目標", "規模", "収入", "収益", "需要", "価格", "単価", "面積", "稼働率", "市場")
_EN_METRICS = ("revenue", "revenues", "sales", "income", "profit", "profits", "earnings", "margin", "margins",
               "capex", "capital expenditure", "capital expenditures", "capital spending", "spending", "spend",
               "investment", "valuation", "valued", "worth", "market value", "market cap", "share", "stake",
               "growth", "backlog", "bookings", "orders", "guidance", "forecast", "outlook", "capacity", "power",
               "megawatts", "gigawatts", "employees", "jobs", "workers", "staff", "headcount", "debt", "cash",
               "funding", "raised", "round", "dividend", "price", "cost", "costs", "budget", "demand", "shipments",
               "customers", "users", "subscribers", "square feet", "acres", "grant", "incentives", "tax")
# Metric classes: the same kind of figure in either language (a model trained on few articles generalises
# over the class better than over the word).
_METRIC_CLASSES = {
    "results": ("売上", "収益", "利益", "損失", "収入", "受注", "配当", "revenue", "sales", "income", "profit", "earnings",
                "margin", "backlog", "bookings", "orders", "dividend", "guidance", "forecast", "outlook", "予想", "見通し"),
    "spending": ("設備投資", "投資額", "総投資額", "研究開発費", "capex", "capital", "spending", "spend", "investment", "budget",
                 "cost"),
    "value": ("時価総額", "企業価値", "評価額", "株価", "valuation", "valued", "worth", "market value", "market cap", "price"),
    "share": ("シェア", "比率", "割合", "利益率", "share", "stake"),
    "growth": ("成長率", "伸び率", "増収率", "growth"),
    "capacity": ("生産能力", "生産量", "出荷", "販売台数", "容量", "出力", "電力", "capacity", "power", "megawatts",
                 "gigawatts", "shipments"),
    "funding": ("資金調達", "調達", "手元資金", "現金", "負債", "借入", "funding", "raised", "round", "debt", "cash"),
    "people": ("従業員", "社員", "人員", "雇用", "employees", "jobs", "workers", "staff", "headcount"),
}


def _metric_class(metric: str | None) -> str | None:
    if not metric:
        return None
    for name, words in _METRIC_CLASSES.items():
        if any(w in metric for w in words):
            return name
    return "other"


# Verbs of a change or a level around a figure, as one class each (few articles hold each verb often).
_EN_CHANGE = frozenset("rose rise rises risen fell fall falls climbed climb climbs gained gain gains added slipped jumped "
                       "dropped declined grew grow grows surged increased decreased soared tumbled plunged slid rallied "
                       "advanced jump drop up down higher lower".split())
_EN_LEVEL = frozenset("reached totaled totalled stood was were hit came reach total expects expected guided forecast "
                      "sees projected targets".split())
_JA_CHANGE = re.compile(r"\s*(?:の)?(?:増|減|伸び|上昇|下落|拡大|縮小|改善|悪化|高|安)")
_JA_LEVEL = re.compile(r"\s*(?:に達|となっ|となる|だっ|だ。|です|を見込|を計画|を目指|に引き上げ|に上方修正|に下方修正|を占め|規模|程度|で、|と、)")


# Words of a reporting period near a figure (4〜9月期, 通期, "in the quarter"): a company's results.
_JA_PERIOD = re.compile(r"[0-9０-９〜～-]+月期|通期|上期|下期|上半期|下半期|四半期|年度|前年同期|前期|今期|来期")
_EN_PERIOD = re.compile(r"\b(?:quarter|quarterly|fiscal|full-year|annual|year-over-year|year-on-year|"
                        r"first-half|second-half|guidance)\b", re.I)


_JA_METRIC_RE = re.compile("|".join(sorted(map(re.escape, _JA_METRICS), key=len, reverse=True)))
_EN_METRIC_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _EN_METRICS), key=len, reverse=True)) + r")\b",
                           re.I)
# Words of the other claim types: a figure in such a sentence is more often the deal's than a statistic.
_JA_OTHER = re.compile(r"出資|投資|契約|受注|買収|提携|協業|合弁|供給|調達|取得")
_EN_OTHER = re.compile(r"\b(?:invest\w*|stake|contract\w*|deal|agreement|acquir\w*|partner\w*|supply|supplies|"
                       r"buy\w*|bought|order\w*|lease\w*)\b", re.I)
_EN_WORD = re.compile(r"[A-Za-z']+|[%$]")


@dataclass
class Candidate:
    """One (figure, owner) pair of one sentence; `features` are its model inputs."""

    passage_idx: int
    amount: object  # kb.amounts.Amount, passage offsets
    subject: EntityRef
    features: list[str] = field(default_factory=list)
    rule_claim: Claim | None = None  # a subject-less statistic of the rules for this figure, if any
    rule_owned: bool = False  # (training) a rule statistic already owns the figure

    def amount_dict(self) -> dict:
        a = self.amount
        return {"min": a.min, "max": a.max, "currency": a.currency, "unit": a.unit, "period": a.period}


@dataclass(frozen=True)
class Model:
    weights: dict
    threshold: float

    def score(self, features: list[str]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.lru_cache(maxsize=None)
def load_model() -> Model | None:
    """The trained scorer (kb/data/models/statistic_scorer.json), or None when it was never trained."""
    path = files("kb") / "data" / "models" / MODEL_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(data["weights"], float(data["threshold"]))


def add_statistics(claims: list[Claim], sentences: list[Sentence], starts: list[int], lang: str, *,
                   text: str = "") -> list[Claim]:
    """`claims` (article offsets) with the scorer's statistics added; subject-less rule statistics get an owner."""
    cands = candidates(claims, sentences, starts, lang, rule_figures=collect is not None and collect_rule_figures)
    if collect is not None:
        collect.append((text, cands))
        return claims
    model = load_model()
    if model is None or not cands:
        return claims
    by_figure: dict[tuple, list[Candidate]] = {}
    for c in cands:
        by_figure.setdefault((c.passage_idx, c.amount.start, c.amount.end), []).append(c)
    sent_of = {s.idx: s for s in sentences}
    start_of = {s.idx: st for s, st in zip(sentences, starts)}
    out = list(claims)
    for group in by_figure.values():
        scored = sorted(((model.score(c.features), i, c) for i, c in enumerate(group)), key=lambda t: (-t[0], t[1]))
        p, _, best = scored[0]
        if p < model.threshold:
            continue
        if best.rule_claim is not None:
            best.rule_claim.subject = best.subject
            continue
        sent = sent_of[best.passage_idx]
        out.append(_claim(sent, best, start_of[best.passage_idx], lang))
    return out


def _claim(sent: Sentence, cand: Candidate, offset: int, lang: str) -> Claim:
    metric = _metric(sent.text, cand.amount, lang) or "figure"
    claim = make_claim("statistic", cand.subject, None, (offset, offset + len(sent.text)),
                       amount=shift_amount(cand.amount, offset), details={"metric": metric})
    claim.passage_idx = sent.idx
    claim.modality = _modality(sent.text, cand.amount, lang)
    return claim


def _modality(text: str, amount, lang: str) -> str:
    if lang == "ja":
        from kb.claims import ja_stats

        return ja_stats._modality(text, max(0, amount.start - 12))
    from kb.claims import en
    from kb.claims.base import pick_modality

    cues = en._lexicon().modality
    found = {name for name in ("hedged", "forecast", "planned") if cues[name].search(text)}
    if cues["opinion"].search(text):
        found.add("opinion")
    if re.search(r"\b(?:according to|reportedly|people familiar|sources said)\b", text, re.I):
        found.add("reported")
    return pick_modality(found)


def _metric(text: str, amount, lang: str) -> str | None:
    if lang == "ja":
        start = max(text.rfind("。", 0, amount.start), text.rfind("、", 0, max(0, amount.start - 12)), 0)
        hits = list(_JA_METRIC_RE.finditer(text, start, amount.start))
        return hits[-1].group() if hits else None
    hits = [m for m in _EN_METRIC_RE.finditer(text, max(0, amount.start - 60), amount.start)]
    if hits:
        return hits[-1].group().lower()
    after = _EN_METRIC_RE.search(text, amount.end, amount.end + 40)
    return after.group().lower() if after else None


# --- candidates and their features ------------------------------------------------------------------------------

def candidates(claims: list[Claim], sentences: list[Sentence], starts: list[int], lang: str, *,
               rule_figures: bool = False) -> list[Candidate]:
    """Every (unused figure, possible owner) pair of the article, with features; with `rule_figures`, also the
    figures of the rules' statistics (training)."""
    start_of = {s.idx: st for s, st in zip(sentences, starts)}
    used: set[tuple[int, int]] = set()
    owned: set[tuple[int, int]] = set()  # figures of the rules' statistics (collected for training only)
    open_rule: dict[tuple[int, int], Claim] = {}
    for c in claims:
        if c.amount is None:
            continue
        key = (c.amount.start, c.amount.end)
        if c.type == "statistic" and c.subject is None:
            open_rule[key] = c
        elif c.type == "statistic" and rule_figures:
            owned.add(key)
            continue
        else:
            used.add(key)
        for conv in getattr(c.amount, "converted", ()) or ():
            used.add((conv.start, conv.end))
    roles = {c.subject.id: c.object for c in claims if c.type == "role" and c.subject and c.object
             and c.object.type in ORG_TYPES}
    lead = _lead_company(sentences)
    counts: dict[str, int] = {}
    for s in sentences:
        for m in s.mentions:
            if m.entity.type in ORG_TYPES:
                counts[m.entity.id] = counts.get(m.entity.id, 0) + 1
    frequent = max(counts, key=lambda k: counts[k]) if counts else None
    stat_owner: dict[int, EntityRef] = {}  # the last statistic's owner before each sentence
    last_owner = None
    by_passage: dict[int, list[Claim]] = {}
    for c in claims:
        by_passage.setdefault(c.passage_idx, []).append(c)
    out: list[Candidate] = []
    for s in sentences:
        stat_owner[s.idx] = last_owner
        here_claims = by_passage.get(s.idx, [])
        for c in here_claims:
            if c.type == "statistic" and c.subject is not None:
                last_owner = c.subject
        offset = start_of[s.idx]
        if not s.amounts or (lang == "ja" and _block_line(s.text)):
            continue
        for amount in s.amounts:
            if amount.unit not in UNITS:
                continue
            key = (amount.start + offset, amount.end + offset)
            if key in used or any(u[0] <= key[0] and key[1] <= u[1] for u in used):
                continue
            rule = open_rule.get(key)
            pairs = _pairs(s, amount, lang, roles, lead, frequent, stat_owner[s.idx], here_claims, rule)
            for c in pairs:
                c.rule_owned = key in owned
            out.extend(pairs)
    return out


def _block_line(text: str) -> bool:
    from kb.claims import ja

    return bool(ja._BLOCK_LINE.match(text)) and not re.search(r"[はがを].*[。]", text)


def _lead_company(sentences: list[Sentence]) -> EntityRef | None:
    for s in sentences[:3]:
        for m in s.mentions:
            if m.entity.type == "company":
                return m.entity
    return None


def _pairs(s: Sentence, amount, lang: str, roles: dict, lead, frequent, prev_owner, here_claims,
           rule: Claim | None) -> list[Candidate]:
    if _refused(s, amount, lang):
        return []
    # Who may own the figure: the nearest organization named before it in its sentence (a person stands for the
    # company a role claim ties them to); when none is named before it, the company the text is about.
    named_before = []
    for m in s.mentions:
        if m.end > amount.start:
            continue
        ent, via = m.entity, None
        if ent.type == "person" and ent.id in roles:
            ent, via = roles[ent.id], "person"
        if ent.type not in ORG_TYPES | PLACE_TYPES | {"project", "facility"}:
            continue
        named_before.append((m, ent, via))
    owners: dict[str, tuple[EntityRef, list]] = {}
    topic = _ja_topic(s) if lang == "ja" else None
    section = _section_topic(s) if lang == "ja" else None
    if named_before:
        m, ent, via = named_before[-1]
        if _coordinated(s, named_before, lang) or en_parse._is_media(ent.id) or _forecaster(s, m):
            return []
        owners[ent.id] = (ent, [(m, via)])
    else:
        if lang == "ja" and _own_topic_before(s, amount):
            return []
        context = (topic, section, lead, frequent and _ref(s, frequent), prev_owner) if lang == "ja" else \
            (_previous_focus(s), prev_owner)
        for extra in context:
            if extra is not None and extra.id not in owners and extra.type in ORG_TYPES \
                    and not en_parse._is_media(extra.id):
                owners[extra.id] = (extra, [])
    orgs_named = {m.entity.id for m in s.mentions if m.entity.type in ORG_TYPES}
    common = _figure_features(s, amount, lang, here_claims, rule)
    common.append(f"n_orgs={min(len(orgs_named), 3)}")
    out = []
    for ent_id, (ent, ments) in owners.items():
        f = ["bias"] + common
        f.append(f"type={ent.type}")
        if ent.type in PLACE_TYPES:
            f.append("place")
        if topic is not None and ent_id == topic.id:
            f.append("topic")
        if section is not None and ent_id == section.id:
            f.append("section")
        if lead is not None and ent_id == lead.id:
            f.append("lead")
        if frequent is not None and ent_id == frequent:
            f.append("frequent")
        if prev_owner is not None and ent_id == prev_owner.id:
            f.append("prev_owner")
        if any(c.subject is not None and c.subject.id == ent_id for c in here_claims):
            f.append("subject_here")
        if not ments:
            f.append("src=context")
            if not orgs_named:
                f.append("context_alone")
        else:
            f.append("src=named")
            m, via = ments[0]
            if via:
                f.append("via_person")
            f.extend(_mention_features(s, m, amount, lang))
        f.extend(_cross(f, common))
        out.append(Candidate(s.idx, amount, ent, f, rule))
    return out


# --- refusals: what the rule finders decline, the scorer never overrides -----------------------------------------
# A figure of a market, an industry or a group of companies is nobody's (業界全体の売上高, "industry revenue").
_JA_MARKET = re.compile(r"業界|市場規模|市場全体|市場は|市場が|市場の|全体の|全国の|各社の|企業の|顧客の|国内の[^、。]{0,8}(?:需要|規模)")
_EN_MARKET = re.compile(r"\b(?:industry|industry's|sector|market|markets|global|worldwide|nationwide|economy|economists?|"
                        r"analysts?)\b|\b(?:of|for|among)\s+(?:the\s+)?(?:\w+\s+)?(?:companies|firms|rivals|peers|"
                        r"chipmakers|makers|players|providers|operators|hyperscalers|utilities|customers|investors)\b",
                        re.I)
# 前期の600億円から / "from 40%": the level a figure changed from (the rules claim it where the text says so).
_JA_FROM = re.compile(r"\s*(?:から|より)")
_EN_FROM = re.compile(r"\b(?:from|versus|vs\.?|compared with|compared to)\s*$", re.I)
# 20億ドル増えた / 120億円多い: an increment of money whose base the sentence may not give.
_JA_INCREMENT = re.compile(r"\s*(?:の)?(?:増|減|多|少な|上回|下回|積み増|増や|減ら|引き上げ|上乗せ)")
# …を超える企業 / 1万台のサーバーを備えた…: a figure describing the noun of a relative clause.
_JA_RELATIVE = re.compile(r"\s*(?:を超える|を上回る|以上の|超の|規模の|級の|程度の)\s*[^、。]{0,8}?(?:企業|会社|事業者|拠点|施設|工場|"
                          r"データセンター|案件|顧客)")


# 30%の株式を売却 / "a 30% stake": a stake is the ownership finders', bought or sold, never a statistic.
_JA_STAKE = re.compile(r"\s*(?:の|分の)?\s*(?:株式|株|持ち分|持分|出資比率|議決権)")
_EN_STAKE = re.compile(r"\s*(?:\w+\s+)?(?:stake|interest|holding|shareholding|of the (?:company|shares|equity))\b", re.I)


# 出資比率は北浜電機が70%: the holders' shares of a venture are the ownership finders'.
_JA_STAKE_RATIO = re.compile(r"出資比率|出資割合|持ち株比率|持株比率|保有比率|議決権")


# "$5 billion of new capacity", "a $10 billion investment", 50億円の出資: the sum of a deal, the deal finders'.
_EN_DEAL_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:of\b(?!\s+(?:\w+\s+)?(?:revenue|sales|income|profits?|earnings|cash|"
                            r"backlog|bookings|capex|capital|free cash flow|ebitda|funding|new (?:money|funding)))|"
                            r"investments?|deals?|contracts?|orders?|commitments?|agreements?|acquisitions?|loans?|"
                            r"grants?|purchases?|bids?|offers?)\b", re.I)
_JA_DEAL_AFTER = re.compile(r"\s*(?:規模)?の?\s*(?:投資|出資|契約|受注|発注|買収|融資|補助|助成|支援)")


# 100億ドルを超える企業: the figure's own text holds the verb of the relative clause.
_JA_RELATIVE_NOUN = re.compile(r"\s*[^、。]{0,8}?(?:企業|会社|事業者|拠点|施設|工場|データセンター|案件|顧客)")


def _refused(s: Sentence, amount, lang: str) -> bool:
    text = s.text
    if amount.unit == "count":
        return True  # 5カ所, 1万台のサーバー, "300 people in sales": counts are the rules' (headcount, users, GPUs)
    clause = _clause_before(text, amount.start, lang)
    if lang == "ja":
        return bool(_JA_MARKET.search(clause) or _JA_FROM.match(text, amount.end) or _JA_STAKE_RATIO.search(clause)
                    or amount.unit == "money" and _JA_INCREMENT.match(text, amount.end)
                    or _JA_RELATIVE.match(text, amount.end) or text.rstrip().endswith("、")
                    or _JA_STAKE.match(text, amount.end)
                    or amount.unit == "money" and _JA_DEAL_AFTER.match(text, amount.end)
                    or re.search(r"(?:を超える|を上回る|超の|以上の)$", amount.text)
                    and _JA_RELATIVE_NOUN.match(text, amount.end))
    return bool(_EN_MARKET.search(clause) or _EN_FROM.search(text, 0, amount.start) or _EN_STAKE.match(text, amount.end)
                or amount.unit == "money" and _EN_DEAL_AFTER.match(text, amount.end))


def _clause_before(text: str, pos: int, lang: str) -> str:
    if lang == "ja":
        return text[max(text.rfind("。", 0, pos), 0):pos]
    cut = max(text.rfind(". ", 0, pos), text.rfind("; ", 0, pos), text.rfind(", and ", 0, pos), text.rfind(", but ", 0, pos))
    return text[cut + 1 if cut >= 0 else 0:pos]


def _coordinated(s: Sentence, named: list, lang: str) -> bool:
    """A and B said …, AとBは…: the figure's owner is not one of them."""
    if len(named) < 2:
        return False
    (a, _, _), (b, _, _) = named[-2], named[-1]
    between = s.text[a.end:b.start]
    return bool(re.fullmatch(r"[）)]?\s*(?:[（(][^）)]{0,24}[)）])?\s*(?:と|、|や|・|,|and|, and|&)\s*", between))


def _forecaster(s: Sentence, m) -> bool:
    """"Analysts at X expect …", 「調査会社Xによると」: X forecasts the figure, it is not X's."""
    from kb.claims import _FORECASTER_BEFORE

    return bool(_FORECASTER_BEFORE.search(s.text[max(0, m.start - 30):m.start])) or \
        bool(re.match(r"\s*(?:によると|によれば|の調べ|の調査|の推計|の試算|の予測)", s.text[m.end:]))


def _own_topic_before(s: Sentence, amount) -> bool:
    """「顧客企業は、売上高が…20%増える」: a topic of its own (a noun with は/が that is no metric) before the figure."""
    text = s.text[:amount.start]
    for hit in re.finditer(r"(?<![でにと])[はが]", text):
        head = text[:hit.start()]
        if _JA_METRIC_RE.search(head[-8:]) and _JA_METRIC_RE.search(head[-8:]).end() == len(head[-8:]):
            continue  # 売上高は: the metric's own particle
        if re.search(r"(?:見通し|予想|計画|目標|比率|割合|規模|シェア|増加率|伸び率)$", head):
            continue
        return True
    return False


def _previous_focus(s: Sentence):
    """English: the one company the nearest earlier sentence naming any company names (not two)."""
    for prev in reversed(s.context[-2:]):
        orgs = {m.entity.id: m.entity for m in prev.mentions if m.entity.type in ORG_TYPES
                and not en_parse._is_media(m.entity.id)}
        if orgs:
            return next(iter(orgs.values())) if len(orgs) == 1 else None
    return None


def _ref(s: Sentence, entity_id: str):
    for prev in (s,) + tuple(reversed(s.context)):
        for m in prev.mentions:
            if m.entity.id == entity_id:
                return m.entity
    return None


def _ja_topic(s: Sentence):
    from kb.claims import ja

    t = ja._topic(s)
    return t.entity if t is not None else None


def _section_topic(s: Sentence):
    from kb.claims import ja

    return ja._discourse_topic(s)


def _bucket(n: int) -> str:
    for b in (5, 15, 40, 80, 160):
        if n <= b:
            return str(b)
    return "far"


def _figure_features(s: Sentence, amount, lang: str, here_claims, rule) -> list[str]:
    text = s.text
    f = [f"lang={lang}", f"unit={amount.unit}"]
    if amount.period:
        f.append(f"period={amount.period}")
    if amount.bound:
        f.append(f"bound={amount.bound}")
    if amount.min is not None and amount.max is not None and amount.min != amount.max:
        f.append("range")
    if rule is not None:
        f.append("rule_open")
    if any(c.type != "statistic" for c in here_claims):
        f.append("other_claim_here")
    metric = _metric(text, amount, lang)
    f.append(f"metric={metric}" if metric else "no_metric")
    f.append(f"mclass={_metric_class(metric)}")
    if (_JA_PERIOD if lang == "ja" else _EN_PERIOD).search(text):
        f.append("period_word")
    if lang == "ja":
        pre, post = text[max(0, amount.start - 3):amount.start], text[amount.end:amount.end + 3]
        f += [f"pre1={pre[-1:]}", f"pre2={pre[-2:]}", f"post1={post[:1]}", f"post2={post[:2]}"]
        if _JA_CHANGE.match(text, amount.end):
            f.append("vclass=change")
        elif _JA_LEVEL.match(text, amount.end):
            f.append("vclass=level")
        if _JA_OTHER.search(text):
            f.append("other_trigger")
        if re.search(r"前年(?:同期)?比|前期比|同\s*[0-9０-９]", text[max(0, amount.start - 10):amount.start]):
            f.append("growth_base")
        if re.search(r"によると|と報じ|関係者", text):
            f.append("reported_cue")
        if re.search(r"市場|業界|全体|世界の|国内の", text[max(0, amount.start - 15):amount.start]):
            f.append("market_word")
    else:
        before = [w.lower() for w in _EN_WORD.findall(text[max(0, amount.start - 40):amount.start])][-2:]
        after = [w.lower() for w in _EN_WORD.findall(text[amount.end:amount.end + 40])][:2]
        f += [f"w-1={before[-1] if before else ''}", f"w-2={' '.join(before)}",
              f"w+1={after[0] if after else ''}", f"w+2={' '.join(after)}"]
        near = set(before[-2:]) | set(after[:1])
        if near & _EN_CHANGE:
            f.append("vclass=change")
        if near & _EN_LEVEL:
            f.append("vclass=level")
        if text.lstrip().startswith("|"):
            f.append("table_row")
        if _EN_OTHER.search(text):
            f.append("other_trigger")
        if re.search(r"\b(?:market|industry|global|worldwide|analysts?|estimates?)\b", text, re.I):
            f.append("market_word")
        if re.search(r"\b(?:according to|reportedly|people familiar)\b", text, re.I):
            f.append("reported_cue")
    return f


def _mention_features(s: Sentence, m, amount, lang: str) -> list[str]:
    text = s.text
    f = []
    before = m.end <= amount.start
    f.append("side=before" if before else "side=after")
    gap = amount.start - m.end if before else m.start - amount.end
    f.append(f"dist={_bucket(max(0, gap))}")
    between = text[m.end:amount.start] if before else text[amount.end:m.start]
    others = [o for o in s.mentions if o.entity.id != m.entity.id and o.entity.type in ORG_TYPES
              and (m.end <= o.start and o.end <= amount.start if before else amount.end <= o.start and o.end <= m.start)]
    if others:
        f.append("org_between")
    if lang == "ja":
        nxt = text[m.end:m.end + 2]
        part = re.match(r"(?:では|には|とは|から|への|との|の|は|が|も|を|に|と|で|、)", nxt)
        f.append(f"p={part.group() if part else nxt[:1]}")
        if "。" in between:
            f.append("other_clause")
        if "、" in between:
            f.append("comma_between")
        if re.search(r"[はが]", between):
            f.append("ha_ga_between")
    else:
        after = [w.lower() for w in _EN_WORD.findall(text[m.end:m.end + 25])][:1]
        prev = [w.lower() for w in _EN_WORD.findall(text[max(0, m.start - 25):m.start])][-1:]
        f.append(f"m+1={after[0] if after else ''}")
        if after and after[0] in _EN_CHANGE:
            f.append("m+1=change")
        f.append(f"m-1={prev[0] if prev else ''}")
        if re.search(r"[;.]\s", between):
            f.append("other_clause")
        if "," in between:
            f.append("comma_between")
    return f


def _cross(f: list[str], common: list[str]) -> list[str]:
    """Conjunctions the linear model cannot form itself: where the owner is named × what the figure is."""
    where = [x for x in f if x.startswith(("src=", "p=", "side=", "m+1="))] + \
        [x for x in ("topic", "lead", "prev_owner") if x in f]
    what = [x for x in common if x.startswith(("unit=", "metric=", "mclass=", "lang=", "vclass="))] + \
        [x for x in ("other_trigger", "no_metric", "market_word") if x in common]
    return [f"{a}&{b}" for a in where for b in what]
