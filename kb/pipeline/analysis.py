"""Analyze one article without writing anything: segment, NLP (with the passage cache), entities, claims.

This is the expensive, side-effect-free part of an ingest, so it can run in worker processes or on a
Dask cluster while a single writer stores the results.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field

from kb import nlp
import kb.claims
from kb.claims import extract_claims
from kb.entities import link_ja_prefixes, link_ja_readings, link_ja_surnames, resolve_mention, resolve_references, softbank_by_context
from kb.entities.en_names import link_article_names
from kb.entities.gazetteer import Gazetteer
from kb.entities.spans import doc_entity_spans
from kb.records import EntityRef, Mention, stable_id
from kb.segment import Passage, split_passages
from kb.sources import Article
from kb.store.cache import CacheReader


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
    cache_rows: list[dict] = field(default_factory=list)


def analyze_article(article: Article, chunks: int, cache: CacheReader | None = None) -> ArticleAnalysis:
    """Segment, analyze (reusing cached docs), resolve entities and extract claims of one article."""
    result = analyze_articles([(article, chunks)], cache)[0]
    if isinstance(result, BaseException):
        raise result
    return result


def analyze_articles(tasks: list[tuple[Article, int]], cache: CacheReader | None = None
                     ) -> list[ArticleAnalysis | BaseException]:
    """analyze_article for several articles, with their new passages run through the pipeline together.

    Batching matters: the neural components are several times cheaper per sentence in batches of
    dozens than in the handful of new sentences a typical article has. A passage new to the
    knowledge base but repeated within the batch is analysed once; later articles read it back as
    they would from the cache, so results are the same as one article at a time. One failing
    article does not fail the others: if the joint pipeline run raises, each article is retried
    alone and only the culprit returns its exception.
    """
    prepared: list[_Prepared | BaseException] = []
    for article, chunks in tasks:
        try:
            prepared.append(_prepare(article, chunks))
        except Exception as exc:  # reported per article by the caller
            prepared.append(exc)
    good = [p for p in prepared if isinstance(p, _Prepared)]
    try:
        _run_pipeline(good, cache)
    except Exception:
        if len(good) == 1:
            raise
        return [exc if isinstance(exc, BaseException) else _analyze_alone(task, cache)
                for task, exc in zip(tasks, prepared)]
    out: list[ArticleAnalysis | BaseException] = []
    for p in prepared:
        if isinstance(p, BaseException):
            out.append(p)
            continue
        try:
            out.append(_finish(p))
        except Exception as exc:
            out.append(exc)
    return out


def _analyze_alone(task: tuple[Article, int], cache: CacheReader | None) -> ArticleAnalysis | BaseException:
    try:
        return analyze_article(task[0], task[1], cache)
    except Exception as exc:
        return exc


@dataclass
class _Prepared:
    article: Article
    chunks: int
    lang: str
    passages: list[Passage]
    todo: list[Passage]
    keys: list[str]
    docs: list = field(default_factory=list)
    cached: int = 0
    analyzed_chars: int = 0
    cache_rows: list[dict] = field(default_factory=list)


def _prepare(article: Article, chunks: int) -> _Prepared:
    lang = nlp.detect_language(article.text, article.lang)
    passages = split_passages(article.text, line_paragraphs=article.line_paragraphs)
    if not nlp.is_analysed(lang):  # stored and searchable, but no pipeline reads it as another language
        return _Prepared(article, chunks, lang, passages, [], [])
    todo = [p for p in passages if p.duplicate_of is None]
    version = nlp.pipeline_version(lang)
    keys = [stable_id(version, p.text_hash, length=24) for p in todo]
    return _Prepared(article, chunks, lang, passages, todo, keys)


def _run_pipeline(prepared: list[_Prepared], cache: CacheReader | None) -> None:
    """Fill each article's docs: from the cache, from this batch, or from one pipeline run per language."""
    all_keys = sorted({k for p in prepared for k in p.keys})
    found = cache.get_many(all_keys) if cache else {}
    for lang in sorted({p.lang for p in prepared if nlp.is_analysed(p.lang)}):
        group = [p for p in prepared if p.lang == lang]
        owner: dict[str, tuple[_Prepared, int]] = {}  # key -> the first article and passage that analyse it
        texts: list[str] = []
        for p in group:
            p.docs = [None] * len(p.todo)
            for i, key in enumerate(p.keys):
                if key not in found and key not in owner:
                    owner[key] = (p, i)
                    texts.append(p.todo[i].text)
        new_docs = nlp.analyze(texts, lang, needs_parse=kb.claims.needs_parse) if texts else []
        fresh: dict[str, bytes] = {}
        for (key, (p, i)), doc in zip(owner.items(), new_docs):
            p.docs[i] = doc
            p.analyzed_chars += len(p.todo[i].text)
            fresh[key] = nlp.docs_to_bytes([doc])
            p.cache_rows.append({"key": key, "data": fresh[key]})
        restored: list[tuple[_Prepared, int]] = []
        for p in group:
            for i, key in enumerate(p.keys):
                if p.docs[i] is None:
                    p.docs[i] = nlp.docs_from_bytes(fresh[key] if key in fresh else found[key], lang)[0]
                    p.cached += 1
                    if key in found:
                        restored.append((p, i))
        if restored and lang == "ja":
            # A doc cached unparsed by an older claim lexicon is parsed (and re-cached) if it now needs it.
            healed, parsed = nlp.complete_parse([p.docs[i] for p, i in restored], lang, kb.claims.needs_parse)
            rewritten: set[str] = set()
            for k in parsed:
                p, i = restored[k]
                p.docs[i] = healed[k]
                if p.keys[i] not in rewritten:
                    p.cache_rows.append({"key": p.keys[i], "data": nlp.docs_to_bytes([healed[k]])})
                    rewritten.add(p.keys[i])


def _finish(p: _Prepared) -> ArticleAnalysis:
    article, lang = p.article, p.lang
    mentions: list[Mention] = []
    for passage, doc in zip(p.todo, p.docs):
        for span in doc_entity_spans(doc, lang):
            mentions.append(Mention(passage.start + span.start, passage.start + span.end,
                                    article.text[passage.start + span.start:passage.start + span.end],
                                    span.label, EntityRef(span.entity_id or "", "", span.type), span.source,
                                    passage.idx))
    if lang == "en":
        mentions = _link_short_names(article.text, mentions, p.todo)
    mentions = resolve_mentions(article.text, mentions, p.todo)
    mentions = softbank_by_context(article.text, mentions)
    if lang == "ja":
        mentions = link_ja_surnames(article.text, mentions, p.todo)
        mentions = link_ja_readings(article.text, mentions, p.todo)
        mentions = link_ja_prefixes(article.text, mentions, p.todo)
    claims = extract_claims(article.text, p.todo, p.docs, mentions, lang=lang)
    return ArticleAnalysis(article, lang, p.chunks, p.passages, mentions, claims, p.cached, p.analyzed_chars,
                           p.cache_rows)


def _link_short_names(text: str, mentions: list[Mention], passages: list[Passage]) -> list[Mention]:
    """English: a surname or a company's short name elsewhere in the article is the full name (whoever found it)."""
    return link_article_names(text, mentions, passages)


def resolve_mentions(text: str, mentions: list[Mention], passages: list[Passage]) -> list[Mention]:
    """Attach canonical entities to mentions and add mentions for 同社/両社/the company."""
    gaz = Gazetteer.load()
    resolved: list[Mention] = []
    for m in mentions:
        entry = gaz.get(m.entity.id) if m.entity.id else None
        if entry is not None:
            m.entity = EntityRef(entry.id, entry.name, entry.type)
        else:
            # A short form (Delgado) resolves as the full name it stands for (Maria Delgado).
            r = resolve_mention(m.entity.name if m.source == "alias" and m.entity.name else m.text, m.label)
            if not r or not r.id:
                continue
            m.entity = EntityRef(r.id, r.name, r.type)
        resolved.append(m)
    refs = {m.entity.id: m.entity for m in resolved}
    starts = [p.start for p in passages]
    corefs: list[Mention] = []
    for start, end, ids in resolve_references(text, [(m.start, m.end, m.entity.id) for m in resolved]):
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or start >= passages[i].end:
            continue
        for eid in ids:
            entry = gaz.get(eid) if eid not in refs else None  # "the ChatGPT maker": a company not named itself
            ref = refs.get(eid) or (EntityRef(entry.id, entry.name, entry.type) if entry is not None else None)
            if ref is not None:
                corefs.append(Mention(start, end, text[start:end], "coref", ref, "coref", passages[i].idx))
    # "the ChatGPT maker" is OpenAI: the product named inside a reference is not a party of its own there
    resolved = [m for m in resolved if not any(c.start <= m.start and m.end <= c.end for c in corefs)] + corefs
    resolved.sort(key=lambda m: (m.start, m.end, m.entity.id))
    return resolved


# Bump when a change to kb's extraction code (not its data or models, which are hashed) should make
# `kb ingest` analyse unchanged articles again.
EXTRACTION_CODE_VERSION = 8  # 8: learned statistics, tables, session-8 rules (issue #12); 3: articles.published_local/outlet, first_seen in local time; 4: entity linking; 5: 彼らは = the topic company; 6: discourse topics, sites, wire English (issue #12); 7: article topics, company profiles, English deal directions and places (issue #12, session 7)


@functools.cache
def extraction_version() -> str:
    """Identifies what produces an article's mentions and claims: kb's extraction code version, the
    installed GiNZA model, and every data and model file shipped in the package (gazetteer, claim
    lexicons, NER weights, span classifier). Cheap: a few milliseconds, loads no pipeline."""
    import hashlib
    from importlib import metadata
    from importlib.resources import files

    digest = hashlib.sha1(f"code={EXTRACTION_CODE_VERSION}".encode())
    for dist in ("ja-ginza", "ginza", "spacy", *(name.replace("_", "-") for name in nlp.ENGLISH_MODELS)):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none".encode())
    root = files("kb")
    for folder in ("data/gazetteer", "data/claim_patterns", "data/models"):  # not data/metadata.yml (Datasette)
        for path in sorted(_walk(root.joinpath(*folder.split("/")), folder), key=lambda t: t[0]):
            digest.update(path[0].encode())
            digest.update(_sample(path[1]))
    return digest.hexdigest()[:12]


def _sample(item, pieces: int = 32, size: int = 4096) -> bytes:
    """Small files whole; of big ones (model weights) the length and 32 slices spread over them, so a
    re-ingest of an unchanged corpus does not pay for reading 20 MB."""
    with item.open("rb") as handle:
        handle.seek(0, 2)
        length = handle.tell()
        if length <= pieces * size:
            handle.seek(0)
            return handle.read()
        step = length // pieces
        out = [str(length).encode()]
        for i in range(pieces):
            handle.seek(i * step)
            out.append(handle.read(size))
        return b"".join(out)


def _walk(folder, prefix: str = ""):
    """(relative name, traversable) of every data file below a package folder (no Python sources)."""
    for item in folder.iterdir():
        name = f"{prefix}/{item.name}"
        if item.is_dir():
            if item.name != "__pycache__":
                yield from _walk(item, name)
        elif not item.name.endswith((".py", ".pyc", ".md")):
            yield name, item


def warm_up() -> None:
    """Load everything an analysis uses (pipelines, gazetteer, lexicons) by analysing two tiny texts.

    Worker processes call it at start-up and benchmarks before the clock starts, as they load a
    stock spaCy pipeline before timing it.
    """
    samples = [("ja", "株式会社サンプルは東京都に新工場を建設し、同社は約10億円を投資する。"),
               ("en", "Sample Corp. will invest $1 billion in a new plant in Ohio, the company said.")]
    tasks = [(Article(f"warm-up.{lang}", f"warm-up:{lang}", "warm-up", text, lang=lang), 0) for lang, text in samples]
    for result in analyze_articles(tasks, None):
        if isinstance(result, BaseException):
            raise result
