"""Japanese statistic claims: a metric noun with a figure and a verb that states its level or change.

Read from the sentence text and its entity mentions (no dependency parse needed), one figure at a time:

- metric frame: 「<owner>の<metric>は/が <figure> <level or change verb>」 (Xの売上高は130億ドルに達した,
  Xの株価は一日で12％上昇); the owner is the entity written before the の-phrase, or an entity name
  right before the metric (X株は, X株価が), else the topic of the sentence (Xは、売上高が…);
- growth: a percentage after a growth base (前年比20％増) is the change of the metric named before it;
- counts: 「<figure>の<noun>を/が … <having verb>」 (3万基のGPUを備える): the unit is the counted noun,
  the subject the place or topic of the sentence (Xでは…, Xは…);
- durations: 「<N>日で<verb>」 (着工から90日で稼働): how long the topic took;
- populations: 「<percent>の<population>が…」 (60%を超える企業が…を検討した): the share of a population, the one
  statistic with no entity as its subject.

A figure another claim of the sentence already uses (an investment, a stake) is left to that claim, and any
other figure without an entity is not a claim. Words come from the stat_* keys of claim_patterns/ja.yaml.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from kb.amounts import Amount
from kb.claims.base import ORG_TYPES, PLACE_TYPES, Ment, Sentence, checked_patterns, make_claim, pick_modality
from kb.records import Claim

# The keys of ja.yaml this module reads (ja.PATTERN_KEYS names the rest; together they are the whole file).
PATTERN_KEYS = frozenset({
    "stat_metric_nouns", "stat_share_price", "stat_change_up", "stat_change_down", "stat_level_verbs",
    "stat_growth_bases", "stat_count_verbs", "stat_count_units", "stat_duration_verbs", "stat_other_claim_words",
    "stat_unowned_metrics", "stat_metric_suffixes", "stat_clause_nouns", "stat_population_nouns",
})
SUBJECT_TYPES = ORG_TYPES | PLACE_TYPES | {"product", "project", "facility"}

# Grammar, not lexicon: the particles marking a metric noun as what the clause is about, the closing
# quotes and brackets allowed between a name and its particle, the particles of a topic or a place.
TOPIC_PARTICLES = r"(?:は|が|も)"
METRIC_PARTICLES = r"(?:は|が|も|を|(?=約|およそ|最大|少なくとも|[0-9０-９]))"
CLOSERS = r"[」』）)]*(?:[（(][^（）()]{1,20}[)）])?[」』]*"
# Between an owner and its metric: "の" and up to two short modifiers ending in の (Xの今年の売上高).
OWNER_GAP = r"の(?:[^、。はがをにでと]{1,10}の){0,2}(?:年間|年平均|通期)?"
# A level verb the amount reader took into the figure (4兆ドルを超え), and a clause ending after a figure.
ABSORBED_VERB = re.compile(r"(?:を超える|を超え|を上回る)$")
ENDING = re.compile(r"^\s*(?=[、。]|$)")
# The inflection of a verb in attributive form (る, た: 超える, 備えた) right before a noun (kanji, katakana, Latin).
NOUN_CHARS = r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9０-９Ａ-Ｚａ-ｚ]"
RELATIVE_ENDING = re.compile(rf"[ぁ-ゖ]*[るた](?={NOUN_CHARS})")
NOUN_START = re.compile(NOUN_CHARS)
# A negative ending right after a verb stem (上昇しなかった, 達していない).
NEGATIVE_TAIL = re.compile(r"^[^、。]{0,5}?(?:しなかった|しない|せず|なかった|ていない|ません|ない)")
# A duration: a number with a time unit before で (90日で, 3カ月で); not a date (10月1日).
DURATION_RE = re.compile(r"(?<![月0-9０-９.])([0-9０-９]{1,3})\s*(日間|日|週間|カ月|か月|ヶ月|ヵ月|年)\s*(?:足らず|余り|弱)?\s*で")
DURATION_UNITS = {"日": "days", "日間": "days", "週間": "weeks", "カ月": "months", "か月": "months", "ヶ月": "months",
                  "ヵ月": "months", "年": "years"}


def _alt(words) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


class _Lexicon:
    """The stat_* keys of ja.yaml, compiled once."""

    def __init__(self, p: dict):
        self.metric_re = re.compile(rf"({_alt(p['stat_metric_nouns'])})(?:{_alt(p['stat_metric_suffixes'])})?"
                                    rf"(?P<p>{METRIC_PARTICLES})")
        self.share_price_re = re.compile(rf"(?:{_alt(p['stat_share_price'])})(?P<p>{TOPIC_PARTICLES})")
        self.up_re = re.compile(rf"^(?:の)?\s*(?:{_alt(p['stat_change_up'])})")
        self.down_re = re.compile(rf"^(?:の)?\s*(?:{_alt(p['stat_change_down'])})")
        self.level_re = re.compile(rf"^\s*(?:{_alt(p['stat_level_verbs'])})")
        self.growth_re = re.compile(rf"(?:{_alt(p['stat_growth_bases'])})\s*(?:で)?\s*$")
        verbs = _alt(p["stat_count_verbs"])
        self.count_re = re.compile(rf"^(?:の([^、。をがは「」]{{1,12}}?)(?:「[^」]{{1,20}}」)?)?(?:を|が)([^。]{{0,16}}?)(?:{verbs})")
        self.count_units: dict[str, str] = p["stat_count_units"]
        self.duration_verb_re = re.compile(rf"^[^\s、。をがはにで]{{0,4}}?({_alt(p['stat_duration_verbs'])})")
        self.other_claim_re = re.compile(_alt(p["stat_other_claim_words"]))
        self.unowned = frozenset(p["stat_unowned_metrics"])
        self.metric_noun_re = re.compile(_alt(p["stat_metric_nouns"]))
        self.clause_nouns = tuple(p["stat_clause_nouns"])
        population = _alt(p["stat_population_nouns"])
        # 3割超の（日本の）企業が / 回答者の6割が: the population a percentage counts, as its clause's subject.
        self.population_after = re.compile(rf"の?((?:[^、。はがをにでと「」]{{0,6}}?)(?:{population}))(?:が|は|も|のうち)")
        self.population_before = re.compile(rf"((?:{population}))(?:の|のうち)$")


@functools.lru_cache(maxsize=None)
def _lexicon() -> _Lexicon:
    from kb.claims import ja  # the rest of ja.yaml is ja's; the file must be exactly both key sets

    return _Lexicon(checked_patterns("ja", ja.PATTERN_KEYS | PATTERN_KEYS))


def sentence_statistics(sent: Sentence, found: list[Claim]) -> list[Claim]:
    """Statistic claims of one Japanese sentence; `found` are its other claims (their figures are taken)."""
    taken = {(c.amount.start, c.amount.end) for c in found if c.amount is not None}
    for c in found:
        if c.type == "statistic":
            _complete(sent, c)
    out = []
    for amount in list(sent.amounts) + _durations(sent):
        if (amount.start, amount.end) in taken:
            continue
        claim = _metric_figure(sent, amount) or _count_figure(sent, amount) or _duration_figure(sent, amount) \
            or _population_figure(sent, amount) or _grown_facility(sent, amount) or _valued(sent, amount)
        if claim is not None:
            taken.add((amount.start, amount.end))
            out.append(claim)
    return out


def _complete(sent: Sentence, claim: Claim) -> None:
    """A share statistic of ja's finder (売上高の4割を占める) without an owner takes the sentence's topic when
    its whole is a company's metric (Xでは、AIサーバーが売上高の約4割を占める); its metric loses the figure."""
    lx = _lexicon()
    metric = str(claim.details.get("metric") or "")
    if claim.amount is not None and claim.amount.text and claim.amount.text in metric:
        claim.details["metric"] = metric.replace(claim.amount.text, "").strip() or metric
    if claim.subject is not None or claim.amount is None:
        return
    nouns = lx.metric_noun_re.findall(metric)
    if nouns and not any(n in lx.unowned for n in nouns):
        topic = _topic(sent, claim.amount.start) or _unnamed_owner(sent)
        if topic is not None:
            claim.subject = topic.entity


def _unnamed_owner(sent: Sentence) -> Ment | None:
    """A company's share in a sentence that names nothing (全社の営業利益に占める比率は…, 世界シェアが…に達する): the
    company the sentences before are about, else the one the article is about."""
    from kb.claims import ja

    if sent.mentions or ja._BLOCK_LINE.match(sent.text):
        return None
    ref = (sent.discourse or {}).get("ja_topic")
    return ja._topic(sent) or (Ment(0, 0, ref, "") if ref is not None else None)


def _clause_start(text: str, pos: int) -> int:
    return max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos)) + 1


def _metric_figure(sent: Sentence, amount) -> Claim | None:
    """Xの<metric>は <figure> <verb>; a percentage after 前年比 is the change of the metric before it."""
    lx = _lexicon()
    text = sent.text
    after = text[amount.end:]
    start = _clause_start(text, amount.start)
    hits = [h for h in lx.metric_re.finditer(text, start, amount.end) if h.end() <= amount.start]
    price = _share_price_owner(sent, amount)
    if price is not None and (not hits or hits[-1].start() < price[1]):
        subject, metric, noun_start, noun_end, marker_end = price[0], "株価", price[0].start, price[1], price[2]
        particle = "は"
    elif hits:
        hit = hits[-1]
        metric, noun_start, noun_end, marker_end = hit.group(1), hit.start(1), hit.end(1), hit.end()
        particle = hit.group("p")
        subject = _owner(sent, noun_start) or (None if metric in lx.unowned else _topic(sent, noun_start)
                                               or _zero_owner(sent, start, noun_start))
    else:
        return None
    if subject is None or len(text[marker_end:amount.start]) > 30:
        return None
    up, down, level = lx.up_re.match(after), lx.down_re.match(after), lx.level_re.match(after)
    if level is None and ABSORBED_VERB.search(amount.text):
        level = re.match("", after)  # 5兆ドルを超えた: the verb is inside the figure
    if level is None and particle == "は":
        level = ENDING.match(after)  # 売上高は100億ドル、…: a copula left out
    if level is None and particle == "は" and re.match(r"\s*と\s*、", after) and not up and not down:
        level = re.match(r"\s*と", after)  # 売上高は1500億円と、前期の2倍に増えた: the level, then its change
    if level is None and particle == "が" and re.match(r"\s*、", after) and lx.metric_re.match(after.lstrip("、 　")):
        level = ENDING.match(after)  # 売上高が2兆円、営業利益が…だった: one copula for a list of metrics
    if level is None and particle == "" and marker_end == amount.start:
        level = re.match(r"\s*(?:で|の|と)", after)  # 企業価値5000億ドルで調達: a level in apposition
    earlier = None
    if level is None and not up and not down and re.match(r"\s*から", after):
        # 売上高は1500億円と、前期の600億円から2倍に増えた: the level the metric grew from, a period before
        earlier = next((a for a in sent.amounts if noun_end <= a.start and a.unit == amount.unit
                        and _EARLIER_LEVEL.fullmatch(text, a.end, amount.start)), None)
        level = re.match(r"\s*から", after) if earlier is not None else None
    if particle == "" and marker_end != amount.start:
        return None
    if not (up or down or level):
        return None
    if (up or down) and not level and amount.unit != "percent":
        return None  # 50億ドル増: an increment whose base the sentence may not give; not a level
    growth = amount.unit == "percent" and lx.growth_re.search(text[max(0, amount.start - 8):amount.start])
    # Another figure between the metric and this one: only a change refers back over it (a growth rate may come first).
    if any(noun_end <= a.start and a.end <= amount.start and a.unit != "percent" for a in sent.amounts) \
            and not (growth or up or down or earlier):
        return None
    if amount.unit == "count":
        amount = dataclasses.replace(amount, unit=_count_unit(metric, amount))
    details = {"metric": metric}
    if (up or down) and not level:
        details["change"] = "increase" if up else "decrease"
    if growth:
        details["base"] = growth.group().rstrip("で ")
    verb_end = amount.end + (level or up or down).end()
    return _claim(sent, subject, amount, details, noun_start, verb_end)


# A line of business written before a metric (データセンター関連の売上高, AI向けの売上高): still the company's metric.
_LINE_OF_BUSINESS = ("関連の", "向けの")


# Between a metric's level and the level it changed from: と、 and the earlier period (と、25年3月期の / と、前期の).
_EARLIER_LEVEL = re.compile(r"\s*と\s*、\s*(?:[0-9０-９]{2,4}年(?:[0-9０-９]{1,2}月期|度)?|前期|前年|前年度|前年同期|昨年)"
                            r"(?:の?(?:上期|下期|上半期|下半期|第[1-4１-４]四半期))?\s*の\s*(?:約|およそ)?\s*")


# A fiscal period between an owner and its metric (…事業の26年3月期の売上高, …部門の今期の営業利益).
_FISCAL_PERIOD_BEFORE = re.compile(
    r"(?:(?<=の)|^)\s*(?:[0-9０-９]{2,4}年(?:[0-9０-９]{1,2}月期|度)?|今期|前期|今年度|前年度|同期|上期|下期|上半期|下半期)"
    r"(?:の?(?:上期|下期|上半期|下半期|第[1-4１-４]四半期))?\s*の\s*$")


def _zero_owner(sent: Sentence, clause_start: int, noun_start: int) -> Ment | None:
    """（Xは）…企業価値が2000億ドルと評価された: a company's metric in a clause that names no entity before it is
    the metric of the company the sentences before are about (ja's zero subject)."""
    from kb.claims import ja

    before = _FISCAL_PERIOD_BEFORE.sub("", sent.text[:noun_start])  # 電池事業の26年3月期の売上高: the segment's
    if any(m.end <= noun_start and m.entity.type in SUBJECT_TYPES for m in sent.mentions) \
            or ja._BLOCK_LINE.match(sent.text) or clause_start > 0 \
            or before.endswith("の") and not ja._lexicon().segment_re.search(before[:-1]) \
            and not before.endswith(_LINE_OF_BUSINESS):
        return None  # 業界全体の売上高: the metric of what the の-phrase names, not of a company (…事業の売上高 is)
    topic = ja._topic(sent)
    if topic is None and not ja._has_own_subject(sent, "はが", before=noun_start):
        # 「電子事業の売上高は前年度比25%増を見込んでいます」 in an interview answer: the metric's own は aside, the
        # sentence names no topic, so it is the company the article (or its section) is about
        ref = ja._discourse_topic(sent)
        topic = Ment(0, 0, ref, "") if ref is not None else None
    return topic


# 「Xは…N ドルと評価された」: a sum a company is valued at (grammar: と + a verb of valuing, passive).
VALUED = re.compile(r"\s*(?:規模|程度)?\s*と\s*(?:評価|算定)され")


def _valued(sent: Sentence, amount) -> Claim | None:
    """「Xは新たな資金調達で、5000億ドルと評価された」: X's valuation (X the company the sentence is about)."""
    if amount.unit != "money":
        return None
    after = VALUED.match(sent.text, amount.end)
    if after is None:
        return None
    subject = _topic(sent, amount.start)
    if subject is None or subject.entity.type not in ORG_TYPES:
        return None
    between = re.sub(rf"^{CLOSERS}(?:は|が|では|には)", "", sent.text[subject.end:amount.start])
    if re.search(r"[はが]", between):
        return None  # Xは…を保有し、その価値は…と評価された: what the clause's own topic is worth
    return _claim(sent, subject, amount, {"metric": "評価額"}, subject.start, after.end())


# 「XをN級の施設に育てる」: what the object is made into (grammar: に + a verb of making or growing it).
MAKE_INTO = r"\s*に\s*(?:育て|育成|する|し|拡大|拡張|引き上げ|増強)"


def _grown_facility(sent: Sentence, amount) -> Claim | None:
    """「XをN ギガワット級の施設に育てる」: the capacity X is to reach (X is the を object before the figure)."""
    from kb.claims import ja

    if amount.unit != "power":
        return None
    text = sent.text
    nouns = _alt(ja._lexicon().site_nouns)
    after = re.match(rf"\s*(?:級|規模|超)?\s*の\s*(?:[^、。をがはに]{{0,6}}?)(?:{nouns})" + MAKE_INTO, text[amount.end:])
    if after is None:
        return None
    start = _clause_start(text, amount.start)
    for m in reversed(sent.mentions):
        if m.start < start or m.end > amount.start or m.entity.type not in ("facility", "project"):
            continue
        if re.fullmatch(rf"{CLOSERS}\s*を[^、。をがは「」]{{0,12}}", text[m.end:amount.start]):
            return _claim(sent, m, amount, {"metric": "容量"}, m.start, amount.end + after.end())
        break
    return None


def _owner(sent: Sentence, noun_start: int) -> Ment | None:
    """The entity written before the metric: Xの(今年の)売上高, X売上高, X株価 / X株 (share price)."""
    text = sent.text
    for m in reversed(sent.mentions):
        if m.end > noun_start or m.entity.type not in SUBJECT_TYPES:
            continue
        gap = text[m.end:noun_start]
        if gap == "" or re.fullmatch(CLOSERS + OWNER_GAP, gap):
            return m
    return None


def _share_price_owner(sent: Sentence, amount) -> tuple[Ment, int, int] | None:
    """X株は / X株価が in the clause of the figure: (the entity, end of 株/株価, end of its particle)."""
    text = sent.text
    start = _clause_start(text, amount.start)
    for m in reversed(sent.mentions):
        if m.start < start or m.end > amount.start or m.entity.type not in SUBJECT_TYPES:
            continue
        hit = _lexicon().share_price_re.match(text, m.end, amount.start)
        if hit:
            return m, hit.end() - len(hit.group("p")), hit.end()
    return None


def _topic(sent: Sentence, before: int) -> Ment | None:
    """The sentence's topic or place before `before`: Xは / Xが / Xでは (not a source: Xによると)."""
    text = sent.text
    for m in reversed(sent.mentions):
        if m.end > before or m.entity.type not in SUBJECT_TYPES:
            continue
        if re.match(rf"{CLOSERS}(?:は|では|が|には)(?!じめ)", text[m.end:]):
            if any(o.end <= m.start and o.entity.id != m.entity.id and o.entity.type in ORG_TYPES
                   and re.fullmatch(rf"{CLOSERS}\s*[と、や・]\s*", text[o.end:m.start]) for o in sent.mentions):
                return None  # AとBは: a figure of the pair belongs to neither alone
            return m
        if re.match(rf"{CLOSERS}の[^、。はがをにでと「」]{{1,20}}(?:は|では)", text[m.end:before]):
            return m  # Xの新工場は…: the owner of the topic
    return None


def _count_unit(noun: str, amount) -> str:
    """The unit of a count: the counted noun's (GPU → GPUs), else its counter's (拠点 → sites), else "count"."""
    units = _lexicon().count_units
    for word in (noun, amount.text):
        hit = next((u for k, u in reversed(list(units.items())) if k in word), None)
        if hit:
            return hit
    return "count"


def _count_figure(sent: Sentence, amount) -> Claim | None:
    """<figure>の<noun>を<having verb> (20万基のGPUを備える, 50拠点を持つ, 2ギガワットの容量を持つ): the subject's."""
    if amount.unit not in ("count", "power"):
        return None
    lx = _lexicon()
    text = sent.text
    hit = lx.count_re.match(text[amount.end:])
    if not hit or lx.other_claim_re.search(text[amount.end + hit.end():amount.end + hit.end() + 12]):
        return None
    noun = (hit.group(1) or "").strip()
    if not noun:  # GPU約2万基を搭載, 従業員約3000人を抱える: the counted noun right before the figure
        before = re.search(rf"({NOUN_CHARS}{{1,10}})$", text[_clause_start(text, amount.start):amount.start])
        if before and not any(m.end > amount.start - len(before.group(1)) and m.start < amount.start
                              for m in sent.mentions):
            noun = before.group(1)
    if not noun and amount.unit != "count":
        return None
    for m in sent.mentions:
        if amount.end + hit.start(2) <= m.start < amount.end + hit.end(2) and m.entity.type in ORG_TYPES | PLACE_TYPES \
                and re.match(r"(?:に|へ|向け)", text[m.end:]):
            return None  # …を<entity>に搭載: the entity is where they go, not what the figure is about
    subject = _topic(sent, amount.start)
    if subject is None:
        return None
    if amount.unit == "power":
        return _claim(sent, subject, amount, {"metric": noun}, amount.start, amount.end + hit.end())
    unit = _count_unit(noun, amount)
    counted = dataclasses.replace(amount, unit=unit if unit != "count" or not noun else noun)
    counter = re.search(r"([^0-9０-９,.．万億兆千百十]+?)(?:以上|超|余り|近く|程度|前後)?$", amount.text)
    metric = f"{noun}の数" if noun else f"{counter.group(1)}数" if counter else "数"
    return _claim(sent, subject, counted, {"metric": metric}, amount.start, amount.end + hit.end())


def _population_figure(sent: Sentence, amount) -> Claim | None:
    """<percent>の<population>が… (60%を超える企業が…を検討した) / <population>の<percent>が… (回答者の6割が…): the share
    of a population, a statistic with no entity as its subject."""
    if amount.unit != "percent":
        return None
    lx = _lexicon()
    text = sent.text
    after = lx.population_after.match(text, amount.end)
    if after is not None and not after.group().startswith("の") and not ABSORBED_VERB.search(amount.text):
        after = None  # 60%を超える企業が: the verb the amount reader took in; else the figure and noun need の
    before = lx.population_before.search(text, 0, amount.start) if after is None else None
    if before is not None and not re.match(r"\s*(?:が|は|も)", text[amount.end:]):
        before = None
    if after is None and before is None:
        return None
    noun = (after or before).group(1)
    claim = make_claim("statistic", None, None, (0, len(text)), amount=amount, details={"metric": f"{noun}の割合"})
    claim.modality = _modality(text, amount.start)
    claim.attributed_to = _source(sent)
    return claim


def _durations(sent: Sentence) -> list[Amount]:
    """Durations the amount reader leaves alone (122日で, 3カ月で) as amounts in days, weeks, months, years."""
    out = []
    for m in DURATION_RE.finditer(sent.text):
        n = float(int(m.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789"))))
        out.append(Amount(n, n, None, DURATION_UNITS[m.group(2)], None, False, None, m.group()[:-1].rstrip(),
                          m.start(), m.end() - 1))
    return out


def _duration_figure(sent: Sentence, amount) -> Claim | None:
    """<topic>は…<N>日で<verb> (着工から90日で稼働): how long the subject took."""
    if amount.unit not in DURATION_UNITS.values():
        return None
    text = sent.text
    after = text[amount.end:]
    verb = _lexicon().duration_verb_re.match(re.sub(r"^\s*で\s*", "", after))
    if verb is None:
        return None
    subject = _topic(sent, amount.start)
    if subject is None:
        return None
    since = re.search(r"([^、。はがをで「」]{1,8})から\s*(?:わずか|約|およそ|ほぼ|たった)?\s*$", text[_clause_start(text, amount.start):amount.start])
    metric = f"{since.group(1)}から{verb.group(1)}まで" if since else f"{verb.group(1)}までの期間"
    return _claim(sent, subject, amount, {"metric": metric}, amount.start,
                  amount.end + len(after) - len(after.lstrip()) + 1 + verb.end())


def _relative(text: str, verb_end: int) -> bool:
    """Whether the verb ending at verb_end modifies a noun (…を超える企業, …を備えた施設): a relative clause
    describes that noun, it states no figure of the subject. A modality noun (…に達する見通し) is no such noun."""
    ending = RELATIVE_ENDING.match(text, verb_end)
    if ending is not None:
        rest = text[ending.end():]
    elif 0 < verb_end < len(text) and text[verb_end - 1] in "るた" and NOUN_START.match(text, verb_end):
        rest = text[verb_end:]  # 100億ドルを超える企業: the amount reader took the verb into the figure
    else:
        return False
    return not any(rest.startswith(w) for w in _lexicon().clause_nouns)


def _claim(sent: Sentence, subject: Ment, amount, details: dict, start: int, verb_end: int) -> Claim | None:
    if _relative(sent.text, verb_end):
        return None
    claim = make_claim("statistic", subject.entity, None, (0, len(sent.text)), amount=amount, details=details)
    claim.modality = _modality(sent.text, start)
    if NEGATIVE_TAIL.match(sent.text[verb_end:]):
        claim.polarity = "negated"
    claim.attributed_to = _source(sent)
    return claim


def _modality(text: str, start: int) -> str:
    """As ja's finders: reported/opinion cues anywhere, hedged/forecast/planned cues from the metric on."""
    from kb.claims import ja

    cues = ja._lexicon().cues
    tail = text[start:]
    found = {m for m in ("opinion", "reported") if any(c in text for c in cues[m])}
    found |= {m for m in ("hedged", "forecast", "planned") if any(c in tail for c in cues[m])}
    return pick_modality(found)


def _source(sent: Sentence):
    """Xによると / Xによれば: the source of the figure."""
    for m in sent.mentions:
        if re.match(rf"{CLOSERS}(?:によると|によれば)", sent.text[m.end:]) and m.entity.type in ORG_TYPES | {"person"}:
            return m.entity
    return None
