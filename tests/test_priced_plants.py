"""A plant's price ("a $14 billion chip plant in X", 約900億円の新工場) is an investment in the places the
sentence's manufacturing claims give it (kb.claims._priced_plants). Invented names; mentions from a table."""

from __future__ import annotations

from named_claims import run_named

NAMES = {
    "Halvik Labs": ("halvik", "Halvik Labs", "company"),
    "Ohio": ("ohio", "Ohio", "state"),
    "北浜電機": ("kitahama", "Kitahama Denki", "company"),
    "山形県": ("yamagata", "Yamagata", "state"),
}


def investments(text: str, lang: str) -> set[tuple]:
    return {(c.subject.id, c.object.id if c.object else None, c.amount.min if c.amount else None, c.modality)
            for c in run_named(text, lang, NAMES) if c.type == "investment"}


def test_the_price_of_a_plant_is_an_investment_where_it_is_built():
    got = investments("Halvik Labs said it will build a $6 billion chip plant in Ohio.", "en")
    assert ("halvik", "ohio", 6e9, "planned") in got, got
    got = investments("北浜電機は山形県に約900億円の新工場を建設する。", "ja")
    assert ("kitahama", "yamagata", 9e10, "asserted") in got, got


def test_a_figure_that_is_not_the_plants_price_is_no_investment():
    # the plant's output, and a plant whose price is not given
    assert not investments("Halvik Labs will build a plant in Ohio that makes $6 billion of chips a year.", "en")
    assert not [x for x in investments("北浜電機は山形県に新工場を建設する。売上高は約900億円を見込む。", "ja")
                if x[2] is not None]
