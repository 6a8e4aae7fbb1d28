"""What every claim finder shares: sentences and mentions in passage offsets, the pattern lexicons,
claim construction (symmetric types ordered), attribution to an organization, modality choice."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import yaml

from kb.contract import (ATTRIBUTION_TYPES, MODALITY_PRECEDENCE, OBJECT_TYPES, ORG_TYPES,  # noqa: F401  (finders' API)
                         PLACE_TYPES, SUBJECT_TYPES, SYMMETRIC_CLAIM_TYPES)
from kb.entities.gazetteer import Gazetteer
from kb.records import Claim, EntityRef


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
    # The article's sentences before this one, nearest last (a zero subject is the topic of these).
    context: tuple = ()
    # Per-article state shared by the sentences of one article (English discourse: kb.claims.en_parse).
    discourse: dict | None = None


@functools.lru_cache(maxsize=None)
def load_patterns(lang: str) -> dict:
    """The trigger lexicon and cue lists for 'ja' or 'en' (kb/data/claim_patterns/<lang>.yaml)."""
    path = files("kb") / "data" / "claim_patterns" / f"{lang}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def is_group(value: Any) -> bool:
    """A mapping of lists (triggers: {investment: [...], ...}) is a group of keys, not one key's data;
    a mapping of strings (role_titles) is one key."""
    return isinstance(value, dict) and bool(value) and all(isinstance(v, list) for v in value.values())


def pattern_keys(patterns: dict) -> set[str]:
    """The keys of a pattern file, a group's lists as "group.list" (triggers.investment)."""
    out = set()
    for key, value in patterns.items():
        out |= {f"{key}.{sub}" for sub in value} if is_group(value) else {key}
    return out


def checked_patterns(lang: str, keys: frozenset[str]) -> dict:
    """load_patterns(lang), refused unless its keys are exactly `keys` (the keys the finder reads): a key
    no finder reads, or one the finder needs but the file lacks, is a mistake in the file or the code."""
    patterns = load_patterns(lang)
    found = pattern_keys(patterns)
    if found != keys:
        raise ValueError(f"claim_patterns/{lang}.yaml: keys no finder reads: {sorted(found - keys)}; "
                         f"keys missing: {sorted(keys - found)}")
    return patterns


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
    """Build a claim; the parties of a symmetric type (partnership) are ordered by entity id so A–B equals B–A."""
    if type_ in SYMMETRIC_CLAIM_TYPES and subject is not None and obj is not None and obj.id < subject.id:
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
        if c.type in SYMMETRIC_CLAIM_TYPES and c.object is not None and c.object.id < c.subject.id:
            c.subject, c.object = c.object, c.subject
    return claims


def known_affiliation(person: EntityRef) -> EntityRef | None:
    """The organization the gazetteer knows a person for (people.csv `organization`), if any."""
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
