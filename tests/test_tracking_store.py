"""Tracked claims across articles in the database: one row per fact, its sources, its figure, its conflicts.

Invented companies, places and sentences; the claims are built by hand so only tracking is under test.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from kb.amounts import parse_amount
from kb.records import Claim, EntityRef
from kb.sources import Article
from kb.store.claims import refresh_claims, save_claims
from kb.store.export import generate_claims

ZEPHYR = EntityRef("company:zephyr-robotics", "Zephyr Robotics", "company")
MARLOW = EntityRef("company:marlow-cloud", "Marlow Cloud", "company")
ADA = EntityRef("person:ada-kestrel", "Ada Kestrel", "person")
AUSTIN = EntityRef("city:US-austin", "Austin", "city")
DALLAS = EntityRef("city:US-dallas", "Dallas", "city")
TEXAS = EntityRef("state:US-TX", "Texas", "state")
ATTRS = {AUSTIN.id: {"admin1": TEXAS.id}, DALLAS.id: {"admin1": TEXAS.id}}


def ingest(db, name: str, claims: list[tuple[str, EntityRef, EntityRef | None, str | None, dict, str]],
           published: str = "2026-03-01", repeat: int = 1, lang: str | None = None) -> None:
    """Store one article whose text is the claims' sentences (each `repeat` times) and track its claims."""
    sentences = [s for *_, s in claims] * repeat
    text = " ".join(sentences)
    art = Article(source_path=f"{name}.md", source_key=f"{name}.md", title=name, text=text, published=published,
                  lang=lang)
    db["articles"].insert({"id": art.id, "source_key": art.source_key, "source_path": art.source_path,
                           "title": name, "text": text, "content_hash": art.content_hash, "published": published})
    db["passages"].insert({"id": f"{art.id}-00000", "article_id": art.id, "idx": 0, "start": 0, "end": len(text),
                           "text": text, "norm_hash": name, "text_hash": name})
    out, pos = [], 0
    for i, sentence in enumerate(sentences):
        type_, subj, obj, amount, details, _ = claims[i % len(claims)]
        for ref in (subj, obj):
            if ref is not None:
                db["entities"].insert({"id": ref.id, "name": ref.name, "type": ref.type,
                                       "attrs": json.dumps(ATTRS.get(ref.id, {}))}, ignore=True)
        polarity = details.pop("_polarity", "affirmed") if "_polarity" in details else "affirmed"
        out.append(Claim(type_, subj, obj, pos, pos + len(sentence), 0, polarity=polarity,
                         amount=parse_amount(amount) if amount else None, details=dict(details)))
        if polarity != "affirmed":
            details["_polarity"] = polarity
        pos += len(sentence) + 1
    refresh_claims(db, save_claims(db, art.id, art, out))


def claims(db, type_=None):
    return list(db.query("SELECT * FROM claims" + (" WHERE type = ?" if type_ else "") + " ORDER BY id",
                         [type_] if type_ else []))


def test_city_and_state_from_two_articles_are_one_claim(db):
    ingest(db, "a1", [("manufacturing", ZEPHYR, AUSTIN, None, {}, "Zephyr builds its robots in Austin.")])
    ingest(db, "a2", [("manufacturing", ZEPHYR, TEXAS, None, {}, "Zephyr makes robots in Texas.")])
    ingest(db, "a3", [("manufacturing", ZEPHYR, DALLAS, None, {}, "Zephyr opened a second plant in Dallas.")])
    rows = claims(db, "manufacturing")
    assert sorted((r["object_id"], r["sources"]) for r in rows) == [(AUSTIN.id, 2), (DALLAS.id, 1)]
    assert all(r["conflicts"] == 0 for r in rows)


def test_a_city_and_its_state_written_out_in_one_passage_are_two_claims(db):
    # "a campus in Austin, Texas": the article states the site's city and its state; neither folds into the other,
    # and other articles' city or state claims join the very same place
    sentence = "Zephyr is building a campus in Austin, Texas."
    ingest(db, "p1", [("investment", ZEPHYR, AUSTIN, None, {}, sentence), ("investment", ZEPHYR, TEXAS, None, {}, sentence)],
           lang="en")
    ingest(db, "p2", [("investment", ZEPHYR, TEXAS, None, {}, "Zephyr keeps investing in Texas.")], lang="en")
    ingest(db, "p3", [("investment", ZEPHYR, AUSTIN, None, {}, "Zephyr's Austin campus is growing.")], lang="en")
    rows = claims(db, "investment")
    assert sorted((r["object_id"], r["sources"]) for r in rows) == [(AUSTIN.id, 2), (TEXAS.id, 2)]


def test_a_japanese_state_and_city_in_one_passage_are_two_claims_as_in_english(db):
    # テキサス州オースティン names the city and its state: the article states both places (kb.tracking.match,
    # `stated`), whatever the language; another article's "Texas" alone still joins the state's claim.
    sentence = "ゼファーはテキサス州オースティンに拠点を建設する。"
    ingest(db, "q1", [("investment", ZEPHYR, AUSTIN, None, {}, sentence), ("investment", ZEPHYR, TEXAS, None, {}, sentence)],
           lang="ja")
    assert sorted(r["object_id"] for r in claims(db, "investment")) == [AUSTIN.id, TEXAS.id]
    ingest(db, "q2", [("investment", ZEPHYR, TEXAS, None, {}, "ゼファーはテキサス州に拠点を建設する。")], lang="ja")
    assert sorted(r["sources"] for r in claims(db, "investment")) == [1, 2]


def test_title_variants_from_three_articles_are_one_role(db):
    ingest(db, "r1", [("role", ADA, ZEPHYR, None, {"title": "CEO"}, "Ada Kestrel, CEO of Zephyr, said.")])
    ingest(db, "r2", [("role", ADA, ZEPHYR, None, {"title": "chairman and CEO"}, "Zephyr chairman and CEO Ada.")])
    ingest(db, "r3", [("role", ADA, ZEPHYR, None, {"title": "社長兼CEO"}, "ゼファーの社長兼CEOのエイダ氏。")])
    ingest(db, "r4", [("role", ADA, ZEPHYR, None, {"title": "CFO"}, "Ada Kestrel was Zephyr's CFO.")])
    rows = claims(db, "role")
    assert sorted(r["sources"] for r in rows) == [1, 3]


def test_sources_count_articles_not_passages(db):
    ingest(db, "s1", [("investment", ZEPHYR, MARLOW, "$5 billion", {}, "Zephyr invests $5 billion in Marlow.")],
           repeat=3)
    ingest(db, "s2", [("investment", ZEPHYR, MARLOW, "50億ドル", {}, "ゼファーがマーロウに50億ドル出資。")])
    (row,) = claims(db)
    assert (row["sources"], row["evidence_count"]) == (2, 4)


def test_notations_are_one_claim_with_the_figure_most_sources_state(db):
    ingest(db, "n1", [("investment", ZEPHYR, MARLOW, "at least $2 billion a year", {},
                       "Zephyr will put at least $2 billion a year into Marlow.")], published="2026-01-01")
    ingest(db, "n2", [("investment", ZEPHYR, MARLOW, "$2 billion to $3 billion a year", {},
                       "Zephyr invests $2 billion to $3 billion a year in Marlow.")], published="2026-01-02")
    ingest(db, "n3", [("investment", ZEPHYR, MARLOW, "年間20億～30億ドル", {}, "ゼファーは年間20億～30億ドルを投資。")],
           published="2026-01-03")
    ingest(db, "n4", [("investment", ZEPHYR, MARLOW, "$2 billion", {}, "Zephyr paid $2 billion once.")])
    rows = claims(db)
    yearly = [r for r in rows if r["period"] == "year"]
    assert len(yearly) == 1 and yearly[0]["sources"] == 3
    assert (yearly[0]["amount_min"], yearly[0]["amount_max"], yearly[0]["bound"]) == (2e9, 3e9, None)
    assert "$2–3 billion a year" in yearly[0]["summary"]
    texts = {r["amount_text"] for r in db.query("SELECT amount_text FROM claim_evidence WHERE claim_id = ?",
                                                [yearly[0]["id"]])}
    assert len(texts) == 3
    # the one-off $2 billion is another fact, and no conflict with the yearly figure
    assert len(rows) == 2 and all(r["conflicts"] == 0 for r in rows)
    exported = {c["id"]: c for c in generate_claims(db)}
    assert exported[yearly[0]["id"]]["amount"]["max"] == 3e9 and exported[yearly[0]["id"]]["sources"] == 3


def test_denial_conflicts_once_with_the_claim_it_denies(db, tmp_path):
    ingest(db, "d1", [("investment", ZEPHYR, MARLOW, "up to $2 billion", {},
                       "Zephyr is investing up to $2 billion in Marlow, people said.")])
    ingest(db, "d2", [("investment", ZEPHYR, MARLOW, None, {"_polarity": "negated"},
                       "Zephyr denied it is investing in Marlow.")])
    rows = list(db.query("SELECT * FROM claim_conflicts"))
    assert len(rows) == 1 and rows[0]["reason"] == "affirmed vs denied (up to $2 billion)"
    assert [r["conflicts"] for r in claims(db)] == [1, 1]
    exported = list(generate_claims(db))
    assert all(len(c["conflicts_with"]) == 1 for c in exported)


def test_objectless_figures_never_conflict(db):
    ingest(db, "o1", [("investment", ZEPHYR, None, "$1.4 trillion", {}, "Zephyr has $1.4 trillion of commitments."),
                      ("investment", ZEPHYR, None, "$500 billion", {}, "Zephyr's $500 billion project."),
                      ("investment", ZEPHYR, None, "$100 billion", {}, "Zephyr's $100 billion investment.")])
    assert len(claims(db)) == 3
    assert not list(db.query("SELECT * FROM claim_conflicts"))


def test_kb_claims_conflicts_shows_each_pair_once(db, db_path):
    from kb.cli import cli

    ingest(db, "c1", [("investment", ZEPHYR, MARLOW, "about $300 billion", {}, "Zephyr: about $300 billion.")])
    ingest(db, "c2", [("investment", ZEPHYR, MARLOW, "about $350 billion", {}, "Zephyr: about $350 billion.")])
    db.conn.commit()
    out = CliRunner().invoke(cli, ["claims", "--db", str(db_path), "--conflicts"]).output
    assert out.count("amounts disagree: about $300 billion vs about $350 billion") == 1, out


def test_claim_page_lists_each_conflict_once(db):
    from kb.store.web import CONFLICTS_SQL

    ingest(db, "p1", [("investment", ZEPHYR, MARLOW, "$30 billion", {}, "Zephyr puts $30 billion into Marlow.")])
    ingest(db, "p2", [("investment", ZEPHYR, MARLOW, "$40 billion", {}, "Zephyr puts $40 billion into Marlow.")])
    for row in claims(db):
        shown = list(db.query(CONFLICTS_SQL, {"id": row["id"]}))
        assert len(shown) == 1 and shown[0]["reason"] == "amounts disagree: $30 billion vs $40 billion"


def test_a_deal_with_and_without_its_figure_is_one_claim_in_either_order(db):
    ingest(db, "f1", [("contract", MARLOW, ZEPHYR, None, {}, "Zephyr will provide Marlow with robots.")])
    ingest(db, "f2", [("contract", MARLOW, ZEPHYR, "$38 billion", {}, "Marlow signed a $38 billion deal with Zephyr.")])
    ingest(db, "f3", [("contract", MARLOW, ZEPHYR, None, {}, "Zephyr supplies Marlow.")])
    (row,) = claims(db, "contract")
    assert (row["sources"], row["amount_min"], row["currency"]) == (3, 38e9, "USD")
    assert "38" in row["summary"]
    # a second, different figure of the same parties is another claim (and a disagreement), and a later
    # figureless mention can no longer tell which deal it is about
    ingest(db, "f4", [("contract", MARLOW, ZEPHYR, "$50 billion", {}, "Marlow signed a $50 billion deal with Zephyr.")])
    ingest(db, "f5", [("contract", MARLOW, ZEPHYR, None, {}, "Marlow buys from Zephyr.")])
    rows = claims(db, "contract")
    assert sorted((r["amount_min"] or 0, r["sources"]) for r in rows) == [(0, 1), (38e9, 3), (50e9, 1)]


def test_a_figureless_mention_joins_its_own_articles_figure(db):
    ingest(db, "g1", [("investment", ZEPHYR, MARLOW, "$40 billion", {}, "Zephyr leads a $40 billion round in Marlow.")])
    ingest(db, "g2", [("investment", ZEPHYR, MARLOW, None, {}, "Zephyr's investment in Marlow is its biggest bet."),
                      ("investment", ZEPHYR, MARLOW, "$30 billion", {}, "Zephyr puts $30 billion into Marlow.")])
    rows = claims(db)
    assert sorted((r["amount_min"], r["evidence_count"]) for r in rows) == [(30e9, 2), (40e9, 1)]


def test_a_township_folds_into_its_state_and_exports_it(db, tmp_path):
    township = EntityRef("place:US-saline-township", "Saline Township", "place")
    michigan = EntityRef("state:US-MI", "Michigan", "state")
    db["entities"].insert({"id": township.id, "name": township.name, "type": "place",
                           "attrs": json.dumps({"admin1": michigan.id, "country": "US"})})
    ingest(db, "p1", [("investment", ZEPHYR, township, None, {}, "Zephyr builds a campus in Saline Township.")])
    ingest(db, "p2", [("investment", ZEPHYR, michigan, None, {}, "Zephyr invests in Michigan.")])
    (row,) = claims(db, "investment")
    assert row["sources"] == 2
    from kb.store.export import generate_entities
    place = next(e for e in generate_entities(db) if e["id"] == township.id)
    assert (place["state"], place["country"]) == (michigan.id, "US")


def test_investment_nodes_are_never_suggested_or_looked_up_as_entities(db):
    from kb.errors import KBError
    from kb.store.lookup import find_entity
    from kb.store.web import suggest_entities

    ingest(db, "i1", [("investment", ZEPHYR, MARLOW, "$5 billion", {}, "Zephyr invests $5 billion in Marlow.")])
    assert db.execute("SELECT count(*) FROM entities WHERE type = 'investment'").fetchone()[0] == 1
    assert {e["type"] for e in suggest_entities(db, "invest")} <= {"company"}
    assert "investment" not in {e["type"] for e in suggest_entities(db, "")}
    try:
        found = find_entity(db, "investment in Marlow")
    except KBError:  # not found, or ambiguous among companies
        found = None
    assert found is None or found["type"] != "investment"


def test_a_contract_told_the_other_way_round_with_the_same_figure_is_the_same_deal(db):
    # "Marlow's contracts with Zephyr total $4 billion" names no buyer; one source's reading took Marlow.
    ingest(db, "c1", [("contract", ZEPHYR, MARLOW, "$4 billion", {}, "Zephyr signed a $4 billion deal with Marlow.")])
    ingest(db, "c2", [("contract", MARLOW, ZEPHYR, "$4 billion", {},
                       "Marlow's contracts with Zephyr total $4 billion.")])
    rows = claims(db, "contract")
    assert len(rows) == 1 and rows[0]["sources"] == 2
    assert (rows[0]["subject_id"], rows[0]["object_id"]) == (ZEPHYR.id, MARLOW.id)  # the first direction stays


def test_contracts_of_two_parties_the_other_way_round_with_other_figures_stay_apart(db):
    ingest(db, "c1", [("contract", ZEPHYR, MARLOW, "$4 billion", {}, "Zephyr signed a $4 billion deal with Marlow.")])
    ingest(db, "c2", [("contract", MARLOW, ZEPHYR, "$9 billion", {}, "Marlow buys $9 billion of Zephyr robots.")])
    assert len(claims(db, "contract")) == 2
