"""Tests for kb.amounts: a table of normalized cases, running-text cases and properties."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.amounts import USD_RATES, USD_RATES_DATE, Amount, find_amounts, parse_amount, same_amount


def d(lo, hi, currency=None, unit="money", period=None, approx=False, bound=None) -> dict:
    """Build the expected normalized dict."""
    return {"min": lo, "max": hi, "currency": currency, "unit": unit, "period": period,
            "approximate": approx, "bound": bound}


def usd(lo, hi=..., **kw) -> dict:
    """Expected dict for a USD amount; hi defaults to lo."""
    return d(lo, lo if hi is ... else hi, "USD", **kw)


def pct(lo, hi=..., **kw) -> dict:
    """Expected dict for a percentage; hi defaults to lo."""
    return d(lo, lo if hi is ... else hi, None, "percent", **kw)


PARSE_CASES = [
    # Japanese numerals and scales
    ("1兆4000億ドル", usd(1.4e12)),
    ("1.4兆ドル", usd(1.4e12)),
    ("2兆円", d(2e12, 2e12, "JPY")),
    ("100万円", d(1e6, 1e6, "JPY")),
    ("1億5000万ドル", usd(1.5e8)),
    ("5千億円", d(5e11, 5e11, "JPY")),
    ("三千億円", d(3e11, 3e11, "JPY")),
    ("十五億ドル", usd(1.5e9)),
    ("二十万人", d(2e5, 2e5, None, "count")),
    ("２０億ドル", usd(2e9)),
    ("１兆４０００億ドル", usd(1.4e12)),
    ("1,000億円", d(1e11, 1e11, "JPY")),
    ("3,500万ドル", usd(3.5e7)),
    ("  50億ドル\u3000", usd(5e9)),
    # ranges
    ("20億～30億ドル", usd(2e9, 3e9)),
    ("20億〜30億ドル", usd(2e9, 3e9)),
    ("20億~30億ドル", usd(2e9, 3e9)),
    ("20億-30億ドル", usd(2e9, 3e9)),
    ("20億－30億ドル", usd(2e9, 3e9)),
    ("20億―30億ドル", usd(2e9, 3e9)),
    ("20億ドルから30億ドルまで", usd(2e9, 3e9)),
    ("20億ないし30億ドル", usd(2e9, 3e9)),
    ("20億乃至30億ドル", usd(2e9, 3e9)),
    ("20億?30億ドル", usd(2e9, 3e9)),
    ("20億？30億ドル", usd(2e9, 3e9)),
    ("20～30億ドル", usd(2e9, 3e9)),
    ("2～3千億円", d(2e11, 3e11, "JPY")),
    ("1兆～1兆5000億円", d(1e12, 1.5e12, "JPY")),
    ("$2 billion to $3 billion", usd(2e9, 3e9)),
    ("$2-3 billion", usd(2e9, 3e9)),
    ("$2–3 billion", usd(2e9, 3e9)),
    ("$2B-$3B", usd(2e9, 3e9)),
    ("between $2 billion and $3 billion", usd(2e9, 3e9)),
    ("2 to 3 billion dollars", usd(2e9, 3e9)),
    ("20%～30%", pct(20.0, 30.0)),
    ("10-20%", pct(10.0, 20.0)),
    # bounds and approximation
    ("最大1.4兆ドル", usd(None, 1.4e12, bound="upper")),
    ("最大で5000億ドル", usd(None, 5e11, bound="upper")),
    ("最大約1.4兆ドル", usd(None, 1.4e12, approx=True, bound="upper")),
    ("75%以上", pct(75.0, None, bound="lower")),
    ("約50億ドル", usd(5e9, approx=True)),
    ("およそ50億ドル", usd(5e9, approx=True)),
    ("50億ドル程度", usd(5e9, approx=True)),
    ("50億ドル前後", usd(5e9, approx=True)),
    ("50億ドル近く", usd(5e9, approx=True)),
    ("50億ドル超", usd(5e9, None, bound="lower")),
    ("50億ドルを超える", usd(5e9, None, bound="lower")),
    ("50億ドル未満", usd(None, 5e9, bound="upper")),
    ("少なくとも10億ドル", usd(1e9, None, bound="lower")),
    ("up to $500 billion", usd(None, 5e11, bound="upper")),
    ("more than 100,000 GPUs", d(1e5, None, None, "count", bound="lower")),
    ("nearly $40 billion", usd(4e10, approx=True)),
    ("at least $10 billion", usd(1e10, None, bound="lower")),
    ("$5 billion or more", usd(5e9, None, bound="lower")),
    ("~$5B", usd(5e9, approx=True)),
    ("20億～30億ドル程度", usd(2e9, 3e9, approx=True)),
    # periods
    ("年間20億～30億ドル", usd(2e9, 3e9, period="year")),
    ("年間約20億ドル", usd(2e9, period="year", approx=True)),
    ("毎年10億ドル", usd(1e9, period="year")),
    ("年20億ドル", usd(2e9, period="year")),
    ("$2 billion to $3 billion a year", usd(2e9, 3e9, period="year")),
    ("$5 billion per year", usd(5e9, period="year")),
    ("$5 billion annually", usd(5e9, period="year")),
    ("100億ドル/年", usd(1e10, period="year")),
    ("月額1000円", d(1000.0, 1000.0, "JPY", period="month")),
    ("四半期10億ドル", usd(1e9, period="quarter")),
    ("$1 billion a quarter", usd(1e9, period="quarter")),
    # currencies
    ("50億米ドル", usd(5e9)),
    ("5 billion USD", usd(5e9)),
    ("US$5 billion", usd(5e9)),
    ("USD 5 billion", usd(5e9)),
    ("100億円", d(1e10, 1e10, "JPY")),
    ("¥78.7 trillion", d(7.87e13, 7.87e13, "JPY")),
    ("￥5000億", d(5e11, 5e11, "JPY")),
    ("JPY 100 billion", d(1e11, 1e11, "JPY")),
    ("100億元", d(1e10, 1e10, "CNY")),
    ("100億人民元", d(1e10, 1e10, "CNY")),
    ("RMB 10 billion", d(1e10, 1e10, "CNY")),
    ("10 billion yuan", d(1e10, 1e10, "CNY")),
    ("500億ユーロ", d(5e10, 5e10, "EUR")),
    ("€5bn", d(5e9, 5e9, "EUR")),
    ("100億台湾ドル", d(1e10, 1e10, "TWD")),
    ("NT$10 billion", d(1e10, 1e10, "TWD")),
    ("10兆ウォン", d(1e13, 1e13, "KRW")),
    ("5 trillion won", d(5e12, 5e12, "KRW")),
    ("5億ポンド", d(5e8, 5e8, "GBP")),
    ("£5bn", d(5e9, 5e9, "GBP")),
    ("$40B", usd(4e10)),
    ("$1.4T", usd(1.4e12)),
    ("$500m", usd(5e8)),
    ("$2 mn", usd(2e6)),
    # percent
    ("75%", pct(75.0)),
    ("７５％", pct(75.0)),
    ("75パーセント", pct(75.0)),
    ("3割", pct(30.0)),
    ("三割", pct(30.0)),
    ("75 percent", pct(75.0)),
    ("0.5%", pct(0.5)),
    # counts, power, energy
    ("1万台", d(1e4, 1e4, None, "count")),
    ("一万台", d(1e4, 1e4, None, "count")),
    ("100,000 GPUs", d(1e5, 1e5, None, "count")),
    ("about 10,000 people", d(1e4, 1e4, None, "count", approx=True)),
    ("1 million Nvidia GPUs", d(1e6, 1e6, None, "count")),
    ("1.2GW", d(1.2e9, 1.2e9, None, "power")),
    ("1.2 GW", d(1.2e9, 1.2e9, None, "power")),
    ("500MW", d(5e8, 5e8, None, "power")),
    ("10ギガワット", d(1e10, 1e10, None, "power")),
    ("100万kW", d(1e9, 1e9, None, "power")),
    ("5TWh", d(5e12, 5e12, None, "energy")),
    ("1～2GW", d(1e9, 2e9, None, "power")),
]

NOT_AMOUNTS = [
    "二〇二五", "2025年", "11月22日", "2025-11-22", "20年", "3～5年間", "GPT-5", "03-1234-5678",
    "3つの", "数千億円", "数十億ドル", "十数億ドル", "関東一円", "一人", "二人三脚", "H100", "v1.2",
    "第3四半期", "Llama 3 70B", "in 2025", "2024年から2026年まで",
]

FIND_CASES = [
    ("2025年に100億ドルを投資", [("100億ドル", usd(1e10))]),
    ("2025年100億ドル", [("100億ドル", usd(1e10))]),
    ("3年間で100億ドル", [("100億ドル", usd(1e10))]),
    ("今年10億ドルを投じた", [("10億ドル", usd(1e9))]),
    ("第3四半期に10億ドル", [("10億ドル", usd(1e9))]),
    ("同社は年20億ドルを投じる", [("年20億ドル", usd(2e9, period="year"))]),
    ("10万基のGPUを導入", [("10万基", d(1e5, 1e5, None, "count"))]),
    ("売上高は5.5%増えた", [("5.5%", pct(5.5))]),
    ("前年比5.5%増", [("5.5%", pct(5.5))]),
    ("GPT-5 and $10 billion", [("$10 billion", usd(1e10))]),
    ("$5 billion a year ago", [("$5 billion", usd(5e9))]),
    ("100億ドルから200億ドルに増加", [("100億ドル", usd(1e10)), ("200億ドル", usd(2e10))]),
    ("revenue rose from $2 billion to $3 billion",
     [("$2 billion", usd(2e9)), ("$3 billion", usd(3e9))]),
    ("ソフトバンクは2025年3月期に約1兆円を投じ、最大で5000億ドル（約78兆7000億円）を4年間で投資する。",
     [("約1兆円", d(1e12, 1e12, "JPY", approx=True)),
      ("最大で5000億ドル（約78兆7000億円）", usd(None, 5e11, bound="upper"))]),
    ("Stargate will invest $500 billion over four years, with $100 billion deployed immediately.",
     [("$500 billion", usd(5e11)), ("$100 billion", usd(1e11))]),
    ("OpenAI will buy more than 100,000 GPUs and 1.2GW of power, up 75% from 2024.",
     [("more than 100,000 GPUs", d(1e5, None, None, "count", bound="lower")),
      ("1.2GW", d(1.2e9, 1.2e9, None, "power")), ("75%", pct(75.0))]),
    ("電力は10ギガワット、投資額は年間20億～30億ドル。",
     [("10ギガワット", d(1e10, 1e10, None, "power")), ("年間20億～30億ドル", usd(2e9, 3e9, period="year"))]),
    ("the 2024-30億ドル plan", [("30億ドル", usd(3e9))]),
    # ー (the long-vowel mark) typed as a range dash, with a conversion in half-width parentheses
    ("約40ー60億米ドル(6200ー9300億円)を投じる",
     [("約40ー60億米ドル(6200ー9300億円)", usd(4e9, 6e9, approx=True))]),
    ("サーバー30万台ーそれが", [("30万台", d(3e5, 3e5, None, "count"))]),
    # a soft line wrap inside a paragraph does not cut an amount; a blank line does
    ("年間50億～70億\nドルを投資する", [("年間50億～70億\nドル", usd(5e9, 7e9, period="year"))]),
    ("予算は70億\n\nドル", []),
    ("予算は70億 ドル", [("70億 ドル", usd(7e9))]),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES, ids=[c[0] for c in PARSE_CASES])
def test_parse_amount_table(text, expected):
    amount = parse_amount(text)
    assert amount is not None
    assert amount.to_dict() == expected
    assert amount.text == text.strip()


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_not_amounts(text):
    assert find_amounts(text) == []
    assert parse_amount(text) is None


@pytest.mark.parametrize(("text", "expected"), FIND_CASES, ids=[c[0][:30] for c in FIND_CASES])
def test_find_amounts_table(text, expected):
    found = find_amounts(text)
    assert [(a.text, a.to_dict()) for a in found] == expected
    for a in found:
        assert text[a.start:a.end] == a.text


def test_converted_amount_in_parentheses():
    text = "総額5000億ドル（約78兆7000億円）を投じる"
    (a,) = find_amounts(text)
    assert a.to_dict() == usd(5e11)
    assert a.text == "5000億ドル（約78兆7000億円）"
    (c,) = a.converted
    assert c.to_dict() == d(7.87e13, 7.87e13, "JPY", approx=True)
    assert text[c.start:c.end] == c.text == "約78兆7000億円"


def test_converted_with_rate_note_and_english():
    (a,) = find_amounts("5000億ドル（約78兆7000億円、1ドル=157円換算）")
    assert [c.text for c in a.converted] == ["約78兆7000億円"]
    (b,) = find_amounts("$500 billion (about ¥78.7 trillion)")
    assert b.converted[0].to_dict() == d(7.87e13, 7.87e13, "JPY", approx=True)


def test_parse_amount_rejects_extra_text_and_multiple_amounts():
    assert parse_amount("10万基のGPU") is None
    assert parse_amount("10億ドルと20億ドル") is None
    assert parse_amount("") is None


def test_usd_conversion_uses_fixed_rates():
    assert USD_RATES_DATE == "2025-06-30"
    assert parse_amount("$2 billion to $3 billion").usd() == 2.5e9
    assert parse_amount("最大1.4兆ドル").usd() == 1.4e12
    assert parse_amount("144億円").usd() == pytest.approx(1e8)
    assert parse_amount("75%").usd() is None
    assert parse_amount("100万kW").usd() is None
    assert set(USD_RATES) >= {"USD", "JPY", "CNY", "EUR", "TWD", "KRW", "GBP"}


def test_same_amount_within_rounding():
    assert same_amount(parse_amount("1.4兆ドル"), parse_amount("$1.4 trillion"))
    assert same_amount(parse_amount("1兆4000億ドル"), parse_amount("1.4兆ドル"))
    assert same_amount(parse_amount("5000億ドル"), parse_amount("5100億ドル"))
    assert not same_amount(parse_amount("5000億ドル"), parse_amount("5200億ドル"))
    assert not same_amount(parse_amount("5000億ドル"), parse_amount("5000億円"))
    assert not same_amount(parse_amount("年間20億ドル"), parse_amount("20億ドル"))
    assert same_amount(parse_amount("最大1.4兆ドル"), parse_amount("up to $1.4 trillion"))
    assert not same_amount(parse_amount("最大1.4兆ドル"), parse_amount("1.4兆ドル"))
    assert same_amount(parse_amount("5000億ドル"), parse_amount("5200億ドル"), rel_tol=0.05)


def test_to_dict_is_json_ready():
    import json

    a = parse_amount("年間20億～30億ドル")
    assert json.loads(json.dumps(a.to_dict())) == a.to_dict()
    assert isinstance(a, Amount)


# --- properties -----------------------------------------------------------------------------------
_SCALES = {"万": 4, "億": 8, "兆": 12}
_KD = "〇一二三四五六七八九"


def render_kanji(n: int) -> str:
    """Render n (1 <= n < 10**16) in kanji numerals with 兆/億/万 groups."""
    def small(m: int) -> str:
        out = ""
        for mult, ch in ((1000, "千"), (100, "百"), (10, "十")):
            q, m = divmod(m, mult)
            if q:
                out += ("" if q == 1 else _KD[q]) + ch
        return out + (_KD[m] if m else "")

    parts = []
    for scale, ch in ((10**12, "兆"), (10**8, "億"), (10**4, "万"), (1, "")):
        q, n = divmod(n, scale)
        if q:
            parts.append(small(q) + ch)
    return "".join(parts)


def render_mixed(n: int, commas: bool) -> str:
    """Render n with Arabic groups and 兆/億/万 (1兆4000億)."""
    parts = []
    for scale, ch in ((10**12, "兆"), (10**8, "億"), (10**4, "万"), (1, "")):
        q, n = divmod(n, scale)
        if q:
            parts.append((f"{q:,}" if commas else str(q)) + ch)
    return "".join(parts)


@given(st.integers(1, 99_999), st.sampled_from(sorted(_SCALES)), st.sampled_from(["ドル", "円", "ユーロ", "元"]))
def test_property_japanese_scale_round_trip(n, scale, currency):
    a = parse_amount(f"{n}{scale}{currency}")
    assert a is not None
    assert a.min == a.max == float(n * 10 ** _SCALES[scale])


@given(st.integers(10, 10**16 - 1))
def test_property_kanji_numerals_round_trip(n):
    a = parse_amount(render_kanji(n) + "円")
    assert a is not None, render_kanji(n)
    assert a.min == a.max == float(n)


@given(st.integers(10**4, 10**16 - 1), st.booleans())
def test_property_mixed_numerals_round_trip(n, commas):
    text = render_mixed(n, commas) + "ドル"
    a = parse_amount(text)
    assert a is not None, text
    assert a.min == a.max == float(n)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2),
       st.sampled_from([("billion", 9), ("million", 6), ("trillion", 12), ("bn", 9), ("B", 9)]))
def test_property_english_scale_round_trip(x, scale):
    word, exp = scale
    sep = "" if word in ("bn", "B") else " "
    a = parse_amount(f"${x}{sep}{word}")
    assert a is not None
    assert a.currency == "USD"
    assert a.min == a.max == float(x * Decimal(10) ** exp)


@given(st.integers(1, 9999), st.integers(0, 9999),
       st.sampled_from(["{a}億～{b}億ドル", "{a}～{b}億ドル", "${a}-{b} billion", "${a} billion to ${b} billion",
                        "{a}% to {b}%", "{a}万～{b}万台", "between ${a} billion and ${b} billion"]))
def test_property_ranges_are_ordered(a, extra, template):
    b = a + extra
    amount = parse_amount(template.format(a=a, b=b))
    assert amount is not None
    assert amount.min <= amount.max
    if extra:
        assert amount.min < amount.max


@settings(max_examples=300)
@given(st.text(max_size=40), st.sampled_from([c[0] for c in PARSE_CASES]), st.text(max_size=40))
def test_property_offsets_match_surface_in_random_text(before, expr, after):
    text = f"{before}。{expr.strip()}。{after}"
    found = find_amounts(text)
    last_end = 0
    for a in found:
        assert text[a.start:a.end] == a.text
        assert a.start >= last_end
        last_end = a.end
        for c in a.converted:
            assert text[c.start:c.end] == c.text
    start = len(before) + 1
    match = [a for a in found if a.start == start]
    assert match and match[0].to_dict() == parse_amount(expr).to_dict()


@settings(max_examples=500)
@given(st.text())
def test_property_never_raises_on_arbitrary_text(text):
    assert parse_amount(text) is None or isinstance(parse_amount(text), Amount)
    for a in find_amounts(text):
        assert text[a.start:a.end] == a.text
