"""Score extraction against hand-written gold annotations (tests/gold/*.yaml): claim and entity P/R/F1.

A gold file names one article and lists the entities and claims an analyst expects from it (format:
tests/gold/README.md). System claims are the tracked claims with evidence in that article. A system
claim matches a gold claim when type, subject, object and polarity agree (partnership either way
round) and, when the gold claim gives an amount, the amounts agree within 2%; each claim matches
at most once (maximum bipartite matching, required gold claims first).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
import yaml

from kb.amounts import format_amount
from kb.contract import AMOUNT_REL_TOL, CLAIM_TYPES, SYMMETRIC_CLAIM_TYPES
from kb.entities import normalize_name
from kb.errors import KBError
from kb.store import evaluation as rows_of

EVAL_ENTITY_TYPES = frozenset({"company", "organization", "government", "project", "person", "country", "state"})
REL_TOL = AMOUNT_REL_TOL
ANY = "*"


class GoldFileError(KBError):
    """A gold annotation file is missing, unreadable or malformed."""


@dataclass(frozen=True)
class GoldClaim:
    """One expected claim; subject/object are alternatives (ids or names), () for none, ('*',) for any."""

    type: str
    subject: tuple[str, ...]
    object: tuple[str, ...]
    amount: dict | None = None
    polarity: str = "affirmed"
    modality: str | None = None
    optional: bool = False

    def label(self) -> str:
        """A short rendering for reports."""
        s = "|".join(self.subject) or "-"
        o = "|".join(self.object) or "-"
        neg = "NOT " if self.polarity == "negated" else ""
        fig = f" {_amount_text(self.amount)}" if self.amount else ""
        return f"{neg}{self.type}: {s} → {o}{fig}"


@dataclass
class GoldArticle:
    """The gold annotation of one article."""

    article: str
    path: str
    entities: list[tuple[str, ...]]
    claims: list[GoldClaim]


@dataclass
class SysClaim:
    """A tracked claim as evidenced in one article."""

    id: str
    type: str
    subject: str | None
    object: str | None
    amount: dict | None
    polarity: str
    modality: str
    summary: str


@dataclass
class Counts:
    """True/false positives and false negatives, with the derived scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class ArticleResult:
    """What matched and what did not in one article."""

    article: str
    found: bool
    matched: list[tuple[GoldClaim, SysClaim]] = field(default_factory=list)
    missed: list[GoldClaim] = field(default_factory=list)
    spurious: list[SysClaim] = field(default_factory=list)
    duplicates: list[SysClaim] = field(default_factory=list)
    missed_entities: list[str] = field(default_factory=list)
    spurious_entities: list[str] = field(default_factory=list)


@dataclass
class EvalReport:
    """Scores over all gold articles."""

    by_type: dict[str, Counts]
    micro: Counts
    entities: Counts
    amount_right: int
    amount_total: int
    modality_right: int
    modality_total: int
    articles: list[ArticleResult]

    @property
    def amount_accuracy(self) -> float:
        return self.amount_right / self.amount_total if self.amount_total else 0.0

    @property
    def modality_accuracy(self) -> float:
        return self.modality_right / self.modality_total if self.modality_total else 0.0


# --- reading gold files ------------------------------------------------------------------------
def _ref(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, str) or not value.strip():
        raise GoldFileError(f"{where}: an entity reference must be an id, a name or 'a|b' alternatives, "
                            f"got {value!r}")
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _gold_amount(value, where: str) -> dict | None:
    # PyYAML reads 2.0e9 (no sign in the exponent) as a string, so numbers are converted here.
    if value is None:
        return None
    try:
        return {k: (float(v) if k in ("min", "max") and v is not None else v) for k, v in value.items()}
    except (AttributeError, TypeError, ValueError) as exc:
        raise GoldFileError(f"{where}: amount must be a mapping with numeric min/max, got {value!r}") from exc


def load_gold(gold_dir: str | Path) -> list[GoldArticle]:
    """Read every *.yaml gold file of a folder, sorted by name."""
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise GoldFileError(f"gold folder {folder} not found; pass --gold DIR (default tests/gold)")
    out = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise GoldFileError(f"{path}: not valid YAML ({exc}); fix the file") from exc
        if "article" not in data:
            raise GoldFileError(f"{path}: missing 'article:' (the article file name); add it")
        entities = []
        for k, e in enumerate(data.get("entities") or []):
            e = e if isinstance(e, dict) else {"id": e}
            entities.append(_ref(e.get("id") or e.get("name"), f"{path}: entities[{k}]"))
        claims = []
        for k, c in enumerate(data.get("claims") or []):
            where = f"{path}: claims[{k}]"
            if not isinstance(c, dict) or "type" not in c or "subject" not in c:
                raise GoldFileError(f"{where}: a claim needs at least 'type' and 'subject'")
            claims.append(GoldClaim(c["type"], _ref(c["subject"], where), _ref(c.get("object"), where),
                                    _gold_amount(c.get("amount"), where), c.get("polarity", "affirmed"), c.get("modality"),
                                    bool(c.get("optional", False))))
        out.append(GoldArticle(str(data["article"]), str(path), entities, claims))
    if not out:
        raise GoldFileError(f"no *.yaml gold files in {folder}")
    return out


# --- reading system output ---------------------------------------------------------------------
def _article_id(db: sqlite_utils.Database, name: str) -> str | None:
    for row in rows_of.article_paths(db):
        if Path(row["source_path"]).name == Path(name).name:
            return row["id"]
    return None


def _system_claims(db: sqlite_utils.Database, article_id: str) -> list[SysClaim]:
    out = []
    for r in rows_of.evidenced_claims(db, article_id):
        amount = None
        if r["amount_min"] is not None or r["amount_max"] is not None:
            amount = {"min": r["amount_min"], "max": r["amount_max"], "currency": r["currency"],
                      "unit": r["unit"], "period": r["period"]}
        out.append(SysClaim(r["id"], r["type"], r["subject_id"], r["object_id"], amount, r["polarity"] or "affirmed",
                            r["modality"] or "asserted", r["summary"] or ""))
    return out


class _Names:
    """Normalized names and aliases of system entities, for matching gold names to unknown-entity ids."""

    def __init__(self, db: sqlite_utils.Database):
        self.norm = normalize_name
        self.db = db
        self.cache: dict[str, set[str]] = {}

    def keys(self, entity_id: str) -> set[str]:
        if entity_id not in self.cache:
            keys = {entity_id}
            for n in rows_of.entity_names(self.db, entity_id):
                keys.add(self.norm(n))
            self.cache[entity_id] = keys
        return self.cache[entity_id]

    def matches(self, gold: tuple[str, ...], entity_id: str | None) -> bool:
        if gold == (ANY,):
            return True
        if entity_id is None or not gold:
            return entity_id is None and not gold
        keys = self.keys(entity_id)
        return any(alt in keys or self.norm(alt) in keys for alt in gold if alt != ANY)


# --- matching ----------------------------------------------------------------------------------
def _fold(amount: dict) -> tuple[float | None, float | None]:
    lo, hi = amount.get("min"), amount.get("max")
    return (lo if lo is not None else hi), (hi if hi is not None else lo)


def amounts_agree(gold: dict, system: dict | None) -> bool:
    """Gold and system figures agree: same currency/unit/period where gold gives them, values within 2%."""
    if system is None:
        return False
    if gold.get("currency") and (system.get("currency") or "") != gold["currency"]:
        return False
    if gold.get("unit") and system.get("unit") != gold["unit"]:
        return False
    if gold.get("period") and system.get("period") != gold["period"]:
        return False
    (glo, ghi), (slo, shi) = _fold(gold), _fold(system)
    if glo is None or slo is None:
        return glo is None and slo is None
    return math.isclose(glo, slo, rel_tol=REL_TOL) and math.isclose(ghi, shi, rel_tol=REL_TOL)


def _compatible(g: GoldClaim, s: SysClaim, names: _Names, *, with_amount: bool = True) -> bool:
    if g.type != s.type or g.polarity != s.polarity:
        return False
    pairs = [(s.subject, s.object)]
    if g.type in SYMMETRIC_CLAIM_TYPES:
        pairs.append((s.object, s.subject))
    if not any(names.matches(g.subject, a) and names.matches(g.object, b) for a, b in pairs):
        return False
    return not (with_amount and g.amount) or amounts_agree(g.amount, s.amount)


def _match(golds: list[GoldClaim], systems: list[SysClaim], names: _Names, *, with_amount: bool = True) -> dict[int, int]:
    """Maximum bipartite matching gold index → system index; required gold claims are served first."""
    edges = {i: [j for j, s in enumerate(systems) if _compatible(g, s, names, with_amount=with_amount)]
             for i, g in enumerate(golds)}
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in sorted(range(len(golds)), key=lambda i: golds[i].optional):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def evaluate(db: sqlite_utils.Database, gold_dir: str | Path) -> EvalReport:
    """Compare the claims and entities stored in `db` with the gold annotations in `gold_dir`."""
    names = _Names(db)
    by_type = {t: Counts() for t in CLAIM_TYPES}
    micro, ents = Counts(), Counts()
    amount_right = amount_total = modality_right = modality_total = 0
    results = []
    for gold in load_gold(gold_dir):
        aid = _article_id(db, gold.article)
        result = ArticleResult(gold.article, aid is not None)
        systems = _system_claims(db, aid) if aid else []
        pairs = _match(gold.claims, systems, names)
        loose = _match(gold.claims, systems, names, with_amount=False)
        for i, g in enumerate(gold.claims):
            counts = by_type.setdefault(g.type, Counts())
            if i in pairs:
                s = systems[pairs[i]]
                if not g.optional:
                    counts.tp += 1
                    result.matched.append((g, s))
                    if g.modality:
                        modality_total += 1
                        modality_right += s.modality == g.modality
            elif not g.optional:
                counts.fn += 1
                result.missed.append(g)
            if g.amount and not g.optional and i in loose:
                amount_total += 1
                amount_right += i in pairs
        used = set(pairs.values())
        for j, s in enumerate(systems):
            if j in used:
                continue
            if any(_compatible(g, s, names) for g in gold.claims):
                result.duplicates.append(s)
            else:
                by_type.setdefault(s.type, Counts()).fp += 1
                result.spurious.append(s)
        _score_entities(db, names, gold, aid, result, ents)
        results.append(result)
    for c in by_type.values():
        micro.add(c)
    return EvalReport(by_type, micro, ents, amount_right, amount_total, modality_right, modality_total, results)


def _score_entities(db, names: _Names, gold: GoldArticle, aid: str | None, result: ArticleResult,
                    counts: Counts) -> None:
    found = [] if aid is None else rows_of.mentioned_entities(db, aid)
    matched_sys = set()
    for alts in gold.entities:
        hits = [eid for eid, _ in found if names.matches(alts, eid)]
        if hits:
            counts.tp += 1
            matched_sys.update(hits)
        else:
            counts.fn += 1
            result.missed_entities.append("|".join(alts))
    for eid, type_ in found:
        if type_ in EVAL_ENTITY_TYPES and eid not in matched_sys:
            counts.fp += 1
            result.spurious_entities.append(eid)


# --- report ------------------------------------------------------------------------------------
def _amount_text(a: dict) -> str:
    return format_amount(a)


def format_report(report: EvalReport, *, verbose: bool = False) -> str:
    """A plain-text table of the scores; with `verbose`, each article's misses and spurious claims."""
    lines = [f"{'':<14}{'TP':>5}{'FP':>5}{'FN':>5}{'P':>8}{'R':>8}{'F1':>8}"]

    def row(name: str, c: Counts) -> str:
        return f"{name:<14}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"

    for t, c in report.by_type.items():
        lines.append(row(t, c))
    lines.append("-" * len(lines[0]))
    lines.append(row("micro", report.micro))
    lines.append(row("entities", report.entities))
    lines.append(f"amount accuracy (matched who/what, figure right): {report.amount_right}/{report.amount_total}"
                 f" = {report.amount_accuracy:.3f}")
    lines.append(f"modality accuracy (matched claims with gold modality): {report.modality_right}/"
                 f"{report.modality_total} = {report.modality_accuracy:.3f}")
    dup = sum(len(a.duplicates) for a in report.articles)
    lines.append(f"articles: {len(report.articles)}; redundant system claims (not counted): {dup}")
    for a in report.articles:
        if not a.found:
            lines.append(f"! {a.article}: not in the database (ingest it first)")
    if verbose:
        for a in report.articles:
            lines.append(f"\n## {a.article}")
            lines += [f"  MISSED   {g.label()}" for g in a.missed]
            lines += [f"  SPURIOUS {s.summary}  [{s.subject} → {s.object}]" for s in a.spurious]
            if a.missed_entities:
                lines.append(f"  missed entities: {', '.join(a.missed_entities)}")
            if a.spurious_entities:
                lines.append(f"  spurious entities: {', '.join(a.spurious_entities)}")
    return "\n".join(lines)


@dataclass
class ReviewedPrecision:
    """Precision against an analyst's verdicts (kb review): of the stored claims reviewed, how many are right."""

    by_type: dict[str, Counts]  # tp = reviewed correct, fp = reviewed wrong
    orphaned: int  # verdicts about claims no longer in the database

    @property
    def total(self) -> Counts:
        out = Counts()
        for c in self.by_type.values():
            out.add(c)
        return out


def reviewed_precision(db: sqlite_utils.Database) -> ReviewedPrecision:
    """Correct and wrong counts of the reviewed claims in `db`, per claim type."""
    from kb.store import review

    by_type = {t: Counts(tp=v["correct"], fp=v["wrong"]) for t, v in review.reviewed_counts(db).items()}
    return ReviewedPrecision(by_type, review.orphaned_claim_verdicts(db))


def format_reviewed(result: ReviewedPrecision) -> str:
    """A plain-text table: reviewed claims per type, correct, wrong, precision."""
    lines = ["Reviewed claims (precision = correct / reviewed)",
             f"{'':<14}{'correct':>8}{'wrong':>7}{'P':>8}"]
    for t, c in sorted(result.by_type.items()):
        lines.append(f"{t:<14}{c.tp:>8}{c.fp:>7}{c.precision:>8.3f}")
    total = result.total
    lines.append("-" * len(lines[1]))
    lines.append(f"{'all':<14}{total.tp:>8}{total.fp:>7}{total.precision:>8.3f}")
    if not result.by_type:
        lines.append("No reviewed claims: mark claims with `kb review claim ID --correct/--wrong` or in kb serve.")
    if result.orphaned:
        lines.append(f"{result.orphaned} verdicts are about claims no longer in the database (see `kb review list`).")
    return "\n".join(lines)
