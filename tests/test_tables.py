"""Markdown tables (kb.claims.tables): a row's figures are the statistics of the organization it names.

Companies and figures are invented; mentions come from a small name table so the tests pin the reader down
independent of NER.
"""

from __future__ import annotations

from named_claims import run_named, statistics_of

NAMES = {
    "北浜電機": ("kitahama", "Kitahama Denki", "company"),
    "東邦電材": ("toho", "Toho Denzai", "company"),
    "Halvik Labs": ("halvik", "Halvik Labs", "company"),
    "Orvane Cloud": ("orvane", "Orvane Cloud", "company"),
    "Texas": ("texas", "Texas", "state"),
}


def run(text: str, lang: str):
    return run_named(text, lang, NAMES)


def stats(text: str, lang: str) -> set[tuple]:
    return statistics_of(run(text, lang), text, "metric", "change")


def test_each_row_owns_the_figures_of_its_cells_with_the_header_as_metric():
    text = ("Quarterly spending at the two providers:\n\n"
            "| Company | Q2 capex | YoY |\n|---|---|---|\n"
            "| Halvik Labs | $12.5B | +22% |\n| Orvane Cloud | $3.1B | -4% |\n")
    got = stats(text, "en")
    assert ("halvik", 12.5e9, "Q2 capex", None) in got, got
    assert ("halvik", 22.0, "Q2 capex", "increase") in got, got
    assert ("orvane", 3.1e9, "Q2 capex", None) in got, got
    assert ("orvane", 4.0, "Q2 capex", "decrease") in got, got


def test_a_japanese_results_table():
    text = ("両社の上期業績。\n\n| 社名 | 売上高 | 前年同期比 | 営業利益 |\n|---|---|---|---|\n"
            "| 北浜電機 | 1480億円 | 12%増 | 96億円 |\n| 東邦電材 | 620億円 | ▲3% | 41億円 |\n")
    got = stats(text, "ja")
    assert {("kitahama", 1.48e11, "売上高", None), ("kitahama", 12.0, "売上高", "increase"),
            ("kitahama", 9.6e9, "営業利益", None), ("toho", 6.2e10, "売上高", None),
            ("toho", 3.0, "売上高", "decrease"), ("toho", 4.1e9, "営業利益", None)} <= got, got


def test_rows_naming_no_organization_or_a_place_give_nothing():
    text = ("| Region | Capacity | Share |\n|---|---|---|\n| Texas | 4 GW | 31% |\n| Total | 9 GW | 100% |\n")
    assert not [s for s in stats(text, "en") if s[0] is not None]
