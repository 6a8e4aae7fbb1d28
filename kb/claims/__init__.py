"""Typed claims from annotated sentences: roles, amounts, attribution, modality and polarity.

The stage's public API: `extract_claims` (an article's claims) and `needs_parse` (whether a Japanese
sentence's parse can change its claims: the pipeline parses only those). The language finders are
registered in `FINDERS`: `kb.claims.ja` (GiNZA dependency/bunsetu structure) and `kb.claims.en`
(patterns over the sentence text and entity mention positions); both work in passage-relative
offsets on a `Sentence` (kb.claims.base), and this module shifts results to article offsets and
removes repeats. The claim types themselves are rows of `kb.contract.CLAIM_TYPE_TABLE`.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable

from kb.amounts import find_amounts
from kb.claims import en, en_parse, ja, learned
from kb.claims.base import Ment, Sentence, make_claim, shift_amount
from kb.claims.profile import profile_claims
from kb.claims.tables import with_tables
from kb.claims.summary import summarize  # noqa: F401  (API)
from kb.contract import CLAIM_TYPES, MODALITIES, OBJECT_TYPES, SUBJECT_TYPES  # noqa: F401  (API)
from kb.entities import has_reference
from kb.entities.gazetteer import Gazetteer
from kb.entities.refine import missed_companies
from kb.entities.span_types import add_extras
from kb.records import Claim, Mention
from kb.segment import Passage

# The sentence finder of each analysed language.
FINDERS: dict[str, Callable[[Sentence], list[Claim]]] = {"ja": ja.sentence_claims, "en": en.sentence_claims}
# How many earlier sentences a finder sees as context (Sentence.context).
CONTEXT_SENTENCES = 4


def needs_parse(doc) -> bool:
    """Whether parsing this Japanese sentence can change its claims.

    The claim finders read the parse only after a trigger word (出資, 提携, 工場, ...) or a holding
    verb, and only claims between named things, amounts or anaphors exist: a sentence without a
    trigger, or without an entity, amount or anaphor, yields the same claims unparsed.
    """

    text = doc.text
    if not ja.may_use_parse(text):
        return False
    free = [False] * (len(text) + 1)
    return bool(doc.spans.get("kb_ner")) or bool(Gazetteer.load().find(text)) or bool(find_amounts(text)) \
        or has_reference(text) or bool(missed_companies(doc, free)) or bool(add_extras(doc, free))


def extract_claims(text: str, passages: list[Passage], docs: list, mentions: list[Mention], *,
                   lang: str) -> list[Claim]:
    """Typed claims of an article; offsets in the result are article offsets."""
    sentence_claims = FINDERS["ja" if lang == "ja" else "en"]
    out: list[Claim] = []
    earlier: list[Sentence] = []
    discourse: dict = {}
    if lang == "ja":
        discourse.update(ja.article_discourse(passages, mentions))
    for passage, doc in zip(passages, docs):
        sentence = Sentence(passage.text, passage.idx, doc, _passage_mentions(passage, mentions),
                            _find_amounts(passage.text), tuple(earlier[-CONTEXT_SENTENCES:]), discourse)
        earlier.append(sentence)
        # A subject the sentences before name (Japanese zero subject, English "It plans to spend $35 billion"):
        # an amount alone may still make a claim.
        # "Here the supplier is not investing in the customer": the parties of the contract told before.
        if not sentence.mentions and not sentence.amounts and \
                not (lang != "ja" and en_parse.CONTRACT_ROLE_TEXT.search(passage.text)):
            continue
        found = sentence_claims(sentence)
        if lang != "ja":
            _carry_deal_figure(sentence, found, out, passage.start)
        for claim in _unique(found):
            claim.start += passage.start
            claim.end += passage.start
            claim.passage_idx = passage.idx
            if claim.amount is not None:
                claim.amount = shift_amount(claim.amount, passage.start)
            out.append(claim)
    # A press release's fact sheet (会社概要, "About X"): key lines the sentence finders have no verb for.
    profiled, read = profile_claims(text, passages, mentions)
    if read:
        out = [c for c in out if c.passage_idx not in read] + profiled
    if lang == "ja":
        out = ja.follow_up_amounts(out, earlier, [p.start for p in passages])
        out = ja.follow_up_stakes(out, earlier, [p.start for p in passages])
        out = ja.follow_up_denials(out, earlier)
    # Every finder and article-level step ends here: a party of a type the claim type does not take (an
    # ownership "of" a country, a factory "of" a person) is a misreading, never a claim (kb.contract).
    out = [c for c in out if _roles_fit(c) and not _outlet_acting(c)]
    _statistic_owners(out, passages, mentions, lang)
    # "build a $14 billion plant in X", 約300億円の新工場: the price of a plant the sentence's manufacturing claim
    # places is an investment there.
    starts = [p.start for p in passages]
    out = _priced_plants(out, earlier, starts, lang)
    # Markdown tables: a row's figures are the statistics of the organization its first cell names.
    out = with_tables(out, earlier, starts)
    # Figures no finder used, and subject-less statistics: the trained scorer says whose figure each is.
    out = learned.add_statistics(out, earlier, starts, lang, text=text)
    _yearly_metrics(out, text)
    # In both languages a figure-less repeat of a claim the article states with a figure (and a stake's share
    # count next to its percentage) would stand as a second, emptier tracked claim.
    return en_parse.fold_article(out)


_OWNER_TYPES = ("company", "organization")
# Who forecasts a figure rather than owns it: "Analysts at X expect …", 「調査会社Xによると」.
_FORECASTER_BEFORE = re.compile(r"(?:(?:[Aa]nalysts?|[Ee]conomists?|[Ss]trategists?|[Rr]esearchers?)\s+(?:at|from|with)\s+"
                                r"|調査会社の?)$")


def _statistic_owners(claims: list[Claim], passages: list[Passage], mentions: list[Mention], lang: str) -> None:
    """A company figure written without its company ("Vistra said … 18% of its contracted load", "Michael Dell
    told analysts that AI servers would reach 25% to 30% of revenue") is the figure of the one company its
    sentence names (a person speaking for one counts as that company; 同社 resolved counts too). A share of a
    population (75%以上の企業が…), figures of sentences naming no company or several keep no subject."""
    from kb.claims.base import known_affiliation

    by_idx = {p.idx: p for p in passages}

    def companies(p: Passage | None) -> list:
        if p is None:
            return []
        out: dict[str, object] = {}
        for m in mentions:
            if not (p.start <= m.start < p.end) or m.entity is None:
                continue
            ref = m.entity if m.entity.type in _OWNER_TYPES else \
                known_affiliation(m.entity) if m.entity.type == "person" else None
            if ref is None or en_parse._is_media(ref.id):
                continue
            # "Analysts at X expect shipments to rise 28%", 「調査会社Xによると」: X forecasts, the figure is not X's
            if _FORECASTER_BEFORE.search(p.text[max(0, m.start - p.start - 30):m.start - p.start]):
                continue
            out.setdefault(ref.id, ref)
        return list(out.values())

    for c in claims:
        if c.type != "statistic" or c.subject is not None or str(c.details.get("metric", "")).endswith("の割合"):
            continue
        here = by_idx.get(c.passage_idx)
        named = companies(here)
        if len(named) == 1:
            c.subject = named[0]


_PLANT_AFTER = {
    "en": re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:plants?|fabs?|factory|factories|facility|facilities|foundry|"
                     r"assembly line|production line)\b", re.I),
    "ja": re.compile(r"\s*(?:規模)?の?\s*(?:新|第[0-9０-９一二三]+)?(?:工場|製造拠点|生産拠点|量産拠点|生産棟|製造棟)"),
}


def _priced_plants(claims: list[Claim], sentences: list[Sentence], starts: list[int], lang: str) -> list[Claim]:
    """A money figure written as a plant's price ("a $14 billion chip plant", 約300億円の新工場) in a sentence whose
    manufacturing claims place the plant: an investment of that figure in each of those places, with the
    manufacturing claim's modality. Figures other claims use are left alone."""
    pattern = _PLANT_AFTER["ja" if lang == "ja" else "en"]
    used = {(c.amount.start, c.amount.end) for c in claims if c.amount is not None}
    making: dict[int, list[Claim]] = {}
    for c in claims:
        if c.type == "manufacturing" and c.subject is not None and c.object is not None and c.polarity == "affirmed":
            making.setdefault(c.passage_idx, []).append(c)
    invested = {(c.passage_idx, c.subject.id if c.subject else None, c.object.id if c.object else None)
                for c in claims if c.type == "investment"}
    out = list(claims)
    for sent, offset in zip(sentences, starts):
        here = making.get(sent.idx)
        if not here:
            continue
        priced = [a for a in sent.amounts if a.unit == "money" and (a.start + offset, a.end + offset) not in used
                  and pattern.match(sent.text, a.end)]
        if len(priced) != 1:
            continue
        figure = shift_amount(priced[0], offset)
        for m in here:
            if (sent.idx, m.subject.id, m.object.id) in invested:
                continue
            claim = make_claim("investment", m.subject, m.object, (m.start, m.end), amount=figure,
                               modality=m.modality, attributed_to=m.attributed_to, details={"purpose": "site"})
            claim.passage_idx = sent.idx
            out.append(claim)
    return out


# A metric that is itself per year (年間設備投資, 年平均成長率, "annual revenue"): its figure is a figure a year.
_YEARLY_METRIC = re.compile(r"年間|年平均|毎年|\b(?:annual|annualized|yearly)\b", re.I)


def _yearly_metrics(claims: list[Claim], text: str) -> None:
    """A statistic whose metric, or the words of its clause just before the figure, say per year gets period year."""
    for c in claims:
        if c.type != "statistic" or c.amount is None or c.amount.period is not None \
                or not dataclasses.is_dataclass(c.amount):
            continue
        before = text[max(c.start, c.amount.start - 16):c.amount.start]
        before = re.split(r"[。、,;]", before)[-1]
        if _YEARLY_METRIC.search(str(c.details.get("metric", ""))) or _YEARLY_METRIC.search(before):
            c.amount = dataclasses.replace(c.amount, period="year")


def _outlet_acting(claim: Claim) -> bool:
    """A news outlet as the actor of a business claim ("…と米ウォール・ストリート・ジャーナルが報じた" misread as the
    outlet investing): outlets report deals, they are not their parties (kb.contract; the gazetteer's media
    sector). A journalist's role at an outlet stands."""
    return claim.type != "role" and claim.subject is not None and en_parse._is_media(claim.subject.id)


def _roles_fit(claim: Claim) -> bool:
    """Whether the claim's subject and object have types its claim type takes (CLAIM_TYPE_TABLE)."""
    if claim.type not in SUBJECT_TYPES:
        return True
    if claim.subject is not None and claim.subject.type not in SUBJECT_TYPES[claim.type]:
        return False
    return claim.object is None or claim.object.type in OBJECT_TYPES[claim.type]


def _carry_deal_figure(sentence: Sentence, found: list[Claim], earlier: list[Claim], offset: int) -> None:
    """English: "X agreed to supply Y … . The agreement is valued at more than $1 billion.": the figure of the
    sentence after is the one figure-less contract of the sentence before (kb.claims.en_parse.deal_figure)."""
    amount = en_parse.deal_figure(sentence)
    if amount is None or any(c.type == "contract" for c in found) or not sentence.context:
        return
    before = sentence.context[-1].idx
    deals = [c for c in earlier if c.type == "contract" and c.passage_idx == before]
    if len({(c.subject.id if c.subject else None, c.object.id if c.object else None) for c in deals}) == 1 \
            and all(c.amount is None for c in deals):
        for c in deals:
            c.amount = shift_amount(amount, offset)


def _passage_mentions(passage: Passage, mentions: list[Mention]) -> list[Ment]:
    found = {}
    for m in mentions:
        if m.entity is None or m.start < passage.start or m.end > passage.end:
            continue
        found[(m.start, m.end, m.entity.id)] = Ment(m.start - passage.start, m.end - passage.start, m.entity,
                                                    passage.text[m.start - passage.start:m.end - passage.start])
    return [found[k] for k in sorted(found)]


def _find_amounts(text: str) -> list:
    return list(find_amounts(text))


def _key(c: Claim) -> tuple:
    amount = c.amount
    a = (amount.unit, amount.min, amount.max, amount.currency, amount.period) if amount is not None else ()
    return (c.type, c.subject.id if c.subject else "", c.object.id if c.object else "", c.polarity, a,
            tuple(sorted((k, str(v)) for k, v in c.details.items())))


def _unique(claims: list[Claim]) -> list[Claim]:
    """Drop repeats of one claim found through two triggers of one sentence (契約を締結)."""
    # A claim without a figure repeats one with a figure when who/what/polarity agree.
    with_figure = {_key(c)[:4] for c in claims if c.amount is not None}
    # A figure that is a stake or a price is not also a free-standing statistic.
    taken = {(c.amount.start, c.amount.end) for c in claims if c.amount is not None and c.type != "statistic"}
    claims = [c for c in claims if c.type != "statistic" or (c.amount.start, c.amount.end) not in taken]
    # "X invests" with neither a target nor a figure says nothing a tracker can use (unless denied).
    claims = [c for c in claims if not (c.type == "investment" and c.object is None and c.amount is None
                                        and c.polarity == "affirmed")]
    seen: dict[tuple, Claim] = {}
    out = []
    for c in claims:
        k = _key(c)[:5]
        if c.amount is None and k[:4] in with_figure:
            continue
        if k in seen:
            # Two triggers of one clause (工場で…生産): one claim, with the details either one found.
            first = seen[k]
            first.details = {**c.details, **first.details}
            continue
        seen[k] = c
        out.append(c)
    return out


