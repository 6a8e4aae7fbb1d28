"""Entity spans of analysed docs: the NER's spans post-edited (kb.entities.refine, kb.entities.span_types),
English names found by rule (kb.entities.en_names), and gazetteer matches, which win where they overlap."""

from __future__ import annotations

import functools
import re
import unicodedata
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
    # "Kansas City", "Mexico City", "Iowa City": a city named after its state or country, not the state
    matches = [m for m in Gazetteer.load().find(text)
               if not (m[2].type in ("state", "country") and _CITY_AFTER_RE.match(text, m[1]))
               and not (lang == "en" and m[2].type == "state" and _BODY_AFTER_RE.match(text, m[1]))]
    model: list[Span_] = []
    taken = [False] * (len(text) + 1)

    def add_model(start: int, end: int, label: str, type_: str, source: str) -> None:
        if end <= start or any(taken[start:end]) or name_problem(text[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        model.append(Span_(start, end, label, type_, source))

    for span in doc.spans.get("kb_ner", ()):
        # Name endings and legal forms settle types the tagger confuses (kb.entities.refine), then a
        # classifier of the name and its context gets a second say (kb.entities.span_types).
        start, end = _tidy(text, span.start_char, span.end_char)
        if end <= start:
            continue
        if text.startswith(("同州", "同県"), start) and end - start > 3:
            # 同州カロルトン: "the said state's" Carrollton, a place below the state named before
            add_model(start + 2, end, "地名", "place", "ner")
            continue
        start, end, label = refine_span(text, start, end, span.label_)
        if label == "人名" and _common_noun_person(doc, text, start, end):
            for i in range(start, end):
                taken[i] = True
            continue
        if label and (_TICKER_AFTER_RE.match(text, end) or label == "法人名" and _SEAT_AFTER_RE.match(text, end)):
            # a listed company: the ticker after the name says so, whatever the context; so does the seat news
            # writes after a company's name (北浜化学(東京・中央), X（本社：大阪市）)
            label = "法人名"
        elif label == "人名" and _surname_led(doc, text, start, end):
            pass  # the tagger and the dictionary's surname agree (山岸 学, spaced as press releases write it)
        elif label:
            label = retype(doc, start, end, span.label_, label)
            if not label:  # judged not a name: nothing else is proposed in its place
                for i in range(start, end):
                    taken[i] = True
                continue
        if label == "人名" and _katakana_company(text, start, end):
            label = "法人名"
        if label in ("製品名", "施設名") and _COMPANY_BEFORE_RE.search(text, max(0, start - 8), start):
            label = "法人名"  # 米子会社のAFL, 傘下のX: what a company owns or is owned by is a company
        type_ = NER_LABEL_TO_TYPE.get(label)
        if type_:
            add_model(start, end, label, type_, "ner")
    if lang == "en":
        # Names the gazetteer does not know, from capitalisation and news-English cues (kb.entities.en_names),
        # then the statistical NER's names (if a model is installed) where the rules found nothing.
        known = [(start, end) for start, end, _ in matches]
        for start, end, type_ in find_names(text, known):
            if type_ == "company" and text[start:end].endswith(" Fund") and \
                    any(e.type == "state" for _, _, e in Gazetteer.load().find(text[start:end])):
                type_ = "organization"  # "Texas Enterprise Fund": a state's fund, not a company
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
    for k, (start, end, entry) in enumerate(matches):
        if entry.type == "state" and (city := _city_meant(text, start, end, entry, matches)) is not None:
            matches[k] = (start, end, city)
    rests: list[Span_] = []
    for start, end, entry in matches:
        overlapping = [m for m in model if m.start < end and start < m.end]
        if prefer == "model" and any(not (start <= m.start and m.end <= end) for m in overlapping):
            continue
        for m in overlapping:
            spans.pop((m.start, m.end), None)
            if prefer == "gazetteer" and (rest := _place_after_state(text, m, start, end, entry.type)) is not None:
                rests.append(rest)
        spans[(start, end)] = Span_(start, end, entry.type, entry.type, "gazetteer", entry.id)
    if lang != "en":
        states = [(a, b, e) for a, b, e in matches if e.type == "state"]
        states += [(m.start(), m.end(), None) for m in re.finditer(r"同(?:州|県)", text)]  # 同州カロルトン
        rests += _unnamed_after_state(text, states)
    for rest in rests:
        if not any(sp.start < rest.end and rest.start < sp.end for sp in spans.values()):
            spans[(rest.start, rest.end)] = rest
    credits = _credit_lines(text)
    kept = [sp for sp in spans.values() if not any(sp.start < b and a < sp.end for a, b in credits)]
    return _readings_as_name(text, sorted(kept, key=lambda s: (s.start, s.end)))


# A place below a state written right after it (テキサス州ミラム郡, 東京都港区): the rest of the tagger's place span.
# A locality suffix (a closed class of administrative words) or a katakana/Latin name makes it a name; a
# kanji word alone (南部, 北部) is a part of the state, not a place of its own.
_LOCALITY_SUFFIX = ("郡", "市", "町", "村", "区", "タウンシップ", "パリッシュ")
_REST_NAME_RE = re.compile(r"[\u30a1-\u30fa\u30fc・A-Za-z][\u30a1-\u30fa\u30fc・A-Za-z\u4e00-\u9fff ]{1,24}"
                           r"|[\u4e00-\u9fff\u30a1-\u30fa\u30fc]{1,8}")


def _place_after_state(text: str, model: Span_, start: int, end: int, type_: str) -> Span_ | None:
    """The place the tagger's span names after a state the gazetteer found at its start (テキサス州ミラム郡 →
    ミラム郡), else None."""
    if type_ != "state" or text[model.start:start] not in ("", "米") or model.end <= end:
        return None
    a = end
    while a < model.end and text[a] in "・ 　":
        a += 1
    rest = text[a:model.end]
    if not _REST_NAME_RE.fullmatch(rest) or name_problem(rest) or "の" in rest:
        return None
    katakana = re.search(r"[\u30a1-\u30faA-Za-z]", rest) is not None
    if not (katakana and model.type in PLACE_TYPES or rest.endswith(_LOCALITY_SUFFIX) and len(rest) >= 2):
        return None
    type_ = model.type if model.type in PLACE_TYPES else "place"
    return Span_(a, model.end, "地名" if type_ == "place" else model.label, type_, model.source)


# Right after a state or prefecture the tagger wrote no name for: a town with its administrative ending
# (三重県いなべ市, 宮城県黒川郡大衡村) or a katakana name ending at a particle or a place noun (ジョージア州カロルトンの工場,
# テキサス州オースティン近郊): Japanese writes the place below the state there.
_TOWN_AFTER_STATE_RE = re.compile(r"(?:[\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff々]{1,6}?郡)?"
                                  r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff々]{1,6}?(?:市|町|村|区)"
                                  r"(?![\u4e00-\u9fff])")
_KATAKANA_AFTER_STATE_RE = re.compile(r"[\u30a1-\u30fa][\u30a1-\u30fa\u30fc・]{1,11}"
                                      r"(?=の|に|で|へ|、|と|では|近郊|郊外|周辺|地区|市|郡|\s|$)")


_PARTICLE_RE = re.compile(r"[のにではがをとやへもるた]")


def _unnamed_after_state(text: str, states: list[tuple[int, int, object]]) -> list[Span_]:
    out = []
    for _, end, _ in states:
        hit = _TOWN_AFTER_STATE_RE.match(text, end) or _KATAKANA_AFTER_STATE_RE.match(text, end)
        if hit is None or name_problem(hit.group()) or Gazetteer.load().lookup(hit.group()) is not None \
                or _PARTICLE_RE.search(hit.group()):
            continue  # 県内にある町: particles make a phrase, not a name
        out.append(Span_(hit.start(), hit.end(), "地名", "place", "rule"))
    return out


_NAMES = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
# A byline or a photo credit line names the writer or the photographer, not an entity of the story.
_CREDIT_LINE_RE = re.compile(
    r"(?:By|BY|Reporting by|Additional reporting by|Editing by|Written by)\s+" + _NAMES +
    r"(?:\s*(?:,|and|&|;)\s*(?:(?:editing|reporting) by\s+)?" + _NAMES + r")*(?:\s*[,|–—-]\s*[A-Z][\w .'-]{0,40})?"
    r"|(?:Photo|Photograph|Image|Credit)s?\s*(?:by\b|[:：]).{0,100}"
    r"|[（(]?(?:写真|撮影|画像|文|記者|取材・文|編集)\s*[:：=＝].{0,60}"
    r"|[（(][^（）()\n]{0,40}(?:撮影|提供)[）)]")


def _credit_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lines of text that are a byline or a photo credit (By Ada Kestrel; 写真：ロイター)."""
    out, pos = [], 0
    for line in text.split("\n"):
        body = line.strip()
        if body and _CREDIT_LINE_RE.fullmatch(body):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


_READING_RE = re.compile(r"[\u30a1-\u30fa\u30fc・]+")


# Hygiene: what a span the tagger or the rules propose must not be to become an entity (gazetteer names are
# exempt). Each rule returns the reason; tests/test_eval.py checks the samples' whole entity list with it.
_BYLINE_RE = re.compile(r"(?i)^(?:by|photo|photograph|image|source|credit|reporting by|editing by)\b[\s:]"
                        r"|^(?:写真|撮影|画像|出所|出典|文|記者)[:：・]|(?:撮影|提供)$")
# a particle right after a kanji, katakana or Latin word: ソフトバンクの, 鴻海は (とらや, a hiragana name, is not)
_PARTICLE_END_RE = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9](?:の|は|が|を|に|で|と|へ|も)$")
_BROKEN_RE = re.compile(r"[、。！？!?「」『』【】]")


def name_problem(surface: str) -> str | None:
    """Why a proposed span is not an entity name, or None: a generic term or a ticker (common_terms.txt), a
    byline or photo credit, a figure with its unit, sentence punctuation or an unclosed bracket inside, a
    Japanese phrase ending in a particle or joined by の (金融の話), a lowercase English word, one character."""
    text = " ".join(surface.split())
    if len(text) < 2:
        return "one character"
    if is_common_term(text):
        return "generic term or ticker"
    if _BYLINE_RE.search(text):
        return "byline or photo credit"
    if _FIGURE_IN_NAME_RE.search(text):
        return "figure with its unit"
    if _BROKEN_RE.search(text) or text.count("（") + text.count("(") != text.count("）") + text.count(")"):
        return "punctuation or an unclosed bracket"
    if _PHRASE_RE.fullmatch(text) or _PARTICLE_END_RE.search(text):
        return "a phrase, not a name"
    if re.fullmatch(r"[a-z][a-z\s-]*", text):
        return "a lowercase word"
    if _ANAPHOR_RE.fullmatch(text):
        return "a reference (同州, 同社), not a name"
    if _GENERIC_ORG_RE.fullmatch(text):
        return "a common noun (市場調査会社)"
    if _TRADE_DESCRIPTOR_RE.fullmatch(text):
        return "a trade descriptor (データセンター大手), not a name"
    if _COMPANY_END_ALONE_RE.fullmatch(text):
        return "a company ending alone (電力, 銀行), not a name"
    return None


# 「米データセンター大手のエクイニクス」: the trade and 大手 (a major) describe the company named after の.
_TRADE_DESCRIPTOR_RE = re.compile(r"[^\s、。]{1,12}大手")
# A word a company name ends with, written alone (――電力や人材の確保): the common noun, not a name.
_COMPANY_END_ALONE_RE = re.compile(r"電力|銀行|証券|商事|物産|工業|電機|重工|化学|製薬|自動車|建設|産業|石油|放送|食品")


# 同州, 同国, 同社: "the said state/country/company" refers back to a name; it is not one.
_ANAPHOR_RE = re.compile(r"同[社州国市町村県省庁行氏党グループ]+")
# Kanji-only words ending in 会社/企業 are what a company is (市場調査会社, 半導体企業), not its name; names carry
# katakana, Latin letters or a legal form (株式会社 is cut before this check).
_GENERIC_ORG_RE = re.compile(r"[\u4e00-\u9fff]{1,8}(?:(?<!株式|有限|合同|合資|合名)会社|企業)")


# A dateline opens a line: the city in capitals, a comma, then the date or the wire (NEW YORK, Sept 10 –).
_DATELINE_AFTER_RE = re.compile(r",\s*(?:[A-Z][a-z]{2,8}\.?\s+\d|\(?[A-Z][A-Za-z]+\)?\s*[–—-])")
# Between two members of a list of places: "Texas, New York", "Ohio and New York", "テキサス州、ニューヨーク州".
_LIST_GAP_RE = re.compile(r"\s*(?:,|、|・|と|及び|および|や|,?\s*(?:and|or))\s*\Z")


def _dateline_city(text: str, start: int, end: int, state):
    """The city a dateline names where its name is also a state's (NEW YORK, Sept 10 – is New York City)."""
    if not (text[start:end].isupper() and (start == 0 or text[start - 1] == "\n")
            and _DATELINE_AFTER_RE.match(text, end)):
        return None
    return _same_name_city(state)


def _same_name_city(state):
    """The city of a state named like the state itself (New York City in New York State), or None."""
    short = state.attrs.get("name_ja_short") or ""
    return next((e for e in Gazetteer.load().entries() if e.type == "city" and e.attrs.get("admin1") == state.id
                 and (e.name.startswith(state.name.removesuffix(" State")) and e.name != state.name)
                 and (not short or (e.attrs.get("name_ja") or "").startswith(short))), None)


def _city_meant(text: str, start: int, end: int, state, matches) -> object:
    """The city a bare state name stands for where a city shares it (issue #13). News writes the city as
    plain 'New York' / ニューヨーク (datelines, 【ニューヨーク】, 'New York-based') and the state as ニューヨーク州 /
    'New York State'; the bare name is the state only where places around it say so: after a city
    ('Albany, New York') or listed with other states ('Texas, Ohio and New York')."""
    city, dateline = _same_name_city(state), _dateline_city(text, start, end, state)
    if city is None or dateline is not None:
        return dateline
    surface = unicodedata.normalize("NFKC", text[start:end]).casefold()
    bare = {unicodedata.normalize("NFKC", n).casefold() for n in (state.name.removesuffix(" State"),
                                                                   state.attrs.get("name_ja_short") or "")}
    if surface not in bare or text.startswith(("州", " State", " state"), end):
        return None
    for s, e, other in matches:
        if other is state or other.type not in ("state", "city", "place"):
            continue
        fellow = other.type == "state" and _same_country(other, state)
        if e <= start and start - e <= 8 and (_LIST_GAP_RE.match(text[e:start]) or text[e:start].strip() == ","):
            if fellow or (other.type != "state" and text[e:start].strip() == "," and _same_country(other, state)):
                return None  # Texas and New York; Albany, New York (not "offices in London, New York and Paris")
        if s >= end and s - end <= 8 and fellow and _LIST_GAP_RE.match(text[end:s]):
            return None  # New York and Texas
    return city


def _same_country(place, state) -> bool:
    """A place of the state's country, or one whose country the gazetteer does not give."""
    return place.attrs.get("country") in (None, "", state.attrs.get("country"))


# Nouns of a company's relation to another, right before a name (子会社のX, 傘下のX, 合弁会社X).
_COMPANY_BEFORE_RE = re.compile(r"(?:子会社|傘下|親会社|合弁会社|新会社)の?\s*$")
# What follows a person's name in Japanese news: an honorific or a title (マスク氏, 山田社長, 中田アナリスト).
_PERSON_AFTER_RE = re.compile(r"\s*(?:氏|さん|様|君|会長|社長|副社長|頭取|代表|最高|CEO|ＣＥＯ|CFO|CTO|COO|アナリスト|"
                              r"首相|大統領|知事|議長|長官|大臣|相|委員長|理事長|所長|部長|教授|記者|創業者|董事長)")


# The last word of a katakana name that says it is a company, never a family name (ミナト・キャピタル, X・エナジー).
_KATAKANA_COMPANY_TAIL = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}・(?:[\u30a1-\u30fa\u30fc]+・)?(?:キャピタル|ホールディングス|"
                                    r"テクノロジーズ|システムズ|エナジー|パートナーズ|インダストリーズ|ネットワークス|"
                                    r"マテリアルズ|インベストメンツ|ベンチャーズ|ソリューションズ|セミコンダクター|"
                                    r"ロボティクス|エレクトロニクス)")
# A one-kanji country before a name with no の (米X, 英X) says a company or a place, not a person, unless a
# title or 政権 follows (米トランプ政権).
_COUNTRY_KANJI_BEFORE = re.compile(r"(?<![\u4e00-\u9fff])[米英独仏韓台豪]$")


def _katakana_company(text: str, start: int, end: int) -> bool:
    """Whether a katakana span the tagger calls a person is a company: its last word is a kind of company, or it
    is a two-word katakana name right after a country's one-kanji prefix with no title after it."""
    name = text[start:end]
    if _KATAKANA_COMPANY_TAIL.fullmatch(name):
        return True
    return bool(re.fullmatch(r"[\u30a1-\u30fa\u30fc]{2,}・[\u30a1-\u30fa\u30fc]{2,}", name)) \
        and bool(_COUNTRY_KANJI_BEFORE.search(text, max(0, start - 2), start)) \
        and not _PERSON_AFTER_RE.match(text, end) and not text.startswith(("政権", "陣営", "前", "元"), end)


def _surname_led(doc: Doc, text: str, start: int, end: int) -> bool:
    """A person span written family name, one space, given name, whose first token the dictionary tags as a
    surname (名詞-固有名詞-人名-姓): 山岸 学, 三浦 恵."""
    if text.count(" ", start, end) + text.count("\u3000", start, end) != 1:
        return False
    inside = [t for t in doc if start <= t.idx < end and not t.is_space]
    return 2 <= len(inside) <= 4 and inside[0].idx == start and inside[0].tag_ == "名詞-固有名詞-人名-姓" \
        and all(t.tag_.startswith("名詞") for t in inside)


def _common_noun_person(doc: Doc, text: str, start: int, end: int) -> bool:
    """Whether a span the tagger calls a person is a common noun (価格競争, ユニマイクロン after 欣興電子): every
    token of it is one SudachiPy knows as a common noun (普通名詞), it has no ・ between given and family name,
    and no honorific or title follows it. A name Sudachi does not know is written with 氏 or a title."""
    if "・" in text[start:end] or "=" in text[start:end] or _PERSON_AFTER_RE.match(text, end):
        return False
    toks = [t for t in doc if t.idx < end and start < t.idx + len(t.text)]
    return bool(toks) and all(t.tag_.startswith("名詞-普通名詞") for t in toks)



def _readings_as_name(text: str, spans: list[Span_]) -> list[Span_]:
    """A katakana reading in brackets right after a name (Grok（グロック）, Azure（アジュール）) names the same
    entity as the name, even where the reading alone would name another (グロック is also Groq)."""
    out = list(spans)
    for i in range(1, len(out)):
        name, reading = out[i - 1], out[i]
        if (name.entity_id and reading.start == name.end + 1 and text[name.end:name.end + 1] in ("（", "(")
                and text[reading.end:reading.end + 1] in ("）", ")")
                and _READING_RE.fullmatch(text, reading.start, reading.end)):
            out[i] = Span_(reading.start, reading.end, name.label, name.type, name.source, name.entity_id)
    return out


# A ticker glued to a name (東邦電材<7998.T>, Kestrel (KSTL.O)) is cut off: it names the listing, not the company.
_TRAILING_TICKER_RE = re.compile(rf"[\s（(<]*{TICKER}[>）)]*\Z")
_TICKER_AFTER_RE = re.compile(rf"[\s]*[（(<]{TICKER}[>）)]")
_SEAT_AFTER_RE = re.compile(r"[（(](?:本社[：:]\s*)?(?:米|英|独|仏|中|韓|台湾)?[\u4e00-\u9fff\u30a1-\u30fa]{1,8}"
                            r"(?:・[\u4e00-\u9fff\u30a1-\u30fa]{1,8}|都[\u4e00-\u9fff]{1,4}区|[市県州府][\u4e00-\u9fff]{0,4}区?)[）)]")
_LEADING_TICKER_RE = re.compile(rf"\A{TICKER}[>）)]*")
# A figure with its unit inside a span (AMD6ギガワット, エヌビディア１０００億ドル) is the start of an amount, not
# part of the name.
_FIGURE_IN_NAME_RE = re.compile(r"\s*[0-9０-９][0-9０-９.,．，]*\s*(?:ギガワット|メガワット|キロワット|億|兆|万|千|ドル|円|%|％"
                                r"|GW|MW|kW|billion|million|trillion)")
# Kanji words joined by の ending in a one-kanji noun (金融の話, 市場の声) are phrases, never names.
_PHRASE_RE = re.compile(r"[\u4e00-\u9fff]{1,6}の[\u4e00-\u9fff]")
# An honorific after a name (日東紡さん, 味の素様): the name is what comes before it.
_HONORIFIC_RE = re.compile(r"(?:さん|様|さま)$")
# 旧 (former) before a name: 旧ツイッター is Twitter.
_FORMER_RE = re.compile(r"旧")


@functools.lru_cache(maxsize=None)
def _state_named(name: str):
    """The gazetteer's state of this English name (even one ambiguous alone, as Washington is)."""
    return next((e for e in Gazetteer.load().entries() if e.type == "state" and name in (e.name, *e.aliases)), None)


_CITY_AFTER_RE = re.compile(r" City\b")
# "Iowa Economic Development Authority", "Ohio Department of Development", "Texas Enterprise Fund": a state's public
# body is one name (found by kb.entities.en_names), not the state followed by other words.
_BODY_AFTER_RE = re.compile(r"(?:\s+(?!(?:Gov|Governor|Lt|Mayor|Sen|Senator|Rep)\b)[A-Z][a-z]+){0,3}\s+"
                            r"(?:Authority|Commission|Department|Agency|Board|Fund|Administration)\b")
_OFFICER_AFTER_RE = re.compile(r"(?:取締役|執行役員|代表)?(?:CEO|CFO|COO|CTO|CIO|社長|会長|副社長|専務|常務)$")
_SHORT_LINE = 40  # characters: shorter lines are list lines or headers, not a wrapped paragraph's


def _tidy(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in "「『（(\"'“#*>-―—–"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in "」』）)\"'”、。,."):
            end -= 1
        span = text[start:end]
        if "\n" in span:
            # Names listed one per short line (a press release's header, 会社概要) are separate names; a
            # name wrapped across the lines of a long hard-wrapped paragraph is one.
            line_start = text.rfind("\n", 0, start) + 1
            if start + span.index("\n") - line_start < _SHORT_LINE:
                end = start + span.index("\n")
                continue
        tail = _TRAILING_TICKER_RE.search(span)
        if tail and tail.start() > 0:
            end = start + tail.start()
        head = _LEADING_TICKER_RE.match(span)
        if head and head.end() < len(span):
            start += head.end()
        figure = _FIGURE_IN_NAME_RE.search(span)
        if figure and figure.start() > 0:
            end = start + figure.start()  # 「AMD6ギガワット」: the name ends where a figure with its unit starts
        if _PHRASE_RE.fullmatch(span):
            return start, start  # 「金融の話」: a noun phrase with a one-kanji head noun, not a name
        honorific = _HONORIFIC_RE.search(span)
        if honorific and honorific.start() >= 2 and span[0] not in "おご":  # not お客さま
            end = start + honorific.start()  # 「日東紡さんから調達」: spoken Japanese names a partner with さん
        if len(span) > 2 and span.endswith("株") and not span.endswith(("株式", "新株", "自社株")):
            end -= 1  # 北浜精機株は: the company's shares, the name is the company's
            continue
        officer = _OFFICER_AFTER_RE.search(span)
        if officer and officer.start() > 0:
            end = start + officer.start()  # 早川CFO, 北浜取締役CTO: the name before the officer's title
            continue
        former = _FORMER_RE.match(span)
        if former and len(span) - former.end() >= 2:
            start += former.end()  # 旧ツイッター (the former Twitter): the name is what follows
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
