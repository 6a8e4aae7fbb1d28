"""Track claims: one tracked claim per real-world fact, evidence from many passages, conflicts between sources.

Pure decisions, no storage (the rules, with examples: docs/tracking.md): who/what a claim is about and so
which claims can disagree (`base_key`); whether a claim is the same fact as a stored one (`same_fact`,
`match`: places at city/state granularity, title variants of one role, one figure in other notations);
the id of a new tracked claim (`fingerprint`); how a claim's evidence adds up (`prevailing_amount`,
`prevailing_modality`, `prevailing_attribution`); and which stored claims conflict, with a reason
(`conflict_pairs`, `conflict_reason`). The store's claims module reads and writes the rows; what it needs
from elsewhere (a city's state) it passes in as data.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import Iterable, Mapping

from kb.amounts import Amount, format_amount
from kb.contract import AMOUNT_REL_TOL, CLAIM_TYPE_BY_NAME, SYMMETRIC_CLAIM_TYPES
from kb.records import Claim, EntityRef, stable_id

MODALITY_ORDER = ("asserted", "reported", "planned", "forecast", "hedged", "opinion")
# Claim types whose object is a place keyed at state level (a city claim joins its state's claim).
PLACE_KEYED_TYPES = frozenset({"manufacturing", "investment"})
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
    ("share_price", r"株価|^株|stock|\bshares\b(?! of)|share price"),
    ("valuation", r"企業価値|評価額|時価総額|market value|market cap|valuation"),
    ("revenue", r"売上|収益|revenue|sales"),
    ("capacity", r"容量|capacity"),
    ("growth", r"成長|伸び|増加|growth|grew|rose|increase"),
)


def metric_class(metric: str) -> str:
    """A coarse statistic kind, so 「売上に占める割合」 and "share of revenue" are one metric."""
    m = (metric or "").lower()
    for name, pattern in _METRIC_CLASSES:
        if re.search(pattern, m):
            return name
    return m


# Title words of one role, in English and Japanese (lowercase): "chairman and CEO", 社長兼CEO and
# 最高経営責任者 all name the CEO role; a title of several roles is the set of its parts.
_TITLE_CLASSES = {
    "ceo": "CEO", "chief executive": "CEO", "chief executive officer": "CEO", "最高経営責任者": "CEO",
    "cfo": "CFO", "chief financial officer": "CFO", "最高財務責任者": "CFO",
    "cto": "CTO", "chief technology officer": "CTO", "最高技術責任者": "CTO",
    "coo": "COO", "chief operating officer": "COO", "最高執行責任者": "COO",
    "president": "president", "社長": "president", "代表取締役社長": "president",
    "chairman": "chairman", "chair": "chairman", "chairwoman": "chairman", "executive chairman": "chairman",
    "会長": "chairman", "代表取締役会長": "chairman", "取締役会長": "chairman",
    "founder": "founder", "co-founder": "founder", "cofounder": "founder", "創業者": "founder",
}
_TITLE_SPLIT = re.compile(r"\s*(?:\band\b|&|,|、|兼|・|/)\s*")


def title_roles(title: str | None) -> frozenset[str]:
    """The roles a title names: "chairman and CEO" -> {chairman, CEO}; unknown words are kept as written."""
    parts = [p.strip() for p in _TITLE_SPLIT.split((title or "").strip().lower()) if p.strip()]
    return frozenset(_TITLE_CLASSES.get(p, p) for p in parts)


def place_key(entity_id: str | None, parents: Mapping[str, str] | None = None) -> str:
    """The place a manufacturing/investment claim is keyed on: a city stands for the state it lies in."""
    if not entity_id:
        return ""
    return (parents or {}).get(entity_id) or entity_id


def _pair(claim: Claim, parents: Mapping[str, str] | None = None) -> tuple[str, str]:
    subj = claim.subject.id if claim.subject else ""
    obj = claim.object.id if claim.object else ""
    if claim.type in PLACE_KEYED_TYPES:
        obj = place_key(obj, parents)
    if claim.type in SYMMETRIC_CLAIM_TYPES:
        subj, obj = sorted((subj, obj))
    return subj, obj


def _detail(claim: Claim) -> str:
    key = CLAIM_TYPE_BY_NAME[claim.type].identity_detail if claim.type in CLAIM_TYPE_BY_NAME else None
    if not key or key == "title":  # titles are compared by their roles (same_fact), not keyed
        return ""
    value = str((claim.details or {}).get(key, ""))
    return metric_class(value) if key == "metric" else value


def figure_is_identity(claim: Claim) -> bool:
    """Whether the figure itself tells this claim apart from other claims about its subject.

    A claim without a counterparty ("X commits $1.4 trillion", "a $500 billion project") is only as
    specific as its figure: two such figures of one company are two facts, never a conflict. A statistic
    with a metric is keyed by its metric instead.
    """
    if claim.object is not None:
        return False
    if claim.type == "statistic":
        return not (claim.details or {}).get("metric")
    return claim.amount is not None


def base_key(claim: Claim, parents: Mapping[str, str] | None = None) -> str:
    """Who/what a claim is about, ignoring value, period and polarity: claims sharing it can conflict.

    Type, parties (partnership parties in id order; a city object as its state, `parents`), and the identity
    detail (a statistic's metric class, a partnership's kind). Claims without a counterparty add their figure.
    """
    subj, obj = _pair(claim, parents)
    figure = amount_key(claim.amount) if figure_is_identity(claim) else ()
    return stable_id(claim.type, subj, obj, _detail(claim), figure)


def fingerprint(claim: Claim) -> str:
    """Id a claim gets when it starts a new tracked claim (kb.store first joins it to a stored claim that is
    the same fact, `match`): type, parties as written, identity detail, period, unit, polarity and figure.

    Equal for the same claim written in other notations; the formula predates `same_fact`, so the ids of
    claims stored before it stay the same.
    """
    subj, obj = _pair(claim)
    d = claim.details or {}
    key = CLAIM_TYPE_BY_NAME[claim.type].identity_detail if claim.type in CLAIM_TYPE_BY_NAME else None
    detail = str(d.get(key, "")) if key else ""
    if key == "title":
        detail = detail.lower()
    elif key == "metric":
        detail = metric_class(detail)
    a = claim.amount
    period = (a.period if a is not None else None) or ""
    unit = (a.unit if a is not None else "") or ""
    return stable_id(stable_id(claim.type, subj, obj, detail, period, unit), claim.polarity, amount_key(a))


def claim_view(claim: Claim, cid: str = "") -> dict:
    """A claim as the row same_fact and conflict_reason compare (the columns of a stored claims row)."""
    a = claim.amount
    obj = stored_roles(claim)[1]
    return {"id": cid, "type": claim.type, "polarity": claim.polarity, "object_id": obj.id if obj else None,
            "currency": a.currency if a is not None else None, "unit": a.unit if a is not None else None,
            "period": a.period if a is not None else None, "bound": a.bound if a is not None else None,
            "approximate": int(bool(a.approximate)) if a is not None else None,
            "amount_min": a.min if a is not None else None, "amount_max": a.max if a is not None else None,
            "details": claim.details or {}}


def _details(row: dict) -> dict:
    d = row.get("details")
    if isinstance(d, str):
        return json.loads(d) if d else {}
    return d or {}


def _places_agree(a: dict, b: dict, parents: Mapping[str, str] | None) -> bool:
    """Same place, or one is the state the other (a city) lies in and the claims say nothing else apart
    (the same product, or neither names one); two cities of one state are two places."""
    x, y = a.get("object_id"), b.get("object_id")
    if x == y:
        return True
    p = parents or {}
    if not (p.get(x) == y or p.get(y) == x):
        return False
    return _product(a) == _product(b)


def _product(row: dict) -> str:
    return " ".join(str(_details(row).get("product") or "").lower().split())


def _titles_agree(a: dict, b: dict) -> bool:
    if a.get("type") != "role":
        return True
    ta, tb = title_roles(_details(a).get("title")), title_roles(_details(b).get("title"))
    return not ta or not tb or bool(ta & tb)


def _has_amount(r: dict) -> bool:
    return r.get("amount_min") is not None or r.get("amount_max") is not None


def _comparable(a: dict, b: dict) -> bool:
    """Both figures measure the same thing: currency, unit and period (a yearly figure is not a total)."""
    return ((a.get("currency") or "") == (b.get("currency") or "") and (a.get("unit") or "") == (b.get("unit") or "")
            and (a.get("period") or "") == (b.get("period") or ""))


def same_figure(a: dict, b: dict) -> bool:
    """The same figure at another notation or granularity: equal within rounding, a bound at the edge of
    the other figure ("at least 2B" and "2-3B"; "up to 100B" and "100B"), or a value inside a range."""
    if not _has_amount(a) or not _has_amount(b):
        return not _has_amount(a) and not _has_amount(b)
    if not _comparable(a, b):
        return False
    lo_a, hi_a = _span(a)
    lo_b, hi_b = _span(b)
    if _close(lo_a, lo_b) and _close(hi_a, hi_b):
        return True
    for x, (lo, hi) in ((a, (lo_b, hi_b)), (b, (lo_a, hi_a))):
        side = _one_sided(x)
        if side == "lower" and (_close(x["amount_min"], lo) or _close(x["amount_min"], hi)):
            return True
        if side == "upper" and (_close(x["amount_max"], hi) or _close(x["amount_max"], lo)):
            return True
    if not _one_sided(a) and not _one_sided(b):
        return _inside(lo_a, hi_a, lo_b, hi_b) or _inside(lo_b, hi_b, lo_a, hi_a)
    return False


def same_fact(a: dict, b: dict, parents: Mapping[str, str] | None = None) -> bool:
    """Whether two claims of one base key are one tracked claim (rows as claim_view gives them)."""
    return (a.get("polarity") == b.get("polarity") and (a.get("period") or "") == (b.get("period") or "")
            and _places_agree(a, b, parents) and _titles_agree(a, b) and same_figure(a, b))


def match(claim: Claim, candidates: Iterable[dict], parents: Mapping[str, str] | None = None,
          here: Mapping[str, Iterable[int]] | None = None, stated: Iterable[str] = ()) -> str | None:
    """The id of the tracked claim among `candidates` (stored rows of the claim's base key, best first)
    that `claim` is evidence of, or None when it is a new tracked claim.

    A candidate about the very same place is preferred to one about the city's state (or the state's city).
    `here` maps a candidate id to the passages of the claim's own article that are already its evidence:
    an article that names a city and its state as two claims tells two facts, in different passages (a plant
    in Houston, and factories across Texas) or in one (a site in Abilene, Texas: the town and its state), so a
    city/state candidate with evidence anywhere in the article is refused, and so is one whose place is among
    `stated` (the objects the claim's article states for this base key, saved yet or not).
    """
    view = claim_view(claim)
    candidates = list(candidates)
    rows = [r for r in candidates if same_fact(view, r, parents)]
    partners = figure_partners(view, candidates, parents, here) if claim.object is not None else []
    if partners and not _has_amount(view):
        rows = partners + [r for r in rows if r not in partners]  # the figured deal before other figureless mentions
    elif not rows:
        rows = partners
    exact = [r for r in rows if r.get("object_id") == view["object_id"]]
    if exact:
        return exact[0]["id"]
    stated = set(stated)
    for row in rows:
        if not set((here or {}).get(row["id"], ())) and row.get("object_id") not in stated:
            return row["id"]
    return None


def figure_partners(view: dict, candidates: Iterable[dict], parents: Mapping[str, str] | None = None,
                    here: Mapping[str, Iterable[int]] | None = None) -> list[dict]:
    """Stored claims of one base key that a claim is the same fact as, although only one of them states a figure.

    "AWS will provide OpenAI with GPUs" and "OpenAI signs a $38 billion deal with AWS" are one deal told with
    and without its size: a claim without a figure joins the one figured claim of its parties (same polarity,
    the very same object — no city/state folding — and role); with several figured claims (two deals, or two disagreeing sizes) it cannot tell which and
    joins none. A claim with a figure joins a figureless claim of its parties only when no stored claim of
    theirs has a figure; the tracked claim then takes that figure.

    The claim's own article comes first (`here`: claim ids with evidence in it): where the article itself states
    figures for the parties, a figureless mention there is about the one it states ("SBG invests $30 billion in
    OpenAI … the investment in OpenAI" joins the $30 billion, not another article's $40 billion), and about
    none if it states several. kb.store saves an article's figured claims before its figureless ones.
    """
    # The very same object: a figureless "plant in Mount Pleasant" is not the figured "$4 billion in Wisconsin"
    # (a state holds many sites); granularity folds only claims that agree on their figure (same_fact).
    agree = [r for r in candidates if r.get("polarity") == view.get("polarity")
             and r.get("object_id") == view.get("object_id") and _titles_agree(view, r)]
    figured = [r for r in agree if _has_amount(r)]
    if not _has_amount(view):
        local = [r for r in figured if r["id"] in (here or {})]
        pool = local or figured
        return pool if len(pool) == 1 else []
    return [] if figured else agree


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


def conflict_pairs(rows: list[dict], parents: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(claim id, other claim id, reason) for every disagreeing pair of claims sharing a base key, once each
    (the smaller id first).

    `rows` are the claims of one base key with id, type, polarity, object_id, currency, amount_min,
    amount_max, unit, period, bound and details.
    """
    pairs = []
    rows = sorted(rows, key=lambda r: r["id"])
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            reason = conflict_reason(a, b, parents)
            if reason:
                pairs.append((a["id"], b["id"], reason))
    return pairs


def conflict_reason(a: dict, b: dict, parents: Mapping[str, str] | None = None) -> str | None:
    """Why two claims with the same base key disagree, or None if they are compatible or about other facts.

    - affirmed vs denied: the denial (with or without a figure) of the same fact;
    - amounts disagree: two figures of the same measure (currency, unit, period) beyond rounding that
      cannot both hold; a figure within a one-sided bound ("up to 100B" and "80B") agrees with it;
    - bounds disagree: two caps (or floors) of the same event beyond rounding ("up to 100B" vs "up to 1T").
    Other places (two cities), other roles (CEO vs CFO), other periods (a year vs in total) are other facts.
    """
    if not _places_agree(a, b, parents) or not _titles_agree(a, b):
        return None
    if a.get("polarity") != b.get("polarity"):
        aff, neg = (a, b) if a.get("polarity") != "negated" else (b, a)
        if _narrower_denial(aff, neg):
            return None
        if not _has_amount(a) or not _has_amount(b) or same_figure(a, b) or _compatible(a, b):
            aff, neg = (a, b) if a.get("polarity") != "negated" else (b, a)
            fig_a, fig_n = _fmt_row(aff), _fmt_row(neg)
            if fig_a and fig_n and fig_a != fig_n:
                return f"affirmed vs denied ({fig_a} affirmed, {fig_n} denied)"
            fig = fig_a or fig_n
            return "affirmed vs denied" + (f" ({fig})" if fig else "")
        return None
    if not _has_amount(a) or not _has_amount(b) or not _comparable(a, b):
        return None
    if same_figure(a, b) or _compatible(a, b):
        return None
    if a.get("type") == "statistic" and _metric_words(a) != _metric_words(b):
        # One metric class (revenue) holds many measures (this year's, a four-year target, the backlog):
        # different figures of differently named measures are different facts, not a disagreement.
        return None
    kind = "bounds" if _one_sided(a) and _one_sided(a) == _one_sided(b) else "amounts"
    lo, hi = sorted((a, b), key=_span)  # the smaller figure first
    return f"{kind} disagree: {_fmt_row(lo)} vs {_fmt_row(hi)}"


# Details that narrow a claim to a part of the fact: denying the part does not deny the whole.
_NARROWING_DETAILS = ("product", "scope", "purpose", "facility")


def _metric_words(row: dict) -> str:
    return re.sub(r"\s+", " ", str(_details(row).get("metric", ""))).strip().casefold()


def _narrower_denial(affirmed: dict, denied: dict) -> bool:
    """The denial is about something more specific than the affirmed claim ("the plant does not make AI chips"
    vs "the company makes chips there"): a product, scope or purpose the affirmed claim does not state."""
    da, dn = _details(affirmed), _details(denied)
    return any(dn.get(k) and dn.get(k) != da.get(k) for k in _NARROWING_DETAILS)


def _compatible(a: dict, b: dict) -> bool:
    """Both figures can hold: a one-sided bound and a figure on its side (caps of one event must agree)."""
    if not _comparable(a, b):
        return False
    sa, sb = _one_sided(a), _one_sided(b)
    if sa and sa == sb:
        return same_figure(a, b)
    lo_a, hi_a = _span(a)
    lo_b, hi_b = _span(b)
    return _within_bound(a, lo_b, hi_b) or _within_bound(b, lo_a, hi_a)


def _one_sided(r: dict) -> str | None:
    if r.get("bound") == "lower" and r.get("amount_max") is None and r.get("amount_min") is not None:
        return "lower"
    if r.get("bound") == "upper" and r.get("amount_min") is None and r.get("amount_max") is not None:
        return "upper"
    return None


def _within_bound(bounded: dict, lo: float, hi: float) -> bool:
    """A one-sided figure ("at least 2B", "up to 1.4T") agrees with any value on its side."""
    side = _one_sided(bounded)
    if side == "lower":
        return hi >= bounded["amount_min"] * (1 - REL_TOL)
    if side == "upper":
        return lo <= bounded["amount_max"] * (1 + REL_TOL)
    return False


def _inside(lo: float, hi: float, outer_lo: float, outer_hi: float) -> bool:
    return outer_lo * (1 - REL_TOL) <= lo and hi <= outer_hi * (1 + REL_TOL)


def _span(r: dict) -> tuple[float, float]:
    lo = r["amount_min"] if r["amount_min"] is not None else r["amount_max"]
    hi = r["amount_max"] if r["amount_max"] is not None else r["amount_min"]
    return lo, hi


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=REL_TOL)


def _fmt_row(r: dict) -> str:
    return format_amount(r) if _has_amount(r) else ""


def prevailing_amount(variants: Iterable[tuple[str, dict]]) -> dict | None:
    """The figure most sources state among a tracked claim's evidence figures ((article id, row-like amount)).

    Variants are grouped by figure (amount_key); the group with most distinct articles wins; ties go to
    the more precise figure (a value or range before a bound), then to the first listed.
    """
    groups: dict[tuple, list] = {}
    for article_id, amount in variants:
        if amount is None or not _has_amount(amount):
            continue
        key = (amount.get("bound") or "",) + _figure_key(amount)
        groups.setdefault(key, [set(), amount])[0].add(article_id)
    if not groups:
        return None
    best = min(groups.values(), key=lambda g: (-len(g[0]), 1 if _one_sided(g[1]) else 0))
    return best[1]


def _figure_key(r: dict) -> tuple:
    lo, hi = _span(r)
    return (r.get("currency") or "", r.get("unit") or "", _canonical_value(lo), _canonical_value(hi))
