"""Plain records that flow between pipeline stages (mentions, entity references, claims) and their stable ids."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def stable_id(*parts: Any, length: int = 16) -> str:
    """Deterministic short id from parts (tracked claims, stored rows, cache keys)."""
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class EntityRef:
    """A resolved entity as claims refer to it."""

    id: str
    name: str
    type: str


@dataclass
class Mention:
    """A resolved entity mention; offsets point into the article's stored text."""

    start: int
    end: int
    text: str
    label: str
    entity: EntityRef
    source: str  # gazetteer | ner | rule | alias (short form of a rule-found name) | coref
    passage_idx: int = -1


@dataclass
class Claim:
    """One claim as found in one passage (one evidence row once tracked)."""

    type: str
    subject: EntityRef | None
    object: EntityRef | None
    start: int
    end: int
    passage_idx: int
    amount: Any = None  # kb.amounts.Amount
    modality: str = "asserted"
    polarity: str = "affirmed"
    attributed_to: EntityRef | None = None
    details: dict = field(default_factory=dict)
