"""Run the pipeline over input files and write each article in one transaction."""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import sqlite_utils

from . import db as kbdb
from . import nlp
from .errors import InputError
from .records import EntityRef, Mention
from .segment import Passage, join_chunks, split_passages
from .sources import DEFAULT_MAX_FILE_MB, Article, iter_input_files, read_articles


@dataclass
class IngestSummary:
    """What an ingest run did, for the CLI summary."""

    files: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped_files: list[str] = field(default_factory=list)
    passages: int = 0
    duplicate_passages: int = 0
    cached_passages: int = 0
    analyzed_chars: int = 0
    mentions: int = 0
    claims: int = 0
    problems: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    english_model: str = ""

    @property
    def errors(self) -> list[dict]:
        """Problems that lost data (as opposed to warnings)."""
        return [p for p in self.problems if p["severity"] == "error"]


@dataclass
class ArticleAnalysis:
    """Everything extracted from one article, ready to be written."""

    article: Article
    lang: str
    chunks: int
    passages: list[Passage]
    mentions: list[Mention]
    claims: list
    cached: int
    analyzed_chars: int


def ingest_paths(db: sqlite_utils.Database, paths: Iterable[str], *, max_file_mb: float = DEFAULT_MAX_FILE_MB,
                 progress: Callable[[str], None] | None = None, debug: bool = False) -> IngestSummary:
    """Ingest files and folders into `db`; bad inputs are recorded, never fatal."""
    summary = IngestSummary(english_model=nlp.english_model_name())
    started = time.perf_counter()
    files = list(iter_input_files(paths))
    for path, supported in files:
        shown = path.as_posix()
        if progress:
            progress(shown)
        if not supported:
            summary.skipped_files.append(shown)
            problem = {"path": shown, "line": None, "severity": "warning", "stage": "read",
                       "reason": f"unsupported file type {path.suffix or '(none)'}; skipped",
                       "hint": "kb reads .md, .markdown, .txt, .html, .htm and .jsonl"}
            kbdb.record_errors(db, shown, [problem])
            summary.problems.append(problem)
            continue
        summary.files += 1
        problems = ingest_file(db, path, shown, summary, max_file_mb=max_file_mb, debug=debug)
        kbdb.record_errors(db, shown, problems)
        summary.problems.extend(problems)
    summary.seconds = time.perf_counter() - started
    return summary


def ingest_file(db: sqlite_utils.Database, path: Path, shown: str, summary: IngestSummary, *,
                max_file_mb: float, debug: bool = False) -> list[dict]:
    """Ingest every article of one file; returns the problems found."""
    problems: list[dict] = []
    try:
        items = list(read_articles(path, max_file_mb=max_file_mb, display_path=shown))
    except InputError as exc:
        summary.failed += 1
        return [_problem(exc, "error", "read")]
    except OSError as exc:
        summary.failed += 1
        return [{"path": shown, "line": None, "severity": "error", "stage": "read",
                 "reason": f"cannot read file: {exc.strerror or exc}", "hint": "check permissions"}]
    for item in items:
        if isinstance(item, InputError):
            summary.failed += 1
            problems.append(_problem(item, "error", "read"))
            continue
        for w in item.warnings:
            problems.append({"path": shown, "line": w.line, "severity": "warning", "stage": "read",
                             "reason": w.reason, "hint": w.hint})
        try:
            status = ingest_article(db, item, summary)
        except Exception as exc:  # one bad article never aborts the batch
            if debug:
                raise
            summary.failed += 1
            problems.append({"path": shown, "line": None, "severity": "error", "stage": "extract",
                             "reason": f"internal error while processing {item.source_key}: "
                                       f"{type(exc).__name__}: {exc}",
                             "hint": "re-run with --debug for a traceback and report it"})
            continue
        setattr(summary, status, getattr(summary, status) + 1)
    return problems


def _problem(exc: InputError, severity: str, stage: str) -> dict:
    return {"path": exc.path, "line": exc.line, "severity": severity, "stage": stage,
            "reason": exc.reason, "hint": exc.hint}


def ingest_article(db: sqlite_utils.Database, article: Article, summary: IngestSummary) -> str:
    """Analyze and store one article; returns 'new', 'updated' or 'unchanged'."""
    article.text, chunks = join_chunks(article.text)
    state = kbdb.article_state(db, article.source_key)
    if state and state[1] == article.content_hash:
        return "unchanged"
    analysis = analyze_article(db, article, chunks)
    write_article(db, analysis, replace_id=state[0] if state else None)
    summary.passages += len(analysis.passages)
    summary.duplicate_passages += sum(1 for p in analysis.passages if p.duplicate_of is not None)
    summary.cached_passages += analysis.cached
    summary.analyzed_chars += analysis.analyzed_chars
    summary.mentions += len(analysis.mentions)
    summary.claims += len(analysis.claims)
    return "updated" if state else "new"


def analyze_article(db: sqlite_utils.Database, article: Article, chunks: int) -> ArticleAnalysis:
    """Segment, analyze (with the passage cache), resolve entities and extract claims."""
    from .claims import extract_claims

    lang = nlp.detect_language(article.text, article.lang)
    passages = split_passages(article.text)
    todo = [p for p in passages if p.duplicate_of is None]
    docs, cached, analyzed_chars = _docs_for(db, todo, lang)
    mentions: list[Mention] = []
    for p, doc in zip(todo, docs):
        for span in nlp.doc_entity_spans(doc, lang):
            mentions.append(Mention(p.start + span.start, p.start + span.end,
                                    article.text[p.start + span.start:p.start + span.end],
                                    span.label, EntityRef(span.entity_id or "", "", span.type), span.source, p.idx))
    mentions = resolve_mentions(article.text, mentions, todo)
    claims = extract_claims(article.text, todo, docs, mentions, lang=lang)
    return ArticleAnalysis(article, lang, chunks, passages, mentions, claims, cached, analyzed_chars)


def resolve_mentions(text: str, mentions: list[Mention], passages: list[Passage]) -> list[Mention]:
    """Attach canonical entities to mentions and add mentions for 同社/両社/the company."""
    from .entities import resolve_mention, resolve_references
    from .gazetteer import Gazetteer

    gaz = Gazetteer.load()
    resolved: list[Mention] = []
    for m in mentions:
        entry = gaz.get(m.entity.id) if m.entity.id else None
        if entry is not None:
            m.entity = EntityRef(entry.id, entry.name, entry.type)
        else:
            r = resolve_mention(m.text, m.label)
            if not r or not r.id:
                continue
            m.entity = EntityRef(r.id, r.name, r.type)
        resolved.append(m)
    refs = {m.entity.id: m.entity for m in resolved}
    starts = [p.start for p in passages]
    for start, end, ids in resolve_references(text, [(m.start, m.end, m.entity.id) for m in resolved]):
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or start >= passages[i].end:
            continue
        for eid in ids:
            if eid in refs:
                resolved.append(Mention(start, end, text[start:end], "coref", refs[eid], "coref", passages[i].idx))
    resolved.sort(key=lambda m: (m.start, m.end, m.entity.id))
    return resolved


def _docs_for(db: sqlite_utils.Database, passages: list[Passage], lang: str):
    version = nlp.pipeline_version(lang)
    keys = [kbdb.stable_id(version, p.text_hash, length=24) for p in passages]
    found: dict[str, bytes] = {}
    for batch_start in range(0, len(keys), 500):
        batch = keys[batch_start:batch_start + 500]
        for row in db.query(f"SELECT key, data FROM nlp_cache WHERE key IN ({','.join('?' * len(batch))})", batch):
            found[row["key"]] = row["data"]
    missing = [i for i, k in enumerate(keys) if k not in found]
    new_docs = nlp.analyze([passages[i].text for i in missing], lang) if missing else []
    docs = [None] * len(passages)
    for i, doc in zip(missing, new_docs):
        docs[i] = doc
    rows = []
    for i, key in enumerate(keys):
        if docs[i] is None:
            docs[i] = nlp.docs_from_bytes(found[key], lang)[0]
        elif key not in found:
            rows.append({"key": key, "data": nlp.docs_to_bytes([docs[i]])})
            found[key] = b""
    if rows:
        db["nlp_cache"].insert_all(rows, pk="key", ignore=True)
    analyzed = sum(len(passages[i].text) for i in missing)
    return docs, len(passages) - len(missing), analyzed


def write_article(db: sqlite_utils.Database, analysis: ArticleAnalysis, *, replace_id: str | None) -> None:
    """Write one analyzed article and its derived rows in a single transaction."""
    from .tracking import refresh_claims, save_claims

    a = analysis.article
    aid = a.id
    with db.atomic():
        affected_claims: set[str] = set()
        affected_entities: set[str] = set()
        if replace_id:
            affected_claims, affected_entities = kbdb.delete_article(db, replace_id)
        dup = sum(1 for p in analysis.passages if p.duplicate_of is not None)
        db["articles"].insert({
            "id": aid, "source_key": a.source_key, "source_path": a.source_path, "title": a.title,
            "published": a.published, "published_raw": a.published_raw, "author": a.author,
            "tags": kbdb.json_list(a.tags), "categories": kbdb.json_list(a.categories), "url": a.url,
            "lang": analysis.lang, "format": a.format, "encoding": a.encoding, "text": a.text,
            "content_hash": a.content_hash, "chars": len(a.text), "chunks": analysis.chunks + 1,
            "passages": len(analysis.passages), "duplicate_passages": dup, "ingested_at": kbdb.now_iso(),
        }, pk="id")
        rows = []
        for p in analysis.passages:
            row = kbdb.passage_row(aid, p)
            if p.duplicate_of is not None:
                row["duplicate_of"] = kbdb.passage_id(aid, p.duplicate_of)
            else:
                other = kbdb.first_passage_with_norm(db, p.norm_hash, aid)
                if other:
                    row["duplicate_of"], row["duplicate_kind"] = other, "other-article"
            rows.append(row)
        db["passages"].insert_all(rows, pk="id")
        entity_rows = {}
        alias_rows = {}
        mention_rows = []
        for m in analysis.mentions:
            entity_rows.setdefault(m.entity.id, _entity_row(m.entity))
            if m.source != "coref":
                alias_rows[(m.entity.id, m.text)] = {"entity_id": m.entity.id, "alias": m.text,
                                                     "normalized": _normalized(m.text)}
            mention_rows.append({
                "id": kbdb.stable_id(aid, m.start, m.end, m.entity.id), "article_id": aid,
                "passage_id": kbdb.passage_id(aid, m.passage_idx), "entity_id": m.entity.id,
                "start": m.start, "end": m.end, "text": m.text, "label": m.label, "source": m.source})
        for c in analysis.claims:
            for ref in (c.subject, c.object, c.attributed_to):
                if ref is not None:
                    entity_rows.setdefault(ref.id, _entity_row(ref))
        kbdb.upsert_entities(db, entity_rows.values())
        for e in entity_rows.values():
            alias_rows.setdefault((e["id"], e["name"]), {"entity_id": e["id"], "alias": e["name"],
                                                         "normalized": _normalized(e["name"])})
        db["entity_aliases"].insert_all(alias_rows.values(), pk=("entity_id", "alias"), ignore=True)
        if mention_rows:
            db["mentions"].insert_all(mention_rows, pk="id", replace=True)
        affected_claims |= save_claims(db, aid, a, analysis.claims)
        refresh_claims(db, affected_claims)
        affected_entities |= set(entity_rows)
        kbdb.refresh_entity_stats(db, affected_entities)


def _normalized(text: str) -> str:
    from .entities import normalize_name
    return normalize_name(text)


def _entity_row(ref) -> dict:
    from .gazetteer import Gazetteer

    entry = Gazetteer.load().get(ref.id)
    attrs = dict(entry.attrs) if entry else {}
    return {
        "id": ref.id, "name": ref.name, "type": ref.type, "name_ja": attrs.get("name_ja"),
        "wikidata": entry.wikidata if entry else None, "country": attrs.get("country") or attrs.get("iso2"),
        "ticker": attrs.get("ticker"), "usps": attrs.get("usps"), "fips": attrs.get("fips"),
        "iso": attrs.get("iso") or attrs.get("iso2"),
        "latitude": float(attrs["latitude"]) if attrs.get("latitude") else None,
        "longitude": float(attrs["longitude"]) if attrs.get("longitude") else None,
        "in_gazetteer": 1 if entry else 0, "attrs": kbdb.json_dumps(attrs) if attrs else None,
    }
