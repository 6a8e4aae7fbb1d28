"""kb.entities.en_names: company and person names in English news without a statistical model.

Every sentence here was written for this test; the names are made up, so only the rules can find them.
"""

from __future__ import annotations

import pytest

from kb.entities.en_names import find_names


def names(text: str, known: list[tuple[int, int]] | None = None) -> dict[str, str]:
    return {text[s:e]: t for s, e, t in find_names(text, known)}


@pytest.mark.parametrize(("text", "name", "type_"), [
    ("Nortova Systems will invest $2 billion in a packaging plant.", "Nortova Systems", "company"),
    ("Brightline Robotics Inc. will supply the arms.", "Brightline Robotics Inc", "company"),
    ("The deal with Kestrel Dynamics closed in May.", "Kestrel Dynamics", "company"),
    ("It signed a contract with Arvelle, a Texas-based startup.", "Arvelle", "company"),
    ("Shares of Veridian rose 4% on Monday.", "Veridian", "company"),
    ("The chief executive of Aldermoor said demand was strong.", "Aldermoor", "company"),
    ("Quorran's chief executive declined to comment.", "Quorran", "company"),
    ("SoftBank holds a stake in Arcturo.", "Arcturo", "company"),
    ("Bank of Lindmark led the round.", "Bank of Lindmark", "company"),
    ("CEO Maria Delgado told reporters the plant would open in 2027.", "Maria Delgado", "person"),
    ("\"We are excited,\" said Tobias Wrenfield, the company's chief operating officer.", "Tobias Wrenfield", "person"),
    ("Orla Pemberton, chief executive of the firm, announced the plan.", "Orla Pemberton", "person"),
    ("Energy Secretary Hal Brenner said the loan was approved.", "Hal Brenner", "person"),
    ("Priya Natarajan joined the board last year.", "Priya Natarajan", "person"),
    ("Chief Financial Officer Jane Roe said margins would improve.", "Jane Roe", "person"),
    ("Sen. Orla Vance of Vermont asked about the plan.", "Orla Vance", "person"),
    ("The Department of Energy approved the loan.", "Department of Energy", "government"),
    ("The Federal Trade Commission opened an inquiry.", "Federal Trade Commission", "government"),
    ("The Semiconductor Industry Association welcomed the rule.", "Semiconductor Industry Association", "organization"),
])
def test_names_and_their_types(text, name, type_):
    assert names(text).get(name) == type_, names(text)


def test_later_short_mentions_take_the_type():
    text = ("Nortova Systems said CEO Maria Delgado would visit Ohio. Delgado said Nortova expected to hire "
            "500 people.")
    found = names(text)
    assert found["Delgado"] == "person"
    assert found["Nortova"] == "company"


def test_a_conjunction_separates_two_names():
    found = names("Zentara Labs and Corvane Networks announced a partnership.")
    assert found == {"Zentara Labs": "company", "Corvane Networks": "company"}


@pytest.mark.parametrize("text", [
    "The plant will open in January, officials said.",
    "In a statement on Tuesday, the company said demand was strong.",
    "It invested in Lordstown last year.",             # an unknown place is not made a company
    "After the vote, Congress adjourned.",              # one word, no cue
    "Korean AI chip startup said it would expand.",     # a nationality and a generic head describe, not name
])
def test_plain_capitalised_words_are_left_alone(text):
    assert find_names(text) == []


def test_a_nationality_before_a_description_is_not_part_of_the_name():
    found = names("Taiwanese AI cloud startup Varnel Compute signed a deal.")
    assert "Taiwanese AI" not in found and found.get("Varnel Compute") == "company"


def test_known_spans_are_skipped():
    text = "Nortova Systems will build a plant in Ohio."
    start = text.index("Nortova Systems")
    assert find_names(text, known=[(start, start + 7)]) == []


def test_offsets_point_at_the_names():
    text = "Under the plan, Corvane Networks and CEO Lena Okafor will expand."
    for start, end, _ in find_names(text):
        assert text[start:end] in {"Corvane Networks", "Lena Okafor"}


def test_entity_spans_use_the_rules_for_english():
    from kb.nlp import entity_spans

    text = "Nortova Systems will invest $2 billion in Ohio, CEO Maria Delgado said on Tuesday."
    found = {text[s:e]: t for s, e, t in entity_spans(text)}
    assert found.get("Nortova Systems") == "company"
    assert found.get("Maria Delgado") == "person"
    assert found.get("Ohio") == "state"


def test_short_forms():
    from kb.entities.en_names import short_forms

    assert short_forms("Maria Delgado", "person") == ["Delgado"]
    assert short_forms("Nortova Systems", "company") == ["Nortova"]
    assert short_forms("Bank of Lindmark", "company") == []       # "Bank of" / "of Lindmark" are not names
    assert short_forms("Nortova", "company") == []


def test_an_article_links_short_names_to_the_full_name(tmp_path, db):
    """Ingest: 'Delgado' and 'Nortova' in later sentences are the same entities as the full names."""
    from kb.pipeline.ingest import ingest_paths

    article = tmp_path / "nortova.md"
    article.write_text(
        "---\ntitle: Nortova picks Ohio\ndate: 2026-04-01\nlang: en\n---\n"
        "Nortova Systems will invest $2 billion in a packaging plant in Ohio, CEO Maria Delgado said on Tuesday.\n\n"
        "Delgado said hiring would start in May. Nortova expects the plant to employ 900 people.\n",
        encoding="utf-8")
    ingest_paths(db, [str(article)])
    rows = {(r["text"], r["entity_id"]) for r in db.query("select text, entity_id from mentions")}
    people = {eid for text, eid in rows if text in {"Maria Delgado", "Delgado"}}
    companies = {eid for text, eid in rows if text in {"Nortova Systems", "Nortova"}}
    assert len(people) == 1 and people.pop().startswith("person:")
    assert len(companies) == 1 and companies.pop().startswith("company:")
    assert {"Delgado", "Nortova"} <= {text for text, _ in rows}
    entity = next(db.query("select aliases from entities where name = 'Maria Delgado'"))
    assert "Delgado" in entity["aliases"]


def test_accented_letters_belong_to_the_name():
    text = "Chief Executive Tomás Ferreira said the Société Générale loan closed."
    names = {text[s:e] for s, e, _ in find_names(text, [])}
    assert "Tomás Ferreira" in names
    assert "Tom" not in names


def test_a_first_word_stands_for_the_full_name_written_with_or_without_its_legal_form():
    from kb.entities.en_names import link_article_names
    from kb.records import EntityRef, Mention
    from kb.segment import Passage

    text = "Halvik Thermal Inc. signed. Halvik Thermal grew. Halvik hired. Orvane Labs and Orvane Capital met."

    def ment(name, nth=0, source="rule"):
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        return Mention(start, start + len(name), name, "company", EntityRef("", name, "company"), source, 0)

    mentions = [ment("Halvik Thermal Inc"), ment("Halvik Thermal", 1), ment("Halvik", 2, "ner"),
                ment("Orvane Labs"), ment("Orvane Capital")]
    out = link_article_names(text, mentions, [Passage(0, 0, len(text), text, 0, "body", text)])
    halvik = [m for m in out if m.text == "Halvik"]
    assert [(m.source, m.entity.name) for m in halvik] == [("alias", "Halvik Thermal Inc")]
    assert not any(m.text == "Orvane" for m in out)  # two companies share the word: left alone


def test_the_leading_words_of_a_longer_company_name_written_alone_are_that_company():
    from kb.entities.en_names import link_article_names
    from kb.records import EntityRef, Mention
    from kb.segment import Passage

    text = "Larch Point Data Partners filed plans. Larch Point signed a lease. Larch Point Bank lent money."
    def ment(name, nth=0, type_="company", source="rule"):
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        return Mention(start, start + len(name), name, type_, EntityRef("", name, type_), source, 0)
    out = link_article_names(text, [ment("Larch Point Data Partners"), ment("Larch Point", 1, "person", "ner")],
                             [Passage(0, 0, len(text), text, 0, "body", text)])
    assert [(m.source, m.entity.name, m.entity.type) for m in out if m.text == "Larch Point"][0] == \
        ("alias", "Larch Point Data Partners", "company")
    # two companies the words could shorten: left alone
    out = link_article_names(text, [ment("Larch Point Data Partners"), ment("Larch Point", 1, "person", "ner"),
                                    ment("Larch Point Bank")], [Passage(0, 0, len(text), text, 0, "body", text)])
    assert [m.source for m in out if m.text == "Larch Point"] == ["ner"]
@pytest.mark.parametrize(("text", "name"), [
    ("Orvane Labs raised $3 billion from investors including Quillworth and Marwick Capital.", "Quillworth"),
    ("Orvane Labs counts backers such as Tessaro, Quillworth and Marwick Capital.", "Quillworth"),
    ("The startup sells to customers like Brenmoor and Orvane Labs.", "Brenmoor"),
])
def test_the_names_of_a_list_of_investors_or_customers_are_companies(text, name):
    assert names(text).get(name) == "company", names(text)


def test_a_list_cue_does_not_make_a_lowercase_word_or_a_time_a_company():
    got = names("Orvane Labs raised money from investors including Monday's new backers.")
    assert "Monday" not in got, got
