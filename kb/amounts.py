"""Normalize money, percent, count and power amounts in Japanese and English news text.

`find_amounts` scans running text number by number: each number token is widened into an amount
by looking right for scale words, units, range separators and trailing qualifiers, and left for
currency symbols and leading qualifiers. Parsing works on a copy of the text with full-width forms
folded one-for-one, so every offset is also an offset into the caller's text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from kb.contract import AMOUNT_REL_TOL

__all__ = [
    "Amount",
    "USD_RATES",
    "USD_RATES_DATE",
    "find_amounts",
    "parse_amount",
    "same_amount",
]

# Units of each currency per 1 USD: rounded mid-market reference rates for USD_RATES_DATE. Fixed on
# purpose so conversions are reproducible run to run; good for ranking and comparison, not accounting.
USD_RATES_DATE = "2025-06-30"
USD_RATES: dict[str, float] = {
    "USD": 1.0,
    "JPY": 144.0,
    "CNY": 7.16,
    "EUR": 0.852,
    "GBP": 0.729,
    "TWD": 29.2,
    "KRW": 1350.0,
    "HKD": 7.85,
    "AUD": 1.52,
    "CAD": 1.36,
    "SGD": 1.27,
    "INR": 85.7,
    "CHF": 0.795,
}


@dataclass(frozen=True)
class Amount:
    """A normalized amount: a value or range with unit, currency, period and qualifiers.

    `text`/`start`/`end` span the whole expression, leading and trailing qualifiers and any
    parenthesised conversion included; each `converted` amount carries its own offsets.
    """

    min: float | None
    max: float | None
    currency: str | None
    unit: str
    period: str | None
    approximate: bool
    bound: str | None
    text: str
    start: int
    end: int
    converted: tuple[Amount, ...] = field(default=())

    def to_dict(self) -> dict:
        """Return the JSON-ready normalized fields (no surface text or offsets)."""
        return {
            "min": self.min,
            "max": self.max,
            "currency": self.currency,
            "unit": self.unit,
            "period": self.period,
            "approximate": self.approximate,
            "bound": self.bound,
        }

    def usd(self) -> float | None:
        """Return the value in USD at USD_RATES (midpoint of a range), or None if not convertible."""
        if self.unit != "money" or self.currency not in USD_RATES:
            return None
        if self.min is not None and self.max is not None:
            value = (self.min + self.max) / 2
        else:
            value = self.min if self.min is not None else self.max
        return None if value is None else value / USD_RATES[self.currency]


# --- character folding -------------------------------------------------------------------------
# One code point in, one code point out: offsets in the folded text are offsets in the original.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0xFFE5: ord("¥"), 0xFFE1: ord("£")})
# A lone line break inside a paragraph is a soft wrap (20億～30億⏎ドル is one amount); a blank line is not.
_SOFT_WRAP_RE = re.compile(r"(?<![\n])[ \t]*\n[ \t]*(?![\n])")

# --- numbers -----------------------------------------------------------------------------------
_KANJI_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_MULT = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": Decimal(10) ** 4, "億": Decimal(10) ** 8, "兆": Decimal(10) ** 12}
_EN_SCALES = {
    "thousand": 3, "k": 3, "million": 6, "mn": 6, "mln": 6, "m": 6,
    "billion": 9, "bn": 9, "bln": 9, "b": 9, "trillion": 12, "tn": 12, "t": 12,
}

_SMALL = r"(?:(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?[千百十]?|[〇一二三四五六七八九十百千]+)"
# English number words count only before a scale word or a unit of power or percent ("one million TPUs",
# "two gigawatts", "five percent"); alone they are words ("one of the plants", "two companies").
_WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                      "ninety": 90, "a hundred": 100, "hundred": 100})
_WORD_NUM = r"\b(?i:" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")(?![A-Za-z-])"
_NUM_RE = re.compile(rf"{_SMALL}(?:[兆億万]{_SMALL}?)*|{_WORD_NUM}")
_GROUP_RE = re.compile(rf"({_SMALL})([兆億万]?)")
_EN_SCALE_RE = re.compile(r"[ ]?(?P<s>(?i:thousand|million|billion|trillion|bn|mn|mln|bln|tn))(?![A-Za-z])")
# Bare letters ($40B, $1.4T, $500m) only count as scales after a currency symbol.
_ABBR_RE = re.compile(r"(?P<s>[kKmMbBtT])(?![A-Za-z0-9])")
# A number right after these is vague (数千億), an ordinal (第3), or part of a name/version/date.
_BAD_BEFORE = set("数何幾第._") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

# --- currencies and units -----------------------------------------------------------------------
_SYMBOLS = {"US$": "USD", "NT$": "TWD", "HK$": "HKD", "A$": "AUD", "C$": "CAD", "S$": "SGD", "$": "USD",
            "¥": "JPY", "€": "EUR", "£": "GBP", "₩": "KRW", "₹": "INR"}
_CODES = {"USD": "USD", "JPY": "JPY", "CNY": "CNY", "RMB": "CNY", "EUR": "EUR", "TWD": "TWD", "NTD": "TWD",
          "KRW": "KRW", "GBP": "GBP", "HKD": "HKD", "AUD": "AUD", "CAD": "CAD", "SGD": "SGD", "INR": "INR",
          "CHF": "CHF"}
_JA_CURRENCIES = {
    "新台湾ドル": "TWD", "台湾ドル": "TWD", "台湾元": "TWD", "米ドル": "USD", "香港ドル": "HKD", "豪ドル": "AUD",
    "カナダドル": "CAD", "シンガポールドル": "SGD", "ドル": "USD", "円": "JPY", "人民元": "CNY", "元": "CNY",
    "ユーロ": "EUR", "ウォン": "KRW", "英ポンド": "GBP", "ポンド": "GBP", "ルピー": "INR", "スイスフラン": "CHF",
}
_EN_CURRENCIES = {
    "us dollars": "USD", "u.s. dollars": "USD", "dollars": "USD", "new taiwan dollars": "TWD",
    "taiwan dollars": "TWD", "taiwanese dollars": "TWD", "nt dollars": "TWD", "hong kong dollars": "HKD",
    "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "euros": "EUR", "euro": "EUR", "won": "KRW",
    "pounds sterling": "GBP", "pounds": "GBP", "rupees": "INR",
}
# Words that are also ordinary English ("won", "pounds") need a scale word to be read as money.
_AMBIGUOUS_CURRENCY_WORDS = {"won", "pounds"}
_POWER = {  # surface -> (unit, watts or watt-hours per unit)
    "TWh": ("energy", 12), "GWh": ("energy", 9), "MWh": ("energy", 6), "kWh": ("energy", 3),
    "TW": ("power", 12), "GW": ("power", 9), "MW": ("power", 6), "kW": ("power", 3), "KW": ("power", 3),
    "テラワット時": ("energy", 12), "ギガワット時": ("energy", 9), "メガワット時": ("energy", 6),
    "キロワット時": ("energy", 3), "テラワット": ("power", 12), "ギガワット": ("power", 9),
    "メガワット": ("power", 6), "キロワット": ("power", 3),
    "terawatt-hours": ("energy", 12), "gigawatt-hours": ("energy", 9), "megawatt-hours": ("energy", 6),
    "terawatts": ("power", 12), "gigawatts": ("power", 9), "megawatts": ("power", 6), "kilowatts": ("power", 3),
    "terawatt": ("power", 12), "gigawatt": ("power", 9), "megawatt": ("power", 6), "kilowatt": ("power", 3),
}
_JA_COUNTERS = ("台", "基", "人", "名", "個", "枚", "件", "棟", "社", "拠点", "カ所", "か所", "ヶ所", "ヵ所", "箇所",
                "店舗", "世帯", "カ国", "か国", "ヶ国")
_EN_COUNT_NOUNS = (
    "GPUs?", "TPUs?", "CPUs?", "chips?", "accelerators?", "servers?", "processors?", "racks?", "wafers?",
    "units?", "nodes?", "machines?", "robots?", "vehicles?", "devices?", "people", "employees?", "workers?",
    "jobs?", "engineers?", "users?", "customers?", "homes?", "households?", "data ?cent(?:er|re)s?",
    "facilities", "facility", "sites?", "plants?", "companies", "startups?", "shares",
)


def _alt(words) -> str:
    """Return a regex alternation of literal words, longest first so the longest surface wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_UNIT_RE = re.compile(
    rf"[ ]?(?P<jcur>{_alt(_JA_CURRENCIES)})"
    rf"|[ ]?(?P<pct>%|パーセント|(?i:percent|per cent)(?![A-Za-z]))"
    r"|(?P<wari>割)"
    rf"|[ -]?(?P<power>{_alt(_POWER)})(?![A-Za-z])"
    rf"|(?P<jcount>{_alt(_JA_COUNTERS)})"
    rf"|[ ]?(?P<code>{_alt(_CODES)})(?![A-Za-z])"
    rf"|[ ](?P<ecur>(?i:{_alt(_EN_CURRENCIES)}))(?![A-Za-z])"
    rf"|[ ](?:[A-Z][\w.-]*[ ]){{0,2}}(?P<ecount>(?i:{'|'.join(_EN_COUNT_NOUNS)}))(?![A-Za-z])"
    # "1 million of Google's TPUs", "2 million of its chips" (after a scale word only: "3 of the plants" is not)
    rf"|[ ]of[ ](?:(?:its|their|the|[A-Z][\w.-]*(?:'s|’s)?)[ ]){{1,3}}(?P<ofcount>(?i:{'|'.join(_EN_COUNT_NOUNS)}))"
    r"(?![A-Za-z])"
)
_SYMBOL_ALT = r"(?<![A-Za-z])(?:US|NT|HK|A|C|S)?\$|[¥€£₩₹]"
_CUR_BACK_RE = re.compile(rf"(?P<c>{_SYMBOL_ALT}|(?<![A-Za-z])(?:{_alt(_CODES)})(?= ))[ ]?\Z")
_CUR_FWD_RE = re.compile(rf"(?P<c>{_SYMBOL_ALT}|(?:{_alt(_CODES)})(?= ))[ ]?")
_CUR_LAST = set("$¥€£₩₹ ")

# --- qualifiers ----------------------------------------------------------------------------------
_KANJI_BEFORE = "0-9\u3400-\u9fff々〇"
_PRE_RE = re.compile(
    r"(?:(?P<approx>(?<![契予要節集制規条盟誓公協])約|およそ|おおよそ|凡そ|概ね|おおむね|ほぼ|推定"
    r"|(?<![0-9〇一二三四五六七八九十百千万億兆])~"
    r"|\b(?i:about|approximately|approx\.|around|roughly|nearly|almost|some|circa|an estimated|estimated"
    r"|close to))"
    r"|(?P<upper>最大で?|上限|最高で?|\b(?i:up to|as much as|as many as|at most|no more than|not more than"
    r"|a maximum of|maximum of|less than|fewer than|under|below))"
    r"|(?P<lower>少なくとも|最低でも?|\b(?i:at least|more than|over|upwards of|in excess of|exceeding"
    r"|greater than|no less than|not less than|a minimum of|minimum of|above))"
    # A bare 年/月 after a digit or kanji is a date or word (2025年, 今年, 3カ月), not "per year".
    rf"|(?P<year>毎年|年額|(?<![{_KANJI_BEFORE}])年間?|\b(?i:annual|yearly))"
    rf"|(?P<month>毎月|月額|(?<![{_KANJI_BEFORE}カヶケヵか])月間?|\b(?i:monthly))"
    r"|(?P<quarter>毎四半期|(?<![0-9])四半期(?:ごとに?)?|\b(?i:quarterly))"
    r"|(?P<between>\b(?i:between)))[ ]*\Z"
)
_NOT_AGO = r"(?![ ]+(?:ago|earlier|later|before|after|from|since))"
_POST_RE = re.compile(
    r"(?P<lower>超え|超|を超える|を超え|を上回る|以上|余り|余|[ ]or[ ](?:more|above|higher|greater)(?![A-Za-z])"
    r"|[ -]plus(?![A-Za-z]))"
    r"|(?P<upper>以下|未満|以内|[ ]or[ ](?:less|fewer|below|lower)(?![A-Za-z]))"
    r"|(?P<approx>程度|前後|近く|弱|強|ほど|くらい|ぐらい|規模|[ ]or[ ]so(?![A-Za-z]))"
    rf"|(?P<year>[ ]?/[ ]?(?:年|yr|year)(?![A-Za-z])|,?[ ](?:a|per|each|every)[ ](?:year|yr){_NOT_AGO}(?![A-Za-z])"
    r"|[ ](?:annually|per annum|yearly)(?![A-Za-z]))"
    rf"|(?P<month>[ ]?/[ ]?(?:月|mo|month)(?![A-Za-z])|,?[ ](?:a|per|each|every)[ ]month{_NOT_AGO}(?![A-Za-z])"
    r"|[ ]monthly(?![A-Za-z]))"
    rf"|(?P<quarter>,?[ ](?:a|per|each|every)[ ]quarter{_NOT_AGO}(?![A-Za-z])|[ ]quarterly(?![A-Za-z]))"
)
# `?` is a range dash mangled by an encoding round trip; only trusted with no spaces around it.
_SEP_RE = re.compile(
    r"[ ]*(?P<sym>[~〜\-―‐‑–—−ーｰ]|ないし|乃至|から)[ ]*|(?P<q>\?)(?=[0-9〇一二三四五六七八九十百千$¥€£])"
    r"|[ ]+(?P<word>to|and)[ ]+"
)
# 100億ドルから200億ドルに増加 is a change between two values, not a range.
_CHANGE_RE = re.compile(r"[ ]*[にへ](?:増|拡大|引き上げ|引き下げ|減|縮小|膨ら|伸|上方|下方|急)")
_RISE_FROM_RE = re.compile(
    r"\b(?i:rose|risen|rising|rises|grew|grown|growing|grows|increased?|increasing|jumped|climbed|raised|fell"
    r"|fallen|falling|dropped|declined?|decreased?|cut|up|down|boosted|lifted|expanded)[ ]+from[ ]+\Z"
)
_CONT_RE = re.compile(rf"(?:{_EN_SCALE_RE.pattern})|(?:{_UNIT_RE.pattern})|(?:{_SEP_RE.pattern})")
_UNTIL_RE = re.compile(r"[ ]*まで")
_CONVERTED_TAIL_RE = re.compile(r"[ ]*(?:相当|換算|equivalent)?[ ]*(?:[、,;:].*)?\Z")


@dataclass
class _Value:
    """One number with its scale and unit, before qualifiers and ranges are applied."""

    start: int
    end: int
    num: Decimal
    big: bool  # carries 万/億/兆 or an English scale word
    sub: bool  # an Arabic number carried 千/百/十 (5千億)
    share: tuple[Decimal, Decimal]  # (big, sub) multipliers of the leading group, for 20～30億
    currency: str | None
    unit: str | None
    mult: Decimal
    prefixed: bool  # the currency came from a symbol or code before the number


def _small_value(s: str) -> tuple[Decimal, Decimal]:
    """Return (value, trailing 千/百/十 multiplier) of an Arabic or kanji number without 万/億/兆."""
    if s[0].isdigit():
        sub = Decimal(_KANJI_MULT.get(s[-1], 1))
        digits = s[:-1] if s[-1] in _KANJI_MULT else s
        return Decimal(digits.replace(",", "")) * sub, sub
    if not any(c in _KANJI_MULT for c in s):
        return Decimal("".join(str(_KANJI_DIGIT[c]) for c in s)), Decimal(1)
    total, cur = 0, None
    for c in s:
        if c in _KANJI_DIGIT:
            cur = _KANJI_DIGIT[c] if cur is None else cur * 10 + _KANJI_DIGIT[c]
        else:
            total += (1 if cur is None else cur) * _KANJI_MULT[c]
            cur = None
    return Decimal(total + (cur or 0)), Decimal(1)


def _parse_number(token: str) -> tuple[Decimal, bool, bool, tuple[Decimal, Decimal]]:
    """Return (value, has big scale, has sub multiplier, leading-group multipliers) of a number token."""
    if token.lower() in _WORD_NUMBERS:
        return Decimal(_WORD_NUMBERS[token.lower()]), False, False, (Decimal(1), Decimal(1))
    if token.isascii() and token.isdigit():
        return Decimal(token), False, False, (Decimal(1), Decimal(1))
    total, big, sub, share = Decimal(0), False, False, None
    for g in _GROUP_RE.finditer(token):
        value, sub_mult = _small_value(g.group(1))
        scale = _BIG.get(g.group(2), Decimal(1))
        total += value * scale
        big = big or bool(g.group(2))
        sub = sub or (sub_mult != 1)
        if share is None:
            share = (scale, sub_mult)
    return total, big, sub, share or (Decimal(1), Decimal(1))


def _token_ok(norm: str, p: int) -> bool:
    """Return whether a number starting at p may begin an amount (not a version, date part or vague 数)."""
    if p == 0:
        return True
    prev = norm[p - 1]
    if prev in _BAD_BEFORE:
        return False
    return not (prev in "-/:" and p >= 2 and norm[p - 2].isascii() and norm[p - 2].isalpha())


def _value(norm: str, tm: re.Match, hi: int, currency: str | None, start: int, symbol: bool) -> _Value:
    """Read scale and unit after the number token tm; unit is None when nothing follows."""
    num, big, sub, share = _parse_number(tm.group())
    word = tm.group()[0].isascii() and tm.group()[0].isalpha()
    kanji_only = not tm.group()[0].isdigit() and not word
    pos = tm.end()
    sm = None if big else _EN_SCALE_RE.match(norm, pos, hi)
    if sm is None and symbol and not big:
        sm = _ABBR_RE.match(norm, pos, hi)
    if sm:
        scale = Decimal(10) ** _EN_SCALES[sm.group("s").lower()]
        num, big, share, pos = num * scale, True, (scale, Decimal(1)), sm.end()
    val = _Value(start, pos, num, big, sub, share, currency, "money" if currency else None, Decimal(1),
                 currency is not None)
    um = _UNIT_RE.match(norm, pos, hi)
    if um is None:
        return val
    kind = um.lastgroup
    surface = um.group(kind)
    if kind in ("jcur", "code", "ecur"):
        table = {"jcur": _JA_CURRENCIES, "code": _CODES, "ecur": _EN_CURRENCIES}[kind]
        code = table[surface.lower() if kind == "ecur" else surface]
        if kind == "ecur" and surface.lower() in _AMBIGUOUS_CURRENCY_WORDS and not big:
            return val
        if currency is not None and code != currency:
            return val
        unit, mult = "money", Decimal(1)
    elif currency is not None:
        return val  # "$5 GPUs" is not a thing; keep the symbol's reading
    elif kind == "pct" or kind == "wari":
        unit, mult, code = "percent", Decimal(10 if kind == "wari" else 1), None
    elif kind == "power":
        unit, exp = _POWER[surface]
        mult, code = Decimal(10) ** exp, None
    elif kind == "ofcount" and not big:
        return val
    else:
        unit, mult, code = "count", Decimal(1), None
    if kanji_only and not _kanji_unit_ok(tm.group(), big, unit, kind):
        return val
    if word and not (big or unit in ("power", "percent")):
        return val
    val.unit, val.currency, val.mult, val.end = unit, code, mult, um.end()
    return val


def _kanji_unit_ok(token: str, big: bool, unit: str, kind: str) -> bool:
    """Kanji numerals are words as often as numbers (一人, 関東一円): accept only unambiguous uses."""
    if big or kind == "wari":
        return True
    if unit in ("money", "percent"):
        return len(token) > 1 or token in _KANJI_MULT
    return False


def _second_value(norm: str, first: _Value, hi: int) -> tuple[_Value, str] | None:
    """Return the upper end of a range starting right after first, and its separator."""
    sm = _SEP_RE.match(norm, first.end, hi)
    if sm is None:
        return None
    sep = sm.group("sym") or sm.group("q") or sm.group("word")
    q = sm.end()
    cm = _CUR_FWD_RE.match(norm, q, hi)
    currency = _currency(cm.group("c")) if cm else None
    tm = _NUM_RE.match(norm, cm.end() if cm else q, hi)
    if tm is None:
        return None
    symbol = cm is not None or first.prefixed
    second = _value(norm, tm, hi, currency, q, symbol)
    if currency is None and second.unit is None and first.prefixed:
        second.currency, second.unit = first.currency, first.unit
    return second, sep


def _currency(surface: str) -> str:
    """Map a currency symbol or code to ISO 4217."""
    return _SYMBOLS.get(surface) or _CODES[surface]


def _prefixes(norm: str, start: int, floor: int) -> list[tuple[str, int]]:
    """Return the qualifiers ending at start, nearest first, as (kind, start offset) pairs."""
    found = []
    for _ in range(4):
        pm = _PRE_RE.search(norm, max(floor, start - 24), start)
        if pm is None:
            break
        found.append((pm.lastgroup, pm.start()))
        start = pm.start()
    return found


def _amount_at(norm: str, orig: str, tm: re.Match, floor: int, hi: int) -> Amount | None:
    """Build the amount around number token tm, or None if it is not one."""
    p = tm.start()
    if not _token_ok(norm, p):
        return None
    # Most numbers in prose (dates, ordinals, 一 in words) have nothing after them that could make an
    # amount; rejecting them with one cheap match keeps find_amounts fast on long articles.
    cm = _CUR_BACK_RE.search(norm, max(floor, p - 6), p) if p and norm[p - 1] in _CUR_LAST else None
    if cm is None and not _CONT_RE.match(norm, tm.end(), hi):
        return None
    currency = _currency(cm.group("c")) if cm else None
    first = _value(norm, tm, hi, currency, cm.start() if cm else p, cm is not None)
    lo_val, hi_val, sep = _range(norm, first, floor, hi)
    if hi_val.unit is None:
        return None
    pre = _prefixes(norm, lo_val.start, floor)
    start, end, bound, approx, period = lo_val.start, hi_val.end, None, False, None
    for kind, at in pre:
        if kind == "between" and sep != "and":
            break
        start = at
        bound, approx, period = _apply(kind, bound, approx, period)
    if sep == "から":
        um = _UNTIL_RE.match(norm, end, hi)
        end = um.end() if um else end
    for _ in range(4):
        pm = _POST_RE.match(norm, end, hi)
        if pm is None:
            break
        bound, approx, period = _apply(pm.lastgroup, bound, approx, period)
        end = pm.end()
    converted, end = _converted(norm, orig, end, hi)
    lo_f: float | None = float(lo_val.num * lo_val.mult)
    hi_f: float | None = float(hi_val.num * hi_val.mult)
    if sep is None and bound == "upper":
        lo_f = None
    elif sep is None and bound == "lower":
        hi_f = None
    return Amount(lo_f, hi_f, hi_val.currency, hi_val.unit, period, approx, bound, orig[start:end], start, end,
                  converted)


def _range(norm: str, first: _Value, floor: int, hi: int) -> tuple[_Value, _Value, str | None]:
    """Return (low, high, separator) of a range starting at first, or (first, first, None)."""
    single = (first, first, None)
    rng = _second_value(norm, first, hi)
    if rng is None:
        return single
    second, sep = rng
    lo_num = _range_low(first, second)
    if lo_num is None or second.unit is None:
        return single
    if first.unit is not None and (first.unit, first.currency) != (second.unit, second.currency):
        return single
    if sep == "and" and not any(k == "between" for k, _ in _prefixes(norm, first.start, floor)):
        return single
    if sep == "から" and _CHANGE_RE.match(norm, second.end, hi):
        return single
    if sep == "to" and _RISE_FROM_RE.search(norm, max(floor, first.start - 30), first.start):
        return single
    lo_mult = first.mult if first.unit else second.mult
    if lo_num * lo_mult > second.num * second.mult:
        return single
    low = _Value(first.start, first.end, lo_num, True, first.sub, first.share, second.currency, second.unit,
                 lo_mult, first.prefixed)
    return low, second, sep


def _range_low(first: _Value, second: _Value) -> Decimal | None:
    """Return the low end of first..second with the shared scale applied (20～30億), or None if invalid."""
    if first.big:
        return first.num if second.big else None
    if not second.big:
        return first.num
    big, sub = second.share
    return first.num * big if first.sub else first.num * big * sub


def _apply(kind: str, bound: str | None, approx: bool, period: str | None) -> tuple[str | None, bool, str | None]:
    """Fold one qualifier into (bound, approximate, period); the first bound or period seen wins."""
    if kind == "approx":
        return bound, True, period
    if kind in ("upper", "lower"):
        return bound or kind, approx, period
    if kind in ("year", "month", "quarter"):
        return bound, approx, period or kind
    return bound, approx, period


def _converted(norm: str, orig: str, end: int, hi: int) -> tuple[tuple[Amount, ...], int]:
    """Read a parenthesised conversion right after an amount, e.g. （約78兆7000億円）."""
    i = end + 1 if end < hi and norm[end] == " " else end
    if i >= hi or norm[i] != "(":
        return (), end
    close = norm.find(")", i + 1, min(hi, i + 80))
    if close < 0:
        return (), end
    inner = _scan(norm, orig, i + 1, close)
    if not inner or norm[i + 1:inner[0].start].strip():
        return (), end
    if not _CONVERTED_TAIL_RE.match(norm, inner[0].end, close):
        return (), end
    return (inner[0],), close + 1


def _scan(norm: str, orig: str, lo: int, hi: int) -> list[Amount]:
    """Find amounts in norm[lo:hi], left to right and non-overlapping."""
    found: list[Amount] = []
    floor = lo
    for tm in _NUM_RE.finditer(norm, lo, hi):
        if tm.start() < floor:
            continue
        amount = _amount_at(norm, orig, tm, floor, hi)
        if amount is not None:
            found.append(amount)
            floor = amount.end
    return found


def find_amounts(text: str) -> list[Amount]:
    """Find all amount expressions in running Japanese or English text, with exact offsets."""
    norm = _SOFT_WRAP_RE.sub(lambda m: " " * len(m.group()), text.translate(_FOLD))
    return _scan(norm, text, 0, len(text))


def parse_amount(text: str) -> Amount | None:
    """Parse text that is exactly one amount expression (surrounding whitespace allowed)."""
    found = find_amounts(text)
    if len(found) != 1:
        return None
    a = found[0]
    if a.start != len(text) - len(text.lstrip()) or a.end != len(text.rstrip()):
        return None
    return a


def same_amount(a: Amount, b: Amount, *, rel_tol: float = AMOUNT_REL_TOL) -> bool:
    """Return whether two amounts agree up to rounding: same currency, unit and period, close bounds."""
    if (a.currency, a.unit, a.period) != (b.currency, b.unit, b.period):
        return False
    return _close(a.min, b.min, rel_tol) and _close(a.max, b.max, rel_tol)


def _close(x: float | None, y: float | None, rel_tol: float) -> bool:
    """Compare two optional bounds: both missing, or both present and within rel_tol."""
    if x is None or y is None:
        return x is None and y is None
    return math.isclose(x, y, rel_tol=rel_tol)


# --- rendering: the one place that prints an amount -----------------------------------------
_SHOW_SYMBOLS = {"USD": "$", "JPY": "¥", "EUR": "€", "GBP": "£"}
_SHOW_PERIODS = {"year": "a year", "month": "a month", "quarter": "a quarter", "week": "a week", "day": "a day"}
_SHOW_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_SHOW_POWER = ((1e9, "GW"), (1e6, "MW"), (1e3, "kW"))


class _FigureView:
    """The fields format_amount reads, from a mapping (an exported amount or a claims row)."""

    def __init__(self, m: Mapping):
        def get(key):
            return m.get(key, m.get(f"amount_{key}"))
        self.min, self.max = get("min"), get("max")
        self.currency, self.period, self.bound = m.get("currency"), m.get("period"), m.get("bound")
        unit = m.get("unit")
        self.unit = "money" if unit in (None, "") and self.currency else unit
        self.approximate = bool(m.get("approximate"))
        self.text = m.get("text") or m.get("amount_text") or ""


def _SHOW_num(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def format_amount(amount: Any) -> str:
    """A short human rendering of an amount: `$2–3 billion a year`, `75%+`, `1.2 GW`.

    Takes an `Amount`, or a mapping with its fields: a gold/exported amount (`min`, `max`, `currency`,
    `unit`, `period`, `bound`, `approximate`) or a `claims` row (`amount_min`, `amount_max`, ...). Every
    place that shows an amount (summaries, CLI, web pages, conflict reasons, kb eval) calls this.
    """
    if amount is None:
        return ""
    if isinstance(amount, Mapping):
        amount = _FigureView(amount)
        if amount.min is None and amount.max is None:
            return ""
    lo = amount.min if amount.min is not None else amount.max
    hi = amount.max if amount.max is not None else amount.min
    if lo is None:
        return amount.text
    if amount.unit == "percent":
        text = f"{_SHOW_num(lo)}%" if lo == hi else f"{_SHOW_num(lo)}–{_SHOW_num(hi)}%"
    elif amount.unit == "power":
        div, name = next(((d, n) for d, n in _SHOW_POWER if hi >= d), (1, "W"))
        text = (f"{_SHOW_num(lo / div)}" if lo == hi else f"{_SHOW_num(lo / div)}–{_SHOW_num(hi / div)}") + f" {name}"
    else:
        div, name = next(((d, n) for d, n in _SHOW_SCALES if hi >= d), (1, ""))
        value = _SHOW_num(lo / div) if lo == hi else f"{_SHOW_num(lo / div)}–{_SHOW_num(hi / div)}"
        symbol = _SHOW_SYMBOLS.get(amount.currency or "", "")
        text = f"{symbol}{value}{' ' + name if name else ''}"
        if amount.currency and not symbol:
            text += f" {amount.currency}"
    if amount.bound == "lower":
        text = f"at least {text}"
    elif amount.bound == "upper":
        text = f"up to {text}"
    if amount.approximate:
        text = f"about {text}"
    if amount.period:
        text += f" {_SHOW_PERIODS.get(amount.period, 'per ' + amount.period)}"
    return text
