"""Entity spans of analysed docs: the NER's spans post-edited (kb.entities.refine, kb.entities.span_types),
English names found by rule (kb.entities.en_names), and gazetteer matches, which win where they overlap."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator

from spacy.tokens import Doc

from kb import nlp
from kb.contract import GINZA_SKIP_LABELS, NER_LABEL_TO_TYPE, PLACE_TYPES
from kb.entities.en_names import ap_state_at, find_names, ner_type
from kb.entities.gazetteer import TICKER, Gazetteer, is_common_term
from kb.entities.refine import missed_companies, refine_span
from kb.entities.span_types import add_extras, retype

@dataclass(frozen=True)
class Span_:
    """An entity span found in a text: offsets into that text and our entity type."""

    start: int
    end: int
    label: str
    type: str
    source: str
    entity_id: str | None = None


def doc_entity_spans(doc: Doc, lang: str, *, prefer: str = "gazetteer") -> list[Span_]:
    """Entity spans of one analyzed doc: the statistical NER's spans, refined and completed by the gazetteer.

    A gazetteer match that equals a model span, or contains it (鴻海 inside 鴻海精密工業), replaces it with a
    resolved entity, and a match the model missed entirely is added. Where a match lies inside a longer
    model span, `prefer` decides: "gazetteer" (the knowledge base: テキサス州ヒューストン is a state and a
    city, 米マイクロン is Micron) splits the model span; "model" (general NER, as in Wikipedia-style
    annotation: 日本 inside 日本放送協会) keeps the model's longer name.
    """
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
        # Name endings and legal forms settle types the tagger confuses (kb.entities.refine), then a
        # classifier of the name and its context gets a second say (kb.entities.span_types).
        start, end, label = refine_span(text, *_tidy(text, span.start_char, span.end_char), span.label_)
        if label and _TICKER_AFTER_RE.match(text, end):
            label = "法人名"  # a listed company: the ticker after the name says so, whatever the context
        elif label:
            label = retype(doc, start, end, span.label_, label)
            if not label:  # judged not a name: nothing else is proposed in its place
                for i in range(start, end):
                    taken[i] = True
                continue
        type_ = NER_LABEL_TO_TYPE.get(label)
        if type_:
            add_model(start, end, label, type_, "ner")
    if lang == "en":
        # Names the gazetteer does not know, from capitalisation and news-English cues (kb.entities.en_names),
        # then the statistical NER's names (if a model is installed) where the rules found nothing.
        known = [(start, end) for start, end, _ in matches]
        for start, end, type_ in find_names(text, known):
            add_model(start, end, type_, type_, "rule")
        for ent in doc.ents:
            type_ = NER_LABEL_TO_TYPE.get(ent.label_)
            start, end = _tidy(text, ent.start_char, ent.end_char)
            if text.endswith(("'s", "’s"), start, end):
                end -= 2  # "Kestrel Cloud's" is the name Kestrel Cloud
            if type_ in PLACE_TYPES and (state := ap_state_at(text, start, end)):
                entry = _state_named(state)
                if entry is not None and not any(taken[start:end]):
                    matches.append((start, end, entry))  # REDMOND, Wash. — the state, as the gazetteer has it
                continue
            vetted = ner_type(text, start, end, type_) if type_ else None
            if vetted:  # a type the rules settled otherwise is the label too (resolution reads the label)
                add_model(start, end, ent.label_ if vetted == type_ else vetted, vetted, "ner")
        matches.sort(key=lambda m: (m[0], m[1]))
    for ent in doc.ents if lang != "en" else ():
        type_ = None if ent.label_ in GINZA_SKIP_LABELS else NER_LABEL_TO_TYPE.get(ent.label_)
        if type_:
            add_model(*_tidy(text, ent.start_char, ent.end_char), ent.label_, type_, "ner")
    if lang != "en" and "kb_ner" in doc.spans:
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


# A ticker glued to a name (東邦電材<7998.T>, Kestrel (KSTL.O)) is cut off: it names the listing, not the company.
_TRAILING_TICKER_RE = re.compile(rf"[\s（(<]*{TICKER}[>）)]*\Z")
_TICKER_AFTER_RE = re.compile(rf"[\s]*[（(<]{TICKER}[>）)]")
_LEADING_TICKER_RE = re.compile(rf"\A{TICKER}[>）)]*")
@functools.lru_cache(maxsize=None)
def _state_named(name: str):
    """The gazetteer's state of this English name (even one ambiguous alone, as Washington is)."""
    return next((e for e in Gazetteer.load().entries() if e.type == "state" and e.name == name), None)


def _tidy(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in "「『（(\"'“#*>-"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in "」』）)\"'”、。,."):
            end -= 1
        span = text[start:end]
        tail = _TRAILING_TICKER_RE.search(span)
        if tail and tail.start() > 0:
            end = start + tail.start()
        head = _LEADING_TICKER_RE.match(span)
        if head and head.end() < len(span):
            start += head.end()
        if (start, end) == before:
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
    lang = nlp.detect_language(text)
    if not nlp.is_analysed(lang):
        return []
    pieces = list(_chunks(text, nlp.MAX_CHARS_PER_DOC))
    docs = nlp.analyze([p for _, p in pieces], lang, needs_parse=lambda doc: False)  # spans need no parse
    out: list[tuple[int, int, str]] = []
    for (offset, _), doc in zip(pieces, docs):
        out.extend((offset + s.start, offset + s.end, s.type) for s in doc_entity_spans(doc, lang, prefer="model"))
    return out
