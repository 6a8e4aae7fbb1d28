"""The one place that loads spaCy pipelines, runs them in batches and turns docs into entity spans."""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from typing import Callable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

# SudachiPy refuses inputs over ~49,000 bytes; passages are capped far below this, but
# entity_spans() accepts arbitrary text, so it chunks to this many characters.
MAX_CHARS_PER_DOC = 4000
ENGLISH_MODELS = ("en_core_web_trf", "en_core_web_md", "en_core_web_sm", "en_core_web_lg")
GINZA_SKIP_LABELS = {"Money", "Percent", "Date", "Time", "Period_Year", "Period_Month", "Period_Day",
                     "Period_Week", "Period_Time", "Ordinal_Number", "Countx_Other", "N_Person",
                     "N_Organization", "N_Product", "N_Facility", "N_Event", "N_Location_Other",
                     "Multiplication", "Frequency", "Age", "Rank", "Point", "Measurement_Other",
                     "Physical_Extent", "Space", "Volume", "Weight", "Speed", "Intensity", "Temperature",
                     "Calorie", "Seismic_Intensity", "Seismic_Magnitude", "School_Age", "Stock",
                     "Numex_Other", "Timex_Other", "Position_Vocation", "Occasion_Other"}


@dataclass(frozen=True)
class Span_:
    """An entity span found in a text: offsets into that text and our entity type."""

    start: int
    end: int
    label: str
    type: str
    source: str
    entity_id: str | None = None


def detect_language(text: str, declared: str | None = None) -> str:
    """Return 'ja' or 'en': the declared language wins, else the share of kana/kanji decides."""
    if declared:
        d = declared.lower()[:2]
        if d in ("ja", "en"):
            return d
    sample = text[:5000]
    letters = sum(1 for c in sample if c.isalpha())
    if not letters:
        return "ja"
    cjk = sum(1 for c in sample if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff")
    return "ja" if cjk / letters > 0.15 else "en"


@functools.lru_cache(maxsize=None)
def load_pipeline(lang: str) -> Language:
    """Load (once per process) the pipeline for 'ja' or 'en' with kb's components."""
    if lang == "ja":
        if _business_ner_available():
            # kb_ner replaces GiNZA's 189-label NER, which alone takes two thirds of GiNZA's time
            # (it scores ~760 transition actions per token) and whose labels we would mostly discard.
            nlp = spacy.load("ja_ginza", exclude=["ner"])
            from .models import add_business_ner
            add_business_ner(nlp)
            return nlp
        return spacy.load("ja_ginza")
    name = english_model_name()
    if name != "blank":
        nlp = spacy.load(name, exclude=["lemmatizer"])
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer", first=True)
        return nlp
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def enable_fast_ops(blas_threads: int | None = 1) -> str:
    """Route thinc's matrix products to NumPy's BLAS for this process; returns a description."""
    from .fastops import use_fast_ops
    return use_fast_ops(blas_threads=blas_threads)


def fast_ops_active() -> bool:
    """Whether thinc's matrix products currently go through NumPy (kb.fastops)."""
    from .fastops import fast_ops_enabled
    return fast_ops_enabled()


def english_model_name() -> str:
    """The statistical English pipeline in use, or 'blank' (rules and gazetteer only)."""
    for name in ENGLISH_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return "blank"


def _business_ner_available() -> bool:
    from importlib.resources import files

    return (files("kb") / "models" / "ja_business_ner").is_dir()


@functools.cache
def pipeline_version(lang: str) -> str:
    """Identifies the analysis a cached doc came from; changes when a model or its weights change."""
    nlp = load_pipeline(lang)
    version = f"{lang}:{nlp.meta.get('name')}:{nlp.meta.get('version')}:{','.join(nlp.pipe_names)}"
    if "kb_ner" in nlp.pipe_names:
        from .models import weights_fingerprint
        version += f":kb_ner={weights_fingerprint()}"
    return version


def analyze(texts: list[str], lang: str, *, batch_size: int = 64,
            needs_parse: Callable[[Doc], bool] | None = None) -> list[Doc]:
    """Run the pipeline over texts (each already shorter than SudachiPy's limit).

    With `needs_parse`, the entity recognizer runs first on every text and the rest of the pipeline
    (GiNZA's tok2vec, parser, morphology, bunsetu) only on the docs `needs_parse` accepts: parsing a
    sentence that cannot yield a claim is wasted work.
    """
    nlp = load_pipeline(lang)
    if needs_parse is None or nlp.pipe_names[:1] != ["kb_ner"]:
        return list(nlp.pipe(texts, batch_size=batch_size))
    with nlp.select_pipes(enable=["kb_ner"]):
        docs = list(nlp.pipe(texts, batch_size=batch_size))
    return complete_parse(docs, lang, needs_parse, batch_size=batch_size)[0]


def complete_parse(docs: list[Doc], lang: str, needs_parse: Callable[[Doc], bool], *,
                   batch_size: int = 64) -> tuple[list[Doc], list[int]]:
    """Run the components after kb_ner on the docs that need a parse and have none yet.

    Used by `analyze` and on docs restored from the analysis cache: one cached unparsed because
    an older claim lexicon could not use its parse is parsed now if the current one can.
    Returns the docs and the indices of those parsed here.
    """
    nlp = load_pipeline(lang)
    if nlp.pipe_names[:1] != ["kb_ner"]:
        return docs, []
    chosen = [i for i, doc in enumerate(docs) if not doc.has_annotation("DEP") and needs_parse(doc)]
    selected = [docs[i] for i in chosen]
    for name, proc in nlp.pipeline[1:]:
        selected = list(proc.pipe(selected, batch_size=batch_size)) if hasattr(proc, "pipe") \
            else [proc(doc) for doc in selected]
    out = list(docs)
    for i, doc in zip(chosen, selected):
        out[i] = doc
    return out, chosen


def may_hold_claims(doc: Doc) -> bool:
    """Whether parsing this Japanese sentence can change its claims.

    The claim finders read the parse only after a trigger word (出資, 提携, 工場, ...) or a holding
    verb, and only claims between named things, amounts or anaphors exist: a sentence without a
    trigger, or without an entity, amount or anaphor, yields the same claims unparsed.
    """
    from .amounts import find_amounts
    from .claims_ja import may_use_parse
    from .entities import has_reference
    from .gazetteer import Gazetteer
    from .models.refine import missed_companies
    from .models.span_types import add_extras

    text = doc.text
    if not may_use_parse(text):
        return False
    free = [False] * (len(text) + 1)
    return bool(doc.spans.get("kb_ner")) or bool(Gazetteer.load().find(text)) or bool(find_amounts(text)) \
        or has_reference(text) or bool(missed_companies(doc, free)) or bool(add_extras(doc, free))


@functools.cache
def settle_msgpack_extensions() -> None:
    """Look srsly's msgpack extensions up once instead of on every (un)pack.

    srsly builds a Packer/Unpacker per call and asks its catalogue registries for extensions each
    time; with entry points enabled that scans the metadata of every installed distribution, and
    then it copies catalogue's whole global registry (thousands of spaCy functions) to filter it.
    That was a third of a seed-like ingest (several calls per cached doc). Here the entry points
    are loaded once and registered under their own names, and each registry's `get_all` answers
    from a copy that is rebuilt whenever anything new is registered anywhere in catalogue.
    """
    import catalogue
    from srsly.msgpack import msgpack_decoders, msgpack_encoders

    for registry in (msgpack_encoders, msgpack_decoders):
        if registry.entry_points:
            for name, func in registry.get_entry_points().items():
                if name not in registry:
                    registry.register(name, func=func)
            registry.entry_points = False
        registry.get_all = _memoized_get_all(registry.get_all, catalogue.REGISTRY)


def _memoized_get_all(get_all: Callable[[], dict], global_registry: dict) -> Callable[[], dict]:
    seen: list = [-1, {}]

    def cached() -> dict:
        if seen[0] != len(global_registry):
            seen[:] = [len(global_registry), get_all()]
        return dict(seen[1])
    return cached


def docs_to_bytes(docs: list[Doc]) -> bytes:
    """Serialize docs (with GiNZA's user data) for the analysis cache."""
    settle_msgpack_extensions()
    return DocBin(docs=docs, store_user_data=True).to_bytes()


def docs_from_bytes(data: bytes, lang: str) -> list[Doc]:
    """Restore docs serialized by docs_to_bytes."""
    settle_msgpack_extensions()
    return list(DocBin(store_user_data=True).from_bytes(data).get_docs(load_pipeline(lang).vocab))


def doc_entity_spans(doc: Doc, lang: str, *, prefer: str = "gazetteer") -> list[Span_]:
    """Entity spans of one analyzed doc: the statistical NER's spans, refined and completed by the gazetteer.

    A gazetteer match that equals a model span, or contains it (鴻海 inside 鴻海精密工業), replaces it with a
    resolved entity, and a match the model missed entirely is added. Where a match lies inside a longer
    model span, `prefer` decides: "gazetteer" (the knowledge base: テキサス州ヒューストン is a state and a
    city, 米マイクロン is Micron) splits the model span; "model" (general NER, as in Wikipedia-style
    annotation: 日本 inside 日本放送協会) keeps the model's longer name.
    """
    from .en_names import find_names
    from .entities import NER_LABEL_TO_TYPE
    from .gazetteer import Gazetteer, is_common_term
    from .models.refine import missed_companies, refine_span
    from .models.span_types import add_extras, retype

    text = doc.text
    matches = Gazetteer.load().find(text)
    model: list[Span_] = []
    taken = [False] * (len(text) + 1)

    def add_model(start: int, end: int, label: str, type_: str, source: str) -> None:
        if end <= start or any(taken[start:end]) or is_common_term(text[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        model.append(Span_(start, end, label, type_, source))

    for span in doc.spans.get("kb_ner", ()):
        # Name endings and legal forms settle types the tagger confuses (kb.models.refine), then a
        # classifier of the name and its context gets a second say (kb.models.span_types).
        start, end, label = refine_span(text, *_tidy(text, span.start_char, span.end_char), span.label_)
        if label:
            label = retype(doc, start, end, span.label_, label)
            if not label:  # judged not a name: nothing else is proposed in its place
                for i in range(start, end):
                    taken[i] = True
                continue
        type_ = NER_LABEL_TO_TYPE.get(label)
        if type_:
            add_model(start, end, label, type_, "ner")
    for ent in doc.ents:
        type_ = None if ent.label_ in GINZA_SKIP_LABELS else NER_LABEL_TO_TYPE.get(ent.label_)
        if type_:
            add_model(*_tidy(text, ent.start_char, ent.end_char), ent.label_, type_, "ner")
    if lang == "en":
        # Names the gazetteer does not know, from capitalisation and news-English cues (kb.en_names).
        known = [(start, end) for start, end, _ in matches]
        for start, end, type_ in find_names(text, known):
            add_model(start, end, type_, type_, "rule")
    elif "kb_ner" in doc.spans:
        for start, end in missed_companies(doc, taken):
            add_model(start, end, "法人名", "company", "rule")
        for start, end, label in add_extras(doc, taken):  # names the tagger missed, judged by the classifier
            type_ = NER_LABEL_TO_TYPE.get(label)
            if type_:
                add_model(start, end, label, type_, "ner")
    spans = {(m.start, m.end): m for m in model}
    for start, end, entry in matches:
        overlapping = [m for m in model if m.start < end and start < m.end]
        if prefer == "model" and any(not (start <= m.start and m.end <= end) for m in overlapping):
            continue
        for m in overlapping:
            spans.pop((m.start, m.end), None)
        spans[(start, end)] = Span_(start, end, entry.type, entry.type, "gazetteer", entry.id)
    return sorted(spans.values(), key=lambda s: (s.start, s.end))


def _tidy(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "「『（(\"'“#*>-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "」』）)\"'”、。,."):
        end -= 1
    return start, end


def _chunks(text: str, size: int) -> Iterator[tuple[int, str]]:
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind(c, start + size // 2, end) for c in "。\n.!?！？、, ")
            if cut > start:
                end = cut + 1
        yield start, text[start:end]
        start = end


def entity_spans(text: str) -> list[tuple[int, int, str]]:
    """Entities in `text` as (start, end, type) with character offsets into `text`."""
    if not text or not text.strip():
        return []
    lang = detect_language(text)
    pieces = list(_chunks(text, MAX_CHARS_PER_DOC))
    docs = analyze([p for _, p in pieces], lang, needs_parse=lambda doc: False)  # spans need no parse
    out: list[tuple[int, int, str]] = []
    for (offset, _), doc in zip(pieces, docs):
        out.extend((offset + s.start, offset + s.end, s.type) for s in doc_entity_spans(doc, lang, prefer="model"))
    return out
