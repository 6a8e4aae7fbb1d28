"""The gazetteer data files are complete and consistent, and find() matches mentions exactly."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import pytest

from kb.entities import normalize_name
from kb.entities.gazetteer import Gazetteer, GazetteerEntry, read_data_list, read_data_rows

GAZ = Gazetteer.load()
STATES = read_data_rows("us_states.csv")
PREFECTURES = read_data_rows("jp_prefectures.csv")
COUNTRIES = read_data_rows("countries.csv")
CITIES = read_data_rows("cities.csv")
COMPANIES = read_data_rows("companies.csv")
PEOPLE = read_data_rows("people.csv")

ID_PREFIX_FOR_TYPE = {"company": "company", "organization": "org", "government": "gov", "project": "project"}

# (type, normalized alias) pairs that two entries of the same type may share, and why.
SHARED_ALIAS_ALLOW_LIST = {
    # "SoftBank Corp." (the telecom's English name) loses "Corp." when normalized and so collides
    # with "SoftBank", which English news uses for SoftBank Group. Gazetteer.lookup compares the
    # unstripped key first, so both still resolve to the right company.
    ("company", "softbank"),
}


def _by_type(type_: str) -> list[GazetteerEntry]:
    return [e for e in GAZ.entries() if e.type == type_]


def test_counts():
    assert len(STATES) == 51
    assert {row["usps"] for row in STATES} >= {"DC", "WI", "TX", "AZ", "OH", "NY"}
    assert len(PREFECTURES) == 47
    assert len(COUNTRIES) >= 80
    assert len(CITIES) >= 80
    assert len([row for row in COMPANIES if row["type"] == "company"]) >= 220
    assert len(PEOPLE) >= 60


def test_ids_unique_across_files():
    ids = [e.id for e in GAZ.entries()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("row", STATES, ids=lambda r: r["id"])
def test_state_rows(row):
    assert row["id"] == f"state:US-{row['usps']}"
    assert re.fullmatch(r"[A-Z]{2}", row["usps"])
    assert re.fullmatch(r"\d{2}", row["fips"])
    assert 18 <= float(row["latitude"]) <= 72
    assert -180 <= float(row["longitude"]) <= -66
    assert re.fullmatch(r"-?\d+\.\d{4}", row["latitude"]) and re.fullmatch(r"-?\d+\.\d{4}", row["longitude"])
    assert row["name_ja"] and row["name_ja_short"]
    if row["usps"] != "DC":
        assert row["name_ja"] == row["name_ja_short"] + "州"


def test_state_codes_unique():
    assert len({r["usps"] for r in STATES}) == 51
    assert len({r["fips"] for r in STATES}) == 51


def test_prefectures_are_the_47():
    assert [r["iso"] for r in PREFECTURES] == [f"JP-{n:02d}" for n in range(1, 48)]
    for row in PREFECTURES:
        assert row["id"] == f"state:{row['iso']}"
        assert row["name_ja"][-1] in "都道府県"
        assert 24 <= float(row["latitude"]) <= 46 and 122 <= float(row["longitude"]) <= 146


def test_countries_and_cities_coordinates():
    for row in COUNTRIES + CITIES:
        assert -90 <= float(row["latitude"]) <= 90, row["id"]
        assert -180 <= float(row["longitude"]) <= 180, row["id"]
    for row in COUNTRIES:
        assert row["id"] == f"country:{row['iso2']}"
        assert re.fullmatch(r"[A-Z]{3}", row["iso3"])


def test_cities_point_to_known_countries_and_states():
    for row in CITIES:
        assert row["id"].startswith(f"city:{row['country']}-"), row["id"]
        assert GAZ.get(f"country:{row['country']}") is not None, row["id"]
        if row["admin1"]:
            assert GAZ.get(row["admin1"]).type == "state", row["id"]


def test_company_rows():
    for row in COMPANIES:
        assert row["type"] in ID_PREFIX_FOR_TYPE, row["id"]
        assert row["id"].split(":")[0] == ID_PREFIX_FOR_TYPE[row["type"]], row["id"]
        assert re.fullmatch(r"[a-z]+:[a-z0-9-]+", row["id"]), row["id"]
        assert row["name"] and row["name_ja"], row["id"]
        if row["country"]:
            assert GAZ.get(f"country:{row['country']}") is not None, row["id"]


def test_people_point_to_organizations():
    for row in PEOPLE:
        org = GAZ.get(row["organization"])
        assert org is not None and org.type in {"company", "organization", "government"}, row["id"]
        assert row["title"] and row["name_ja"], row["id"]


def test_wikidata_ids_well_formed():
    for entry in GAZ.entries():
        assert entry.wikidata is None or re.fullmatch(r"Q[1-9]\d*", entry.wikidata), entry.id
    qids = [e.wikidata for e in GAZ.entries() if e.wikidata]
    assert len(qids) == len(set(qids))


def test_no_alias_shared_within_a_type():
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in GAZ.entries():
        for alias in entry.aliases:
            owners[(entry.type, normalize_name(alias))].add(entry.id)
    shared = {key for key, ids in owners.items() if len(ids) > 1}
    assert shared == SHARED_ALIAS_ALLOW_LIST


def test_no_two_letter_state_codes_or_single_kanji_aliases():
    for entry in GAZ.entries():
        if entry.type == "state":
            assert entry.attrs.get("usps", "") not in entry.aliases, entry.id
        if entry.type == "country":
            assert not any(len(a) == 1 for a in entry.aliases), entry.id


def test_ambiguous_surfaces_are_real_aliases():
    aliases = {unicodedata.normalize("NFKC", a).casefold() for e in GAZ.entries() for a in e.aliases}
    for surface in read_data_list("ambiguous.txt"):
        assert surface.casefold() in aliases, surface
        assert GAZ.lookup(surface) is None


def test_entry_shape():
    entry = GAZ.get("company:hon-hai")
    assert entry.name == "Hon Hai Precision Industry"
    assert entry.type == "company"
    assert {"鴻海", "ホンハイ", "Foxconn", "鴻海精密工業", "富士康"} <= set(entry.aliases)
    assert entry.attrs["ticker"] == "2317.TW"
    assert entry.attrs["country_id"] == "country:TW"
    wi = GAZ.get("state:US-WI")
    assert wi.attrs["usps"] == "WI" and wi.attrs["fips"] == "55" and wi.wikidata == "Q1537"
    assert GAZ.get("nope:nothing") is None
    assert Gazetteer.load() is GAZ


# ----------------------------------------------------------------------------------------------
# find()

FIND_CASES = [
    # (text, [(surface, id), ...])
    ("鴻海精密工業（ホンハイ）は米ウィスコンシン州で生産する",
     [("鴻海精密工業", "company:hon-hai"), ("ホンハイ", "company:hon-hai"), ("ウィスコンシン州", "state:US-WI")]),
    ("ウィスコンシンとWisconsin、wisconsin", [("ウィスコンシン", "state:US-WI"), ("Wisconsin", "state:US-WI"),
                                           ("wisconsin", "state:US-WI")]),
    ("Intelligence and Intel", [("Intel", "company:intel")]),
    ("AMDx, AMD and amd", [("AMD", "company:amd")]),
    ("インテリジェンスとインテル", [("インテル", "company:intel")]),
    ("アームストロング氏とアーム", [("アーム", "company:arm")]),
    ("ロボットアームとアーム・ホールディングス", [("アーム・ホールディングス", "company:arm")]),
    ("米国内の工場", [("米国", "country:US")]),
    ("the US and us, USB", [("US", "country:US")]),
    ("U.S. chips", [("U.S.", "country:US")]),
    ("ＮＶＩＤＩＡの決算", [("ＮＶＩＤＩＡ", "company:nvidia")]),
    ("ｿﾌﾄﾊﾞﾝｸｸﾞﾙｰﾌﾟとｿﾌﾄﾊﾞﾝｸ", [("ｿﾌﾄﾊﾞﾝｸｸﾞﾙｰﾌﾟ", "company:softbank-group"),
                                  ("ｿﾌﾄﾊﾞﾝｸ", "company:softbank-corp")]),
    ("ソフトバンクグループとソフトバンク", [("ソフトバンクグループ", "company:softbank-group"),
                                  ("ソフトバンク", "company:softbank-corp")]),
    ("東京都と東京、京都", [("東京都", "state:JP-13"), ("東京", "state:JP-13"), ("京都", "state:JP-26")]),
    ("TSMCアリゾナとTSMC", [("TSMCアリゾナ", "company:tsmc-arizona"), ("TSMC", "company:tsmc")]),
    ("インドネシアとインド", [("インドネシア", "country:ID"), ("インド", "country:IN")]),
    ("Arm said; an arm and ARM", [("Arm", "company:arm")]),
    ("OpenAI and openai and OPENAI", [("OpenAI", "company:openai"), ("openai", "company:openai"),
                                      ("OPENAI", "company:openai")]),
    ("Washington said, ワシントンで", []),
    ("Washington state and Washington, D.C.", [("Washington state", "state:US-WA"),
                                                ("Washington, D.C.", "state:US-DC")]),
    ("同社長は熊本県菊陽町を訪れた", [("熊本県", "state:JP-43"), ("菊陽町", "city:JP-kikuyo")]),
    ("Mount Pleasant, Wisconsin", [("Mount Pleasant, Wisconsin", "city:US-mount-pleasant")]),
    ("中国電力と中国", [("中国電力", "company:chugoku-electric"), ("中国", "country:CN")]),
    ("サム・アルトマン氏とアルトマン氏", [("サム・アルトマン", "person:sam-altman"),
                                  ("アルトマン", "person:sam-altman")]),
    ("", []),
]


@pytest.mark.parametrize("text,expected", FIND_CASES, ids=[c[0][:20] or "empty" for c in FIND_CASES])
def test_find(text, expected):
    found = GAZ.find(text)
    assert [(text[s:e], entry.id) for s, e, entry in found] == expected
    ends = [e for _, e, _ in found]
    starts = [s for s, _, _ in found]
    assert all(a <= b for a, b in zip(ends, starts[1:]))


def test_find_offsets_point_into_original_text_after_nfkc():
    text = "（株）ＡＢＣと㈱ＸＹＺはＮＶＩＤＩＡ、ﾎﾝﾊｲ、ガ行のｶﾞと鴻海を挙げた"
    found = GAZ.find(text)
    assert [(text[s:e], entry.id) for s, e, entry in found] == [
        ("ＮＶＩＤＩＡ", "company:nvidia"), ("ﾎﾝﾊｲ", "company:hon-hai"), ("鴻海", "company:hon-hai"),
    ]


def test_find_on_long_text_is_consistent():
    unit = "Foxconn said Nvidia and SoftBank will build in Texas. 鴻海はエヌビディアと米国で。"
    text = unit * 30
    found = GAZ.find(text)
    assert len(found) == 7 * 30
    assert all(text[s:e] in GAZ.get(entry.id).aliases for s, e, entry in found)


@pytest.mark.parametrize("surface,never_a_name", [
    ("2317.TW", True), ("<9984.T>", True), ("ORCL.N", True), ("NASDAQ:NVDA", True), ("GPU", True),
    ("Nvidia", False), ("U.S.", False), ("OpenAI", False), ("ホンハイ", False),
])
def test_tickers_and_generic_terms_are_never_names(surface, never_a_name):
    from kb.entities.gazetteer import is_common_term
    assert is_common_term(surface) is never_a_name


@pytest.mark.parametrize("text,names", [
    ("北浜電機（6999.T）と東邦電材（7998.T）は提携した。", ["北浜電機", "東邦電材"]),
    ("東邦電材<7998.T>は新工場を建てる。", ["東邦電材"]),
    ("Kestrel Cloud (KSTL.O) rose 5%.", ["Kestrel Cloud"]),
])
def test_a_ticker_beside_a_name_is_cut_off_and_marks_a_company(text, names):
    from kb.nlp import entity_spans
    spans = [(text[s:e], t) for s, e, t in entity_spans(text)]
    assert spans == [(n, "company") for n in names]
