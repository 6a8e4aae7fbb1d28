"""Typed claims from annotated sentences: roles, amounts, attribution, modality and polarity.

The language-specific finders live in `claims_ja` (GiNZA dependency/bunsetu structure) and
`claims_en` (patterns over the sentence text and entity mention positions). Both work in
passage-relative offsets on a `Sentence`; this module shifts results to article offsets,
removes repeats and orders them.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import yaml

from .records import Claim, EntityRef, Mention
from .segment import Passage

CLAIM_TYPES = ("investment", "partnership", "manufacturing", "contract", "ownership", "role", "statistic")
MODALITIES = ("asserted", "reported", "planned", "forecast", "hedged", "opinion")
# When several modality cues occur, the most cautious one wins.
MODALITY_PRECEDENCE = ("opinion", "hedged", "forecast", "planned", "reported")

PLACE_TYPES = frozenset({"country", "state", "city", "place"})
ORG_TYPES = frozenset({"company", "organization", "government"})
SUBJECT_TYPES = {
    "investment": ORG_TYPES | {"person", "project"},
    "partnership": ORG_TYPES | {"project"},
    "manufacturing": frozenset({"company", "organization"}),
    "contract": ORG_TYPES | {"project"},
    "ownership": ORG_TYPES | {"person"},
}
OBJECT_TYPES = {
    "investment": ORG_TYPES | PLACE_TYPES | {"project", "facility", "product"},
    "partnership": ORG_TYPES | {"project"},
    "manufacturing": PLACE_TYPES,
    "contract": ORG_TYPES | {"project"},
    "ownership": ORG_TYPES | {"project", "facility", "product"},
}
ATTRIBUTION_TYPES = ORG_TYPES | {"person"}


@dataclass(frozen=True)
class Ment:
    """An entity mention in passage-relative offsets."""

    start: int
    end: int
    entity: EntityRef
    text: str


@dataclass
class Sentence:
    """One passage with its analysis, in passage-relative offsets."""

    text: str
    idx: int
    doc: Any
    mentions: list[Ment]
    amounts: list[Any] = field(default_factory=list)


@functools.lru_cache(maxsize=None)
def load_patterns(lang: str) -> dict:
    """The trigger lexicon and cue lists for 'ja' or 'en' (kb/data/claim_patterns/<lang>.yaml)."""
    path = files("kb") / "data" / "claim_patterns" / f"{lang}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def extract_claims(text: str, passages: list[Passage], docs: list, mentions: list[Mention], *,
                   lang: str) -> list[Claim]:
    """Typed claims of an article; offsets in the result are article offsets."""
    if lang == "ja":
        from .claims_ja import sentence_claims
    else:
        from .claims_en import sentence_claims
    out: list[Claim] = []
    for passage, doc in zip(passages, docs):
        sentence = Sentence(passage.text, passage.idx, doc, _passage_mentions(passage, mentions),
                            _find_amounts(passage.text))
        if not sentence.mentions and not any(a.unit == "percent" for a in sentence.amounts):
            continue
        found = sentence_claims(sentence)
        for claim in _unique(found):
            claim.start += passage.start
            claim.end += passage.start
            claim.passage_idx = passage.idx
            if claim.amount is not None:
                claim.amount = shift_amount(claim.amount, passage.start)
            out.append(claim)
    return out


def _passage_mentions(passage: Passage, mentions: list[Mention]) -> list[Ment]:
    found = {}
    for m in mentions:
        if m.entity is None or m.start < passage.start or m.end > passage.end:
            continue
        found[(m.start, m.end, m.entity.id)] = Ment(m.start - passage.start, m.end - passage.start, m.entity,
                                                    passage.text[m.start - passage.start:m.end - passage.start])
    return [found[k] for k in sorted(found)]


def _find_amounts(text: str) -> list:
    try:
        from .amounts import find_amounts
    except ImportError:  # the amounts stage is optional for claims; claims just carry no figures
        return []
    return list(find_amounts(text))


def shift_amount(amount: Any, offset: int) -> Any:
    """A copy of `amount` (and its converted forms) with offsets moved by `offset`."""
    if not dataclasses.is_dataclass(amount):
        return amount
    changes: dict[str, Any] = {"start": amount.start + offset, "end": amount.end + offset}
    if getattr(amount, "converted", None):
        changes["converted"] = tuple(shift_amount(c, offset) for c in amount.converted)
    return dataclasses.replace(amount, **changes)


def make_claim(type_: str, subject: EntityRef | None, obj: EntityRef | None, span: tuple[int, int], *,
               amount: Any = None, modality: str = "asserted", polarity: str = "affirmed",
               attributed_to: EntityRef | None = None, details: dict | None = None) -> Claim:
    """Build a claim; partnership parties are ordered by entity id so A–B equals B–A."""
    if type_ == "partnership" and subject is not None and obj is not None and obj.id < subject.id:
        subject, obj = obj, subject
    clean = {k: v for k, v in (details or {}).items() if v not in (None, "", [])}
    return Claim(type_, subject, obj, span[0], span[1], -1, amount=amount, modality=modality,
                 polarity=polarity, attributed_to=attributed_to, details=clean)


def speaker_to_organization(claims: list[Claim]) -> list[Claim]:
    """A person introduced with a role in the sentence (OpenAIのサム・アルトマンCEOは…投じる) speaks for the
    organization: the organization becomes the subject, the person the attribution."""
    roles = {c.subject.id: c.object for c in claims if c.type == "role" and c.subject and c.object}
    for c in claims:
        if c.type in ("role", "statistic") or c.subject is None or c.subject.id not in roles:
            continue
        person, org = c.subject, roles[c.subject.id]
        if c.object is not None and c.object.id == org.id:
            continue
        c.subject = org
        c.attributed_to = c.attributed_to if c.attributed_to and c.attributed_to.id != org.id else person
        if c.type == "partnership" and c.object is not None and c.object.id < c.subject.id:
            c.subject, c.object = c.object, c.subject
    return claims


def known_affiliation(person: EntityRef) -> EntityRef | None:
    """The organization the gazetteer knows a person for (people.csv `organization`), if any."""
    try:
        from .gazetteer import Gazetteer
    except ImportError:
        return None
    gaz = Gazetteer.load()
    entry = gaz.get(person.id)
    org = gaz.get(entry.attrs.get("organization", "")) if entry is not None else None
    return EntityRef(org.id, org.name, org.type) if org is not None else None


def pick_modality(found: set[str]) -> str:
    """The modality a claim gets when several cues were seen."""
    for m in MODALITY_PRECEDENCE:
        if m in found:
            return m
    return "asserted"


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


# --- summaries ---------------------------------------------------------------------------------
_SYMBOLS = {"USD": "$", "JPY": "¥", "EUR": "€", "GBP": "£"}
_PERIODS = {"year": "a year", "month": "a month", "quarter": "a quarter", "week": "a week", "day": "a day"}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_POWER = ((1e9, "GW"), (1e6, "MW"), (1e3, "kW"))


def _num(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def format_amount(amount: Any) -> str:
    """A short human rendering of an amount: `$2–3 billion a year`, `75%+`, `1.2 GW`."""
    if amount is None:
        return ""
    lo = amount.min if amount.min is not None else amount.max
    hi = amount.max if amount.max is not None else amount.min
    if lo is None:
        return amount.text
    if amount.unit == "percent":
        text = f"{_num(lo)}%" if lo == hi else f"{_num(lo)}–{_num(hi)}%"
    elif amount.unit == "power":
        div, name = next(((d, n) for d, n in _POWER if hi >= d), (1, "W"))
        text = (f"{_num(lo / div)}" if lo == hi else f"{_num(lo / div)}–{_num(hi / div)}") + f" {name}"
    else:
        div, name = next(((d, n) for d, n in _SCALES if hi >= d), (1, ""))
        value = _num(lo / div) if lo == hi else f"{_num(lo / div)}–{_num(hi / div)}"
        symbol = _SYMBOLS.get(amount.currency or "", "")
        text = f"{symbol}{value}{' ' + name if name else ''}"
        if amount.currency and not symbol:
            text += f" {amount.currency}"
    if amount.bound == "lower":
        text = f"at least {text}"
    elif amount.bound == "upper":
        text = f"up to {text}"
    if amount.approximate:
        text = f"about {text}"
    if amount.period:
        text += f" {_PERIODS.get(amount.period, 'per ' + amount.period)}"
    return text


def summarize(claim: Claim) -> str:
    """One-line human summary of a claim."""
    s = claim.subject.name if claim.subject else ""
    o = claim.object.name if claim.object else ""
    d = claim.details
    figure = format_amount(claim.amount)
    if claim.type == "investment":
        text = f"{s} — investment{' in ' + o if o else ''}"
        text += f" — {figure}" if figure else ""
        text += f" ({d['purpose']})" if d.get("purpose") else ""
        text += f" over {d['horizon']}" if d.get("horizon") else ""
    elif claim.type == "partnership":
        kind = "joint venture" if d.get("kind") == "joint_venture" else "partnership"
        text = f"{s} ↔ {o}: {kind}" + (f" ({d['scope']})" if d.get("scope") else "")
    elif claim.type == "manufacturing":
        text = f"{s} manufactures" + (f" {d['product']}" if d.get("product") else "") + f" in {o}"
    elif claim.type == "contract":
        text = f"{s} — contract with {o}" + (f" — {figure}" if figure else "")
        text += f" ({d['duration']})" if d.get("duration") else ""
    elif claim.type == "ownership":
        text = f"{s} owns {o}" + (f" ({figure} stake)" if claim.amount is not None and
                                  claim.amount.unit == "percent" else (f" ({figure})" if figure else ""))
    elif claim.type == "role":
        text = f"{s} is {d.get('title', 'officer')} of {o}"
    else:
        text = (f"{s} — " if s else "") + f"{d.get('metric', 'statistic')}: {figure}"
    if claim.polarity == "negated":
        text = f"NOT: {text}"
    if claim.modality != "asserted":
        text += f" [{claim.modality}]"
    return text
