"""English entities with the statistical pipeline (en_core_web_sm, a dependency): the tagger's names vetted by
kb.entities.en_names, combined with the rules and the gazetteer, and short forms linked across an article.

Every sentence here was written for this test; the companies and people are made up.
"""

from __future__ import annotations

import pytest

from kb import nlp
from kb.entities.en_names import ap_state_at, ner_type


def spans(text: str) -> dict[str, str]:
    return {text[s:e]: t for s, e, t in nlp.entity_spans(text)}


def test_a_statistical_english_pipeline_is_in_use():
    assert nlp.english_model_name() != "blank"
    pipe = nlp.load_pipeline("en")
    assert "ner" in pipe.pipe_names and "parser" in pipe.pipe_names
    assert nlp.pipeline_version("en").startswith("en:core_web_sm")


@pytest.mark.parametrize(("text", "name", "type_"), [
    # names no rule has a cue for: the tagger finds them
    ("Kestrel Cloud Inc. and Brightwave today announced a deal.", "Brightwave", "company"),
    ("The startup is based in Los Gatos and hires in Europe.", "Los Gatos", "place"),
    # a town the gazetteer knows is a city (Menlo Park, California)
    ("The startup is based in Menlo Park and hires in Europe.", "Menlo Park", "city"),
    # the rules' cue wins over the tagger's type (a name ending in Cloud is a company)
    ("Kestrel Cloud, whose stock trades on the NYSE, said revenue rose.", "Kestrel Cloud", "company"),
    # the gazetteer wins over both
    ("Ohio officials met Nortova Systems in Columbus.", "Ohio", "state"),
])
def test_tagger_names_combine_with_rules_and_gazetteer(text, name, type_):
    assert spans(text).get(name) == type_, spans(text)


@pytest.mark.parametrize(("text", "junk"), [
    ("Shares of Nortova Systems (NASDAQ: NRTV) rose 4% in Q3.", "NRTV"),       # a ticker
    ("Kestrel Cloud trades on the exchange under the ticker KSTL.", "KSTL"),  # a ticker
    ("Shares of Nortova Systems (NASDAQ: NRTV) rose 4% in Q3.", "Q3"),         # a quarter
    ("The campus will use the Vantor MX450 accelerator.", "Vantor MX450"),     # a product code
    ("The plant will use Kestrel XR9 chips.", "Kestrel XR9"),
    ("Miss. Halvorsen said she would visit.", "Miss"),                         # an AP abbreviation alone
    ("Nortova Systems once built its business on assembling iPads.", "iPads"),  # a brand written lower-case first
    # a dateline's town in capitals, and the exchange before a listing symbol
    ("LAKEMOOR, Ore., March 3, 2027 -- Nortova Systems today opened a plant.", "LAKEMOOR"),
    ("Nortova Systems (NYSE: NRTV) today opened a plant.", "NYSE"),
    ("Kestrel Cloud will buy SiC power chips and GaN transistors from Nortova Systems.", "GaN"),  # formulas
])
def test_tagger_junk_is_not_an_entity(text, junk):
    assert junk not in spans(text), spans(text)


def test_a_dateline_town_is_never_a_company():
    text = "HALDEN, Norway, May 2 (Nordic Wire) - Nortova Systems opened a plant."
    assert ner_type(text, 0, 6, "company") is None
    assert ner_type(text, 0, 6, "place") == "place"
    later = "Nortova Systems said HALDEN, its unit, May 2 would open."  # not opening a line
    assert ner_type(later, later.index("HALDEN"), later.index("HALDEN") + 6, "company") == "company"


def test_ner_type_vets_single_spans():
    text = "The Orrin Group PBC holds it; Fairhaven AI said so."
    assert ner_type(text, text.index("PBC"), text.index("PBC") + 3, "company") is None   # a legal form alone
    start = text.index("Fairhaven AI")
    assert ner_type(text, start, start + len("Fairhaven AI"), "person") != "person"      # not person-shaped


def test_ap_dateline_abbreviation_is_the_state():
    text = "PORTLAND, Ore. — Kestrel Cloud opened an office."
    start = text.index("Ore")
    assert ap_state_at(text, start, start + 3) == "Oregon"
    assert ap_state_at("They said Ore. was cheap.", 10, 13) is None  # no "City," before it
    found = spans("SEATTLE, Wash. — Kestrel Cloud Inc. and Brightwave today announced a deal.")
    assert found.get("Wash") == "state", found


def _mentions(db) -> set[tuple[str, str]]:
    return {(r["text"], r["entity_id"]) for r in db.query("select text, entity_id from mentions")}


def test_a_surname_the_tagger_calls_an_org_is_the_person(tmp_path, db):
    """The small model tags a lone surname as ORG; the article-level linking makes it the person."""
    from kb.pipeline.ingest import ingest_paths

    article = tmp_path / "veltra.md"
    article.write_text(
        "---\ntitle: Veltra hires\ndate: 2026-04-01\nlang: en\n---\n"
        "Ingrid Halvorsen, chief executive of Veltra, said the company would hire 400 engineers.\n\n"
        "Halvorsen said hiring would start in May.\n", encoding="utf-8")
    ingest_paths(db, [str(article)])
    rows = _mentions(db)
    people = {eid for text, eid in rows if text in {"Ingrid Halvorsen", "Halvorsen"}}
    assert people == {"person:ingridhalvorsen"}, rows
    assert ("Halvorsen", "person:ingridhalvorsen") in rows


def test_a_tagger_full_name_links_its_surname_and_company_short_name(tmp_path, db):
    """Short forms link to full names the tagger found (not only rule-found names)."""
    from kb.pipeline.ingest import ingest_paths

    article = tmp_path / "sollen.md"
    article.write_text(
        "---\ntitle: Sollen\ndate: 2026-04-01\nlang: en\n---\n"
        "Tobias Marsh met Orlen Robotics in Denver on Monday.\n\n"
        "Marsh told Orlen that the order was confirmed.\n", encoding="utf-8")
    ingest_paths(db, [str(article)])
    rows = _mentions(db)
    assert {eid for text, eid in rows if text in {"Tobias Marsh", "Marsh"}} == {"person:tobiasmarsh"}, rows
    assert {eid for text, eid in rows if text in {"Orlen Robotics", "Orlen"}} == {"company:orlenrobotics"}, rows


def test_a_lone_tagger_person_that_shortens_nobody_is_dropped(tmp_path, db):
    from kb.pipeline.ingest import ingest_paths

    article = tmp_path / "chips.md"
    article.write_text(
        "---\ntitle: Chips\ndate: 2026-04-01\nlang: en\n---\n"
        "Demand for Halcyon chips stayed strong, and Brightwave said Meridian would ship in May.\n",
        encoding="utf-8")
    ingest_paths(db, [str(article)])
    assert not [eid for _, eid in _mentions(db) if eid.startswith("person:")]


def test_two_people_with_one_surname_leave_the_surname_alone():
    from kb.entities.en_names import link_article_names
    from kb.records import EntityRef, Mention
    from kb.segment import split_passages

    text = "Anna Voss met Peter Voss in Oslo. Voss said nothing.\n"
    passages = split_passages(text)
    ms = [Mention(0, 9, "Anna Voss", "PERSON", EntityRef("", "", "person"), "ner", 0),
          Mention(14, 24, "Peter Voss", "PERSON", EntityRef("", "", "person"), "ner", 0)]
    out = link_article_names(text, ms, passages)
    assert [m.text for m in out] == ["Anna Voss", "Peter Voss"]


def test_a_first_word_is_the_company_whether_its_legal_form_is_written_or_not():
    # "Halvik Thermal Inc." and "Halvik Thermal" are one company: "Halvik" alone is that company too
    from kb.pipeline.analysis import analyze_article
    from kb.sources import Article

    text = ("Halvik Thermal Inc., a maker of pumps, signed a supply deal with Orvane Labs. Halvik said the deal "
            "runs five years. Founded in 2011, Halvik Thermal employs 900 people.\n")
    got = {m.text: m.entity.name for m in analyze_article(Article("t.md", "t", "t", text, lang="en"), 0).mentions}
    assert got.get("Halvik") == "Halvik Thermal", got
    # two companies sharing the word leave it alone
    text = ("Halvik Thermal Inc. signed a supply deal with Halvik Capital. Halvik said the deal runs five years.\n")
    got = {m.text: m.entity.name for m in analyze_article(Article("t.md", "t", "t", text, lang="en"), 0).mentions}
    assert got.get("Halvik") not in ("Halvik Thermal", "Halvik Capital"), got


def _names_of(text: str) -> dict[str, str]:
    from kb.pipeline.analysis import analyze_article
    from kb.sources import Article
    return {m.text: m.entity.name for m in analyze_article(Article("t.md", "t", "t", text, lang="en"), 0).mentions}


def test_names_with_accented_letters_are_whole_names():
    got = _names_of("Chief Executive Tomás Okonkwo said Halvik Labs would grow. Okonkwo added that the plan held.\n")
    assert got.get("Tomás Okonkwo") == "Tomás Okonkwo", got
    assert got.get("Okonkwo") == "Tomás Okonkwo", got
    assert "Tom" not in got, got


def test_a_one_word_company_first_written_with_a_second_word_is_that_two_word_name():
    from kb.entities.en_names import link_article_names
    from kb.records import EntityRef, Mention
    from kb.segment import split_passages

    def linked(text: str, word: str) -> dict[str, str]:
        passages = split_passages(text)
        ms = [Mention(i, i + len(word), word, "company", EntityRef("", "", "company"), "ner", 0)
              for i in [m.start() for m in __import__("re").finditer(word, text)][1:]]
        return {m.text: m.entity.name for m in link_article_names(text, ms, passages)}

    text = "Velmora Interconnect turned in another quarter. Velmora said revenue rose. Velmora expects more.\n"
    assert linked(text, "Velmora") == {"Velmora Interconnect": "Velmora Interconnect",
                                       "Velmora": "Velmora Interconnect"}
    # the word after the first occurrence is not part of the name: no two-word name
    text = "Velmora said on Monday revenue rose. Velmora expects more.\n"
    assert linked(text, "Velmora") == {"Velmora": ""}
    text = "Velmora Monday trading was calm. Velmora expects more. Velmora grew.\n"
    assert "Velmora Monday" not in linked(text, "Velmora")
