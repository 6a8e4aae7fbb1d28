"""Track claims: one fingerprint per real-world claim, evidence from many passages, conflicts between sources.

Pure decisions, no storage: which tracked claim an extracted claim is (`fingerprint`), which claims can
disagree (`base_key`), how a claim's evidence adds up (`prevailing_modality`, `prevailing_attribution`)
and which stored claims conflict (`conflict_pairs`). The store's claims module writes and reads the rows.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable

from kb.amounts import Amount, format_amount
from kb.contract import AMOUNT_REL_TOL, CLAIM_TYPE_BY_NAME, SYMMETRIC_CLAIM_TYPES
from kb.records import Claim, EntityRef, stable_id

MODALITY_ORDER = ("asserted", "reported", "planned", "forecast", "hedged", "opinion")
# Values within this relative difference are the same figure written with different rounding.
REL_TOL = AMOUNT_REL_TOL


def _canonical_value(x: float | None) -> str:
    if x is None:
        return ""
    if x == 0:
        return "0"
    digits = 3 - int(math.floor(math.log10(abs(x)))) - 1
    return repr(round(x, digits))


def amount_key(amount: Amount | None) -> tuple:
    """The part of an amount that identifies a figure: currency, unit, period and value (bounds folded)."""
    if amount is None:
        return ()
    lo = amount.min if amount.min is not None else amount.max
    hi = amount.max if amount.max is not None else amount.min
    return (amount.currency or "", amount.unit, amount.period or "", _canonical_value(lo), _canonical_value(hi))


_METRIC_CLASSES = (
    ("revenue_share", r"(売上|収益|revenue|sales).*(占め|割合|share|%|比率)|share of .*(revenue|sales)|占める割合"),
    ("market_share", r"シェア|market share|share of .*market"),
    ("growth", r"成長|伸び|増加|growth|grew|rose|increase"),
)


def metric_class(metric: str) -> str:
    """A coarse statistic kind, so 「売上に占める割合」 and "share of revenue" are one metric."""
    m = (metric or "").lower()
    for name, pattern in _METRIC_CLASSES:
        if re.search(pattern, m):
            return name
    return m


def _pair(claim: Claim) -> tuple[str, str]:
    subj = claim.subject.id if claim.subject else ""
    obj = claim.object.id if claim.object else ""
    if claim.type in SYMMETRIC_CLAIM_TYPES:
        subj, obj = sorted((subj, obj))
    return subj, obj


def base_key(claim: Claim) -> str:
    """Who/what a claim is about, ignoring value and polarity: claims sharing it can conflict."""
    subj, obj = _pair(claim)
    d = claim.details or {}
    key = CLAIM_TYPE_BY_NAME[claim.type].identity_detail if claim.type in CLAIM_TYPE_BY_NAME else None
    detail = str(d.get(key, "")) if key else ""
    if key == "title":
        detail = detail.lower()
    elif key == "metric":
        detail = metric_class(detail)
    period = (claim.amount.period if claim.amount is not None else None) or ""
    unit = (claim.amount.unit if claim.amount is not None else "") or ""
    # The horizon stays in details only: one article says "over 3 years", another leaves it out.
    return stable_id(claim.type, subj, obj, detail, period, unit)


def fingerprint(claim: Claim) -> str:
    """Stable id of a tracked claim: equal for the same claim written in other words or notations."""
    return stable_id(base_key(claim), claim.polarity, amount_key(claim.amount))


def stored_roles(claim: Claim) -> tuple[EntityRef | None, EntityRef | None]:
    """Subject and object of the tracked claim: a partnership's two parties in id order (it is symmetric)."""
    subj, obj = claim.subject, claim.object
    if claim.type in SYMMETRIC_CLAIM_TYPES and subj and obj and obj.id < subj.id:
        subj, obj = obj, subj
    return subj, obj


def investment_id(claim_id: str) -> str:
    """Id of the entity that stands for a tracked investment (the graph's investment node)."""
    return f"investment:{claim_id}"


def prevailing_modality(modalities: Iterable[str | None]) -> str | None:
    """The modality most evidence has; ties go to the more certain one (MODALITY_ORDER)."""
    counts = Counter(m for m in modalities if m)
    if not counts:
        return None
    return min(counts, key=lambda m: (-counts[m], MODALITY_ORDER.index(m) if m in MODALITY_ORDER else 99))


def prevailing_attribution(entity_ids: Iterable[str | None]) -> str | None:
    """The source most evidence attributes the claim to; ties go to the smaller id."""
    counts = Counter(a for a in entity_ids if a)
    return min(counts, key=lambda a: (-counts[a], a)) if counts else None


def conflict_pairs(rows: list[dict]) -> list[tuple[str, str, str]]:
    """(claim id, other claim id, reason) for every disagreeing pair of claims sharing a base key, both ways.

    `rows` are the claims of one base key with id, polarity, currency, amount_min, amount_max, unit, bound.
    """
    pairs = []
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            reason = conflict_reason(a, b)
            if reason:
                pairs.append((a["id"], b["id"], reason))
                pairs.append((b["id"], a["id"], reason))
    return pairs


def conflict_reason(a: dict, b: dict) -> str | None:
    """Why two claims with the same base key disagree, or None if they are compatible."""
    if a["polarity"] != b["polarity"]:
        return "affirmed vs negated"
    if a["amount_min"] is None and a["amount_max"] is None or b["amount_min"] is None and b["amount_max"] is None:
        return None
    if (a["currency"] or "") != (b["currency"] or ""):
        return None
    lo_a, hi_a = _span(a)
    lo_b, hi_b = _span(b)
    if _close(lo_a, lo_b) and _close(hi_a, hi_b):
        return None
    if _within_bound(a, lo_b, hi_b) or _within_bound(b, lo_a, hi_a):
        return None
    return (f"amounts disagree: {_fmt(lo_a, hi_a, a['currency'], a.get('unit'))} vs "
            f"{_fmt(lo_b, hi_b, b['currency'], b.get('unit'))}")


def _within_bound(bounded: dict, lo: float, hi: float) -> bool:
    """A one-sided figure ("at least 2B", "up to 1.4T") agrees with any value on its side."""
    if bounded.get("bound") == "lower" and bounded["amount_max"] is None:
        return hi >= bounded["amount_min"] * (1 - REL_TOL)
    if bounded.get("bound") == "upper" and bounded["amount_min"] is None:
        return lo <= bounded["amount_max"] * (1 + REL_TOL)
    return False


def _span(r: dict) -> tuple[float, float]:
    lo = r["amount_min"] if r["amount_min"] is not None else r["amount_max"]
    hi = r["amount_max"] if r["amount_max"] is not None else r["amount_min"]
    return lo, hi


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=REL_TOL)


def _fmt(lo: float, hi: float, currency: str | None, unit: str | None = None) -> str:
    return format_amount({"min": lo, "max": lo if _close(lo, hi) else hi, "currency": currency, "unit": unit})