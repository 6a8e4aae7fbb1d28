"""Post-editing of kb_ner's spans: name endings that decide the entity type, legal forms that belong to the name.

A statistical tagger decides a span's type from its context, and on held-out sentences most of its
company errors are type confusions on names whose ending settles the question: 国際興業 tagged as a
person, 東京モーターショー as a company, 筑波大学 as a place (in the Stockmark annotation, like the
legal entities they are, universities are 法人名). Two sources of endings are used, in this order:

1. A table learned from the training split by `learn_suffix_types`: every 2-4 character ending of a
   gold entity seen at least `min_count` times, with one type in at least `purity` of them
   (大学 → 法人名 83/83, 事件 → イベント名 30/31). Shipped as `suffix_types.json` next to the model.
2. Legal forms (株式会社, 有限会社, Inc., Ltd., ...) anywhere at the edge of a name make it a company;
   a few common Japanese company endings (興業, 石油, カンパニー, ...) turn a person, place or
   product into a company; event and facility endings (事件, 空港, 線, ...) turn a company into an event
   or a facility.

A leading descriptor (米建設大手ベクテル, 米オープンAI, 米子会社AFL) is cut off: the name is what follows.
A span that is only a legal form (株式会社 alone) is dropped: the label becomes "". Finally a company
name directly followed or preceded by a legal form (あずさ監査|法人, 株式会社|X) is
extended over it, as the name is written in registers and in the Stockmark annotation.

Labels here are the Stockmark types (kb_ner's labels); kb maps them to its own types afterwards.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter, defaultdict
from importlib.resources import files
from pathlib import Path
from typing import Iterable

SUFFIX_FILE_NAME = "suffix_types.json"
SUFFIX_LENGTHS = (4, 3, 2)

COMPANY, PERSON, PLACE, PRODUCT, FACILITY, EVENT = "法人名", "人名", "地名", "製品名", "施設名", "イベント名"

_LEGAL = r"(?:株式会社|有限会社|合同会社|合資会社|合名会社|\(株\)|（株）|㈱|監査法人|Inc\.?|Corp\.?|Corporation" \
         r"|Co\.,? ?Ltd\.?|Ltd\.?|LLC|GmbH|PLC|plc)"
_LEGAL_ONLY = re.compile(rf"{_LEGAL}|法人|会社|社")
_LEGAL_EDGE = re.compile(rf"^{_LEGAL}|{_LEGAL}$")
_LEGAL_AFTER = re.compile(r"(?:株式会社|有限会社|合同会社|監査法人|法人|\(株\)|（株）|㈱)")
_LEGAL_BEFORE = re.compile(r"(?:株式会社|有限会社|合同会社|\(株\)|（株）|㈱)$")
_COMPANY_END = re.compile(
    r"(?:ホールディングス|銀行|証券|商事|物産|製作所|工業|電機|電工|重工|化学|製薬|薬品|自動車|汽船|海運|電力|建設"
    r"|興業|産業|商会|製紙|石油|放送|新聞社|出版|食品|製菓|酒造|紡績|鉱業|電鉄|コーポレーション|カンパニー"
    r"|エンタテインメント|エンターテインメント|テクノロジーズ|システムズ|ソリューションズ)$")
_EVENT_END = re.compile(
    r"(?:事件|事故|震災|戦争|紛争|大会|選手権|博覧会|万博|ショー|フェスティバル|レース|サミット|オリンピック|五輪"
    r"|ワールドカップ|グランプリ|ショック|金融危機|通貨危機|バブル崩壊)$")
_FACILITY_END = re.compile(r"(?:空港|駅|本線|線|病院|球場|スタジアム|公園|橋|ダム|トンネル|タワー)$")
# Private think tanks are named X経済研究所 / X総研 (いちよし経済研究所, 大和総研): companies, not facilities.
_THINK_TANK_END = re.compile(r"(?:経済研究所|総研)$")
_NOT_COMPANY = (PERSON, PLACE, PRODUCT)
# News writes a company's country and trade before its name (米建設大手ベクテル, 韓国電子大手X, 米オープンAI);
# the name is what follows (as in the Stockmark annotation, where no name starts with 米 + katakana).
_DESCRIPTOR = re.compile(
    r"(?:[^\s、。「」『』（）()・]{0,8}?大手(?![町門前筋通])(?=[\u30a0-\u30ffA-Za-z\u4e00-\u9fff])"
    r"|[米英独仏中韓台印露豪加伊蘭](?=[\u30a1-\u30fa][\u30a1-\u30fc]|[A-Za-z]{2})"
    r"|[米英独仏中韓台印露豪加伊蘭]?(?:完全|連結|事業)?子会社(?=[\u30a0-\u30ffA-Za-z]))")


def learn_suffix_types(records: Iterable[dict], *, min_count: int = 8, purity: float = 0.9) -> dict[str, str]:
    """Endings of gold entity names (2-4 characters, shorter than the name) that almost always mean one type.

    `records` are Stockmark-format sentences: {"text": ..., "entities": [{"span": [s, e], "type": ...}]}.
    """
    seen: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        for ent in record["entities"]:
            start, end = ent["span"]
            name = record["text"][start:end]
            for k in SUFFIX_LENGTHS:
                if len(name) > k and _is_ending(name, k):
                    seen[name[-k:]][ent["type"]] += 1
    table = {}
    for suffix, counts in seen.items():
        total = sum(counts.values())
        label, top = counts.most_common(1)[0]
        if total >= min_count and top / total >= purity:
            table[suffix] = label
    return dict(sorted(table.items()))


def _is_ending(name: str, k: int) -> bool:
    """Whether the last k characters can be a meaningful ending: not the tail of a Latin word.

    大学 ends 北浜大学 and FC ends 横浜FC, but BM in IBM or HK in NHK says nothing about the type.
    """
    return not (_latin(name[-k]) and _latin(name[-k - 1]))


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


@functools.cache
def shipped_suffix_types() -> dict[str, str]:
    """The table learned when the shipped model was trained (empty if the file is absent)."""
    path = files("kb") / "data" / "models" / "ja_business_ner" / SUFFIX_FILE_NAME
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8"))["suffixes"])


def write_suffix_types(table: dict[str, str], out_dir: Path, *, min_count: int, purity: float,
                       sentences: int) -> None:
    """Write the learned table next to the model, with how it was made."""
    doc = {"source": "Stockmark Wikipedia NER v2.0, training split only (CC-BY-SA 3.0)",
           "sentences": sentences, "min_count": min_count, "purity": purity,
           "lengths": list(SUFFIX_LENGTHS), "suffixes": table}
    (Path(out_dir) / SUFFIX_FILE_NAME).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                                                  encoding="utf-8")


def settle_ending(name: str, label: str) -> str:
    """The last word on a label after kb.entities.span_types: legal forms, event and facility endings.

    リーマンショック or DeepSeekショック is an event whatever the classifier says; X株式会社 is a company.
    """
    if not label:
        return label
    if _LEGAL_EDGE.search(name):
        return COMPANY
    if label in (COMPANY, PRODUCT) and _EVENT_END.search(name):
        return EVENT
    if label == COMPANY and _FACILITY_END.search(name):
        return FACILITY
    if label == FACILITY and _THINK_TANK_END.search(name):
        return COMPANY
    return label


def refine_span(text: str, start: int, end: int, label: str,
                suffixes: dict[str, str] | None = None) -> tuple[int, int, str]:
    """The span and Stockmark label after the ending and legal-form rules (see the module docstring).

    The label is "" when the span should be dropped.
    """
    table = shipped_suffix_types() if suffixes is None else suffixes
    lead = _DESCRIPTOR.match(text, start, end)
    if lead and end - lead.end() >= 2:  # 米建設大手ベクテル, 米オープンAI: the name is what follows
        start = lead.end()
    name = text[start:end]
    if _LEGAL_ONLY.fullmatch(name):
        return start, end, ""  # 「株式会社等の法人組織」: a legal form alone names nothing
    for k in SUFFIX_LENGTHS:
        if len(name) > k and name[-k:] in table and _is_ending(name, k):
            learned = table[name[-k:]]
            if learned != label:
                label = learned
            break
    if _LEGAL_EDGE.search(name):
        label = COMPANY
    elif label in _NOT_COMPANY and _COMPANY_END.search(name):
        label = COMPANY
    elif label in (COMPANY, PRODUCT) and _EVENT_END.search(name):
        label = EVENT
    elif label == COMPANY and _FACILITY_END.search(name):
        label = FACILITY
    elif label == FACILITY and _THINK_TANK_END.search(name):
        label = COMPANY
    if label == COMPANY:
        after = _LEGAL_AFTER.match(text, end)
        if after:
            end = after.end()
        before = _LEGAL_BEFORE.search(text, 0, start)
        if before:
            start = before.start()
    return start, end, label


# One-kanji country abbreviations news writes before a foreign company (米コーニング, 英アーム); a katakana proper
# noun (not a place or a person) right after one, and before a particle, is that company's name.
_COUNTRY_ABBREV = frozenset("米英独仏中韓台印露豪加伊蘭")
_KATAKANA_NAME = re.compile(r"[\u30a1-\u30fa][\u30a1-\u30fc・]{2,}")


def _country_then_name(tokens: list, i: int) -> bool:
    tok = tokens[i]
    if i == 0 or tokens[i - 1].text not in _COUNTRY_ABBREV or tok.tag_ != _PROPER_NOUN \
            or not _KATAKANA_NAME.fullmatch(tok.text) or tokens[i - 1].idx + 1 != tok.idx:
        return False
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    return after is None or after.tag_.startswith(("助詞", "補助記号"))


# A katakana name of words joined by ・ whose last word is a word of business (ハヤテ・データ, ルミナ・フォトニクス,
# ホクセイ・ケミカル・アメリカ): a company, not a person (ジョン・ミラー ends in no such word).
_BUSINESS_WORDS = ("データ", "セラミックス", "ケミカル", "ケミカルズ", "エナジー", "エネルギー", "パワー", "コンピュート",
                   "コンピューティング", "コンピューター", "テクノロジー", "テクノロジーズ", "テック", "ラボ", "ラボズ",
                   "システム", "システムズ", "ネットワーク", "ネットワークス", "クラウド", "インフラ", "マテリアル",
                   "マテリアルズ", "フォトニクス", "セミコンダクター", "エレクトロニクス", "エレクトリック", "デバイス",
                   "デバイセズ", "キャピタル", "パートナーズ", "インダストリーズ", "ホールディングス", "グループ",
                   "ロボティクス", "アメリカ", "ジャパン", "インターナショナル", "ソリューションズ", "サービシズ",
                   "ベンチャーズ", "インベストメンツ", "ファンド", "マニュファクチャリング", "モーターズ", "メディカル",
                   "バイオ", "ファーマ", "ワークス", "デジタル", "サイエンス", "サイエンシズ", "アナリティクス",
                   "ストレージ", "センター", "センターズ", "ファイバー", "オプティクス", "シリコン", "グリッド")
_DOTTED_COMPANY = re.compile(r"(?<![\u30a1-\u30fc・])[\u30a1-\u30fa][\u30a1-\u30fc]+(?:・[\u30a1-\u30fa][\u30a1-\u30fc]+)+"
                             r"(?=\s*(?:[はがとのもをにへでや、「（(）)]|から|まで))")


def dotted_companies(text: str, taken: list[bool]) -> list[tuple[int, int]]:
    """Katakana company names written with ・ and ending in a word of business, not inside a taken span."""
    out = []
    for m in _DOTTED_COMPANY.finditer(text):
        if m.group().rsplit("・", 1)[-1] in _BUSINESS_WORDS and not any(taken[m.start():m.end()]):
            out.append((m.start(), m.end()))
    return out


_LEGAL_TOKENS = frozenset({"株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "㈱"})
_PROPER_NOUN = "名詞-固有名詞-一般"


def missed_companies(doc, taken: list[bool], suffixes: dict[str, str] | None = None) -> list[tuple[int, int]]:
    """Company names the tagger left out, read from SudachiPy's tokens (character spans, not in `taken`).

    - a legal form and the nouns it is written with: 株式会社|サンプル|テック, 三井情報|株式会社;
    - a token SudachiPy's dictionary knows as a proper noun whose ending marks a company:
      豊和工業, TVQ九州放送 (the learned table says 法人名, or a company ending such as 興業);
    - a katakana proper noun right after a one-kanji country and before a particle: 米|コーニング|と.
    `taken[i]` is True for characters already inside an entity span.
    """
    table = shipped_suffix_types() if suffixes is None else suffixes
    tokens = list(doc)
    found: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return end > start and not any(taken[start:end])

    def noun(tok) -> bool:
        return tok.tag_.startswith("名詞") and not tok.tag_.startswith(("名詞-数詞", "名詞-普通名詞-副詞可能")) \
            and not tok.is_punct

    taken = list(taken)
    for start, end in dotted_companies(doc.text, taken):
        found.append((start, end))
        taken[start:end] = [True] * (end - start)
    for i, tok in enumerate(tokens):
        if tok.text in _LEGAL_TOKENS:
            j = i + 1  # 株式会社 + name
            while j < len(tokens) and noun(tokens[j]) and tokens[j].text not in _LEGAL_TOKENS:
                j += 1
            if j > i + 1:
                start, end = tok.idx, tokens[j - 1].idx + len(tokens[j - 1])
                if free(start, end):
                    found.append((start, end))
                    continue
            k = i  # proper-noun name + 株式会社
            while k > 0 and tokens[k - 1].tag_.startswith("名詞-固有名詞") and "人名" not in tokens[k - 1].tag_:
                k -= 1
            if k < i:
                start, end = tokens[k].idx, tok.idx + len(tok)
                if free(start, end):
                    found.append((start, end))
            continue
        if _country_then_name(tokens, i) and free(tok.idx, tok.idx + len(tok)):
            found.append((tok.idx, tok.idx + len(tok)))  # 米コーニングと: a foreign company after its country
            continue
        if tok.tag_ == _PROPER_NOUN and free(tok.idx, tok.idx + len(tok)):
            name = tok.text
            ending = next((name[-k:] for k in SUFFIX_LENGTHS if len(name) > k and name[-k:] in table
                           and _is_ending(name, k)), None)
            if (ending is not None and table[ending] == COMPANY) or (ending is None and _COMPANY_END.search(name)):
                found.append((tok.idx, tok.idx + len(tok)))
    return found
