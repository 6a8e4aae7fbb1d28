"""Review decisions (kb.store.review): stored by stable ids, re-applied on every ingest, exported/imported, CLI.

The articles are written here; every ingest is a real one (GiNZA and the English pipeline).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.errors import ReviewError
from kb.graph import build_graph
from kb.pipeline.ingest import ingest_paths
from kb.store import open_db
from kb.store import review
from kb.store.export import generate_claims
from kb.store.lookup import find_entity, list_claims

ARTICLES = {
    "b1.md": """---
title: Acme expands
published: 2026-02-01
---
Acme Robotics will invest $50 million in a new factory in Texas, the company said.

Zentro Dynamics signed a contract with Acme Robotics worth $30 million.
""",
    "b2.md": """---
title: Acme short name
published: 2026-02-02
---
AcmeBot will invest $80 million in a plant in Arizona.

Analysts at Nvidia were not surprised.
""",
    "b3.md": """---
title: Zentro short
published: 2026-02-03
---
Zentro Corp will invest $5 million in a new plant in Ohio.
""",
    "b4.md": """---
title: 鴻海の投資
published: 2026-02-04
---
鴻海精密工業は米オハイオ州に約10億円を投資すると発表した。
""",
}


def write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def ingest(db, folder: Path):
    s = ingest_paths(db, [str(folder)])
    assert not s.errors and not s.fatal, s.problems
    return s


def claim_of(db, type_: str, subject: str | None = None, *, raw_subject: str | None = None) -> dict:
    """The claim of a type whose subject is `subject` now (or was `raw_subject` as extracted)."""
    for c in db.query("SELECT * FROM claims WHERE type = ? ORDER BY id", [type_]):
        original = json.loads(c["review_original"]) if c["review_original"] else {}
        if subject is not None and c["subject_id"] == subject:
            return c
        if raw_subject is not None and original.get("subject_id", c["subject_id"]) == raw_subject:
            return c
    raise AssertionError(f"no {type_} claim about {subject or raw_subject}: "
                         f"{list(db.query('SELECT id, type, subject_id, object_id FROM claims'))}")


def provenance_holds(db) -> None:
    texts = {r["id"]: r["text"] for r in db.query("SELECT id, text FROM articles")}
    for e in db.query("SELECT article_id, start, \"end\", quote FROM claim_evidence"):
        assert texts[e["article_id"]][e["start"]:e["end"]] == e["quote"]
    for m in db.query("SELECT article_id, start, \"end\", text FROM mentions"):
        assert texts[m["article_id"]][m["start"]:m["end"]] == m["text"]


@pytest.fixture
def corpus(tmp_path):
    return write_articles(tmp_path / "articles")


def review_everything(db) -> dict[str, str]:
    """The review the survival tests check: a verdict, an amount edit, an alias, a merge, a suppression."""
    contract = claim_of(db, "contract", "company:zentrodynamics")["id"]
    acmebot = claim_of(db, "investment", "company:acmebot")["id"]
    zentro = claim_of(db, "investment", "company:zentro")["id"]
    texas = claim_of(db, "investment", "company:acmerobotics")["id"]
    review.review_claim(db, contract, status="wrong", note="it was a memorandum", reviewer="ana")
    review.review_claim(db, texas, status="correct", reviewer="ana")
    review.review_claim(db, acmebot, amount={"min": 90e6, "max": 90e6, "currency": "USD", "unit": "money"},
                        note="the article was corrected to $90 million", reviewer="ana")
    review.review_entity(db, "company:acmerobotics", "alias", alias="AcmeBot", reviewer="ben")
    review.review_entity(db, "company:zentro", "merge", into="company:zentrodynamics", reviewer="ben")
    review.review_entity(db, "company:nvidia", "suppress", note="not about Nvidia", reviewer="ben")
    return {"contract": contract, "acmebot": acmebot, "zentro": zentro, "texas": texas}


def check_review_holds(db, ids: dict[str, str]) -> None:
    rows = {r["id"]: r for r in db.query("SELECT * FROM claims")}
    # The wrong claim is kept and flagged, and hidden from the default listings, export and graph.
    assert rows[ids["contract"]]["review_status"] == "wrong"
    assert rows[ids["texas"]]["review_status"] == "correct"
    assert ids["contract"] not in {c.id for c in list_claims(db)}
    assert ids["contract"] in {c.id for c in list_claims(db, include_wrong=True)}
    assert [c.id for c in list_claims(db, status="wrong")] == [ids["contract"]]
    exported = {c["id"]: c for c in generate_claims(db)}
    assert ids["contract"] not in exported and exported[ids["texas"]]["status"] == "correct"
    assert {c["id"]: c["status"] for c in generate_claims(db, include_wrong=True)}[ids["contract"]] == "wrong"
    edges = {k for _, _, k in build_graph(db).edges(keys=True)}
    assert ids["contract"] not in edges and ids["texas"] in edges
    assert ids["contract"] in {k for _, _, k in build_graph(db, include_wrong=True).edges(keys=True)}
    # The amount edit shows, the extracted figure is kept.
    acme = rows[ids["acmebot"]]
    assert (acme["amount_min"], acme["amount_max"], acme["currency"]) == (90e6, 90e6, "USD")
    assert "$90 million" in acme["summary"]
    assert next(db.query("SELECT name FROM entities WHERE id = ?", [acme["investment_id"]]))["name"] == acme["summary"]
    original = json.loads(acme["review_original"])
    assert original["amount_min"] == 80e6 and "$80 million" in original["summary"]
    # The alias: AcmeBot is Acme Robotics, in mentions, claims, entity_aliases and name lookups.
    assert acme["subject_id"] == "company:acmerobotics" and original["subject_id"] == "company:acmebot"
    assert not list(db.query("SELECT 1 FROM entities WHERE id = 'company:acmebot'"))
    assert {r["entity_id"] for r in db.query("SELECT entity_id FROM mentions WHERE text = 'AcmeBot'")} == \
        {"company:acmerobotics"}
    assert find_entity(db, "AcmeBot")["id"] == "company:acmerobotics"
    assert "AcmeBot" in json.loads(find_entity(db, "company:acmerobotics")["aliases"])
    # The merge: Zentro is Zentro Dynamics.
    assert rows[ids["zentro"]]["subject_id"] == "company:zentrodynamics"
    assert not list(db.query("SELECT 1 FROM entities WHERE id = 'company:zentro'"))
    assert {r["entity_id"] for r in db.query("SELECT entity_id FROM mentions WHERE text LIKE 'Zentro%' "
                                             "AND text != 'Zentro Dynamics'")} == {"company:zentrodynamics"}
    ent = next(db.query("SELECT mentions, articles FROM entities WHERE id = 'company:zentrodynamics'"))
    assert (ent["mentions"], ent["articles"]) == (2, 2)
    # The suppressed name is no entity and has no mentions.
    assert not list(db.query("SELECT 1 FROM entities WHERE id = 'company:nvidia'"))
    assert not list(db.query("SELECT 1 FROM mentions WHERE text = 'Nvidia'"))
    provenance_holds(db)
    assert not any(d["orphaned"] for d in review.decision_rows(db))


def test_review_survives_reingest_of_the_same_folder(tmp_path, corpus):
    db = open_db(tmp_path / "kb.db")
    ingest(db, corpus)
    ids = review_everything(db)
    check_review_holds(db, ids)
    # Unchanged files: nothing analysed again, nothing lost.
    assert ingest(db, corpus).unchanged == len(ARTICLES)
    check_review_holds(db, ids)
    # Everything analysed again (as after an upgrade of kb's models): the raw extraction comes back and the
    # decisions are applied to it again, article by article.
    db.execute("UPDATE articles SET extraction = NULL")
    s = ingest(db, corpus)
    assert s.refreshed == len(ARTICLES)
    check_review_holds(db, ids)
    # A changed article is replaced; its claims and mentions are written anew and reviewed again.
    path = corpus / "b2.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe plant opens in 2027.\n", encoding="utf-8")
    assert ingest(db, corpus).updated == 1
    check_review_holds(db, ids)
    # Still one decision per act, and applying again changes nothing.
    assert len(review.decisions(db)) == 6
    before = list(db.query("SELECT * FROM claims ORDER BY id"))
    review.apply_review(db)
    assert list(db.query("SELECT * FROM claims ORDER BY id")) == before


def test_a_claim_that_disappears_leaves_its_decision_orphaned(tmp_path, corpus):
    db = open_db(tmp_path / "kb.db")
    ingest(db, corpus)
    zentro = claim_of(db, "investment", "company:zentro")["id"]
    review.review_claim(db, zentro, status="correct", note="checked with the filing", reviewer="ana")
    (corpus / "b3.md").write_text(ARTICLES["b3.md"].replace("Zentro Corp will invest $5 million in a new plant in Ohio.",
                                                            "Zentro Corp hired a new chief engineer."), encoding="utf-8")
    ingest(db, corpus)
    assert not list(db.query("SELECT 1 FROM claims WHERE id = ?", [zentro]))
    rows = review.decision_rows(db)
    assert [(d["target_id"], d["orphaned"]) for d in rows] == [(zentro, True)]
    assert "Zentro" in rows[0]["summary"] and rows[0]["note"] == "checked with the filing"
    assert review.orphaned_claim_verdicts(db) == 1
    # The article changes back: the claim returns with the same id and its verdict applies again.
    (corpus / "b3.md").write_text(ARTICLES["b3.md"], encoding="utf-8")
    ingest(db, corpus)
    assert next(db.query("SELECT review_status FROM claims WHERE id = ?", [zentro]))["review_status"] == "correct"
    assert not review.decision_rows(db)[0]["orphaned"]


def test_split_undoes_a_merge_and_detaches_an_alias(tmp_path, corpus):
    db = open_db(tmp_path / "kb.db")
    ingest(db, corpus)
    zentro = claim_of(db, "investment", "company:zentro")["id"]
    review.review_entity(db, "company:zentro", "merge", into="company:zentrodynamics", reviewer="ben")
    assert next(db.query("SELECT subject_id FROM claims WHERE id = ?", [zentro]))["subject_id"] == \
        "company:zentrodynamics"
    with pytest.raises(ReviewError, match="not merged into this entity"):
        review.review_entity(db, "company:zentrodynamics", "split", merged="company:acmebot")
    review.review_entity(db, "company:zentrodynamics", "split", merged="company:zentro", reviewer="ben")
    row = next(db.query("SELECT subject_id, summary, review_original FROM claims WHERE id = ?", [zentro]))
    assert row["subject_id"] == "company:zentro" and row["summary"].startswith("Zentro —") and not row["review_original"]
    assert next(db.query("SELECT name, mentions FROM entities WHERE id = 'company:zentro'"))["mentions"] == 1
    # Detach a name extraction put on an entity: 鴻海精密工業 (a gazetteer alias of Hon Hai) into its own entity.
    japanese = claim_of(db, "investment", "company:hon-hai")["id"]
    review.review_entity(db, "company:hon-hai", "split", alias="鴻海精密工業", reviewer="ben")
    new = review.split_entity_id("company:hon-hai", "company", "鴻海精密工業")
    assert {r["entity_id"] for r in db.query("SELECT entity_id FROM mentions WHERE text = '鴻海精密工業'")} == {new}
    assert next(db.query("SELECT subject_id FROM claims WHERE id = ?", [japanese]))["subject_id"] == new
    # It holds after everything is analysed again.
    db.execute("UPDATE articles SET extraction = NULL")
    ingest(db, corpus)
    assert next(db.query("SELECT subject_id FROM claims WHERE id = ?", [japanese]))["subject_id"] == new
    assert next(db.query("SELECT subject_id FROM claims WHERE id = ?", [zentro]))["subject_id"] == "company:zentro"
    provenance_holds(db)


def test_unsuppress_brings_the_name_back_on_the_next_ingest(tmp_path, corpus):
    db = open_db(tmp_path / "kb.db")
    ingest(db, corpus)
    review.review_entity(db, "company:zentrodynamics", "suppress", reviewer="ben")
    assert not list(db.query("SELECT 1 FROM claims WHERE subject_id = 'company:zentrodynamics'"))
    assert not list(db.query("SELECT 1 FROM entities WHERE id = 'company:zentrodynamics'"))
    db.execute("UPDATE articles SET extraction = NULL")
    ingest(db, corpus)
    assert not list(db.query("SELECT 1 FROM mentions WHERE text = 'Zentro Dynamics'"))
    review.review_entity(db, "company:zentrodynamics", "unsuppress", reviewer="ben")
    ingest(db, corpus)
    assert list(db.query("SELECT 1 FROM claims WHERE subject_id = 'company:zentrodynamics' AND type = 'contract'"))


def test_export_then_import_into_a_fresh_database(tmp_path, corpus):
    db = open_db(tmp_path / "kb.db")
    ingest(db, corpus)
    ids = review_everything(db)
    doc = review.export_review(db)
    assert doc["format"] == "kb-review" and len(doc["decisions"]) == 6
    assert {d["reviewer"] for d in doc["decisions"]} == {"ana", "ben"}
    fresh = open_db(tmp_path / "fresh.db")
    ingest(fresh, corpus)  # a new knowledge base from the same articles: the same claim ids
    assert review.import_review(fresh, json.loads(json.dumps(doc))) == {"added": 6, "skipped": 0}
    check_review_holds(fresh, ids)
    assert review.import_review(fresh, doc) == {"added": 0, "skipped": 6}
    # Imported before the articles: the decisions wait (orphaned) and apply as the articles arrive.
    empty = open_db(tmp_path / "empty.db")
    review.import_review(empty, doc)
    assert all(d["orphaned"] for d in review.decision_rows(empty) if d["action"] != "suppress")
    ingest(empty, corpus)
    check_review_holds(empty, ids)


def test_bad_decisions_and_files_are_refused_with_what_to_do(tmp_path, corpus):
    db = open_db(tmp_path / "kb.db")
    ingest(db, corpus)
    cid = claim_of(db, "contract", "company:zentrodynamics")["id"]
    with pytest.raises(ReviewError, match="no such claim"):
        review.review_claim(db, "0000000000000000", status="wrong")
    with pytest.raises(ReviewError, match="unknown status"):
        review.review_claim(db, cid, status="maybe")
    with pytest.raises(ReviewError, match="no entity with id 'company:nobody'"):
        review.review_claim(db, cid, subject_id="company:nobody")
    with pytest.raises(ReviewError, match="not a number"):
        review.review_claim(db, cid, amount={"min": "lots"})
    with pytest.raises(ReviewError, match="no such entity"):
        review.review_entity(db, "company:nobody", "merge", into="company:nvidia")
    with pytest.raises(ReviewError, match="cannot merge into"):
        review.review_entity(db, "company:zentro", "merge", into="company:zentro")
    with pytest.raises(ReviewError, match="review.json: not a kb review export"):
        review.import_review(db, {"decisions": []}, source="review.json")
    with pytest.raises(ReviewError, match="decision 0 is malformed"):
        review.import_review(db, {"format": "kb-review", "version": 1, "decisions": [{"target": "claim"}]},
                             source="review.json")
    assert review.decisions(db) == []


def test_roles_edit_and_clearing(tmp_path, corpus):
    db = open_db(tmp_path / "kb.db")
    ingest(db, corpus)
    cid = claim_of(db, "contract", "company:zentrodynamics")["id"]
    review.review_claim(db, cid, subject_id="company:acmerobotics", object_id="company:zentrodynamics",
                        reviewer="ana", note="roles were swapped")
    row = next(db.query("SELECT * FROM claims WHERE id = ?", [cid]))
    assert (row["subject_id"], row["object_id"]) == ("company:acmerobotics", "company:zentrodynamics")
    assert row["summary"].startswith("Acme Robotics — contract with Zentro Dynamics")
    assert json.loads(row["review_original"])["subject_id"] == "company:zentrodynamics"
    review.review_claim(db, cid, status="wrong", reviewer="ana")
    review.review_claim(db, cid, clear_status=True, reviewer="ana")
    assert next(db.query("SELECT review_status FROM claims WHERE id = ?", [cid]))["review_status"] is None
    rows = review.decision_rows(db)
    assert [d["current"] for d in rows if d["action"] == "status"] == [True, False]
    # Clearing an amount edit brings back the extracted figure, in the claim and its investment node.
    inv = claim_of(db, "investment", "company:acmebot")
    review.review_claim(db, inv["id"], amount={"min": "90000000", "max": "", "currency": "usd"}, reviewer="ana")
    edited = next(db.query("SELECT * FROM claims WHERE id = ?", [inv["id"]]))
    assert (edited["amount_min"], edited["amount_max"], edited["currency"], edited["unit"]) == (9e7, None, "USD", "money")
    review.review_claim(db, inv["id"], amount={}, reviewer="ana")
    back = next(db.query("SELECT * FROM claims WHERE id = ?", [inv["id"]]))
    assert (back["amount_min"], back["summary"], back["review_original"]) == (8e7, inv["summary"], None)
    assert next(db.query("SELECT name FROM entities WHERE id = ?", [inv["investment_id"]]))["name"] == inv["summary"]


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def test_cli_review_list_export_import_and_eval(tmp_path, corpus):
    db_path = tmp_path / "kb.db"
    assert run("ingest", str(corpus), "--db", str(db_path), "-q").exit_code == 0
    db = open_db(db_path)
    contract = claim_of(db, "contract", "company:zentrodynamics")["id"]
    texas = claim_of(db, "investment", "company:acmerobotics")["id"]
    db.close()
    r = run("review", "claim", contract, "--wrong", "--note", "a memorandum", "--reviewer", "ana", "--db", str(db_path))
    assert r.exit_code == 0 and "by ana" in r.output
    assert run("review", "claim", texas, "--correct", "--db", str(db_path)).exit_code == 0
    r = run("review", "claim", "0000000000000000", "--wrong", "--db", str(db_path))
    assert r.exit_code != 0 and "claim 0000000000000000: no such claim" in r.output
    r = run("review", "entity", "company:zentro", "--merge-into", "company:zentrodynamics", "--db", str(db_path))
    assert r.exit_code == 0, r.output
    r = run("review", "entity", "company:zentro", "--alias", "x", "--suppress", "--db", str(db_path))
    assert r.exit_code != 0 and "exactly one of" in r.output
    listing = run("review", "list", "--db", str(db_path)).output
    assert "claim marked wrong: Zentro Dynamics — contract with Acme Robotics" in listing and "a memorandum" in listing
    assert "Zentro merged into Zentro Dynamics" in listing
    briefing = run("claims", "--db", str(db_path), "--no-quotes").output
    assert "contract with Acme Robotics" not in briefing and "reviewed correct" in briefing
    assert "reviewed WRONG" in run("claims", "--db", str(db_path), "--include-wrong").output
    exported = [json.loads(line) for line in run("export", "claims", "--db", str(db_path)).output.splitlines()]
    assert contract not in {c["id"] for c in exported}
    assert {c["id"]: c["status"] for c in exported}[texas] == "correct"
    report = run("eval", "--reviewed", "--gold", str(tmp_path / "no-gold"), "--db", str(db_path)).output
    assert "Reviewed claims" in report
    line = next(x for x in report.splitlines() if x.startswith("all"))
    assert line.split()[1:] == ["1", "1", "0.500"]
    out = tmp_path / "review.json"
    assert run("review", "export", "-o", str(out), "--db", str(db_path)).exit_code == 0
    fresh = tmp_path / "fresh.db"
    assert run("ingest", str(corpus), "--db", str(fresh), "-q").exit_code == 0
    r = run("review", "import", str(out), "--db", str(fresh))
    assert r.exit_code == 0 and "Imported 3 decisions" in r.output
    again = open_db(fresh)
    assert next(again.query("SELECT review_status FROM claims WHERE id = ?", [contract]))["review_status"] == "wrong"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = run("review", "import", str(bad), "--db", str(fresh))
    assert r.exit_code != 0 and f"{bad}: not JSON" in r.output
    shutil.rmtree(corpus)


def test_a_decision_finds_its_claim_in_a_database_that_read_the_articles_in_another_order(tmp_path):
    # Two reports of one investment ($50 million, $50.5 million: the same figure within 2%) are one tracked
    # claim, whose id is the fingerprint of the report stored first: the order of ingest decides it.
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, name, figure, day in ((first, "x.md", "$50 million", "01"), (second, "y.md", "$50.5 million", "02")):
        folder.mkdir()
        (folder / name).write_text(f"---\ntitle: {name}\npublished: 2026-03-{day}\n---\n"
                                   f"Acme Robotics will invest {figure} in a new factory in Texas.\n", encoding="utf-8")
    one = open_db(tmp_path / "one.db")
    ingest(one, first)
    ingest(one, second)
    claim = claim_of(one, "investment", "company:acmerobotics")
    assert claim["sources"] == 2
    review.review_claim(one, claim["id"], status="wrong", note="a rumour", reviewer="ana")
    other = open_db(tmp_path / "other.db")
    ingest(other, second)
    ingest(other, first)
    moved = claim_of(other, "investment", "company:acmerobotics")
    assert moved["id"] != claim["id"]  # the situation this test is about
    review.import_review(other, review.export_review(one))
    assert next(other.query("SELECT review_status FROM claims WHERE id = ?", [moved["id"]]))["review_status"] == "wrong"
    rows = review.decision_rows(other)
    assert [(d["claim_id"], d["orphaned"]) for d in rows] == [(moved["id"], False)]
    assert review.claim_review(other, moved["id"])["note"] == "a rumour"
    assert review.orphaned_claim_verdicts(other) == 0


def test_undoing_an_alias_brings_back_the_entity_as_it_was_named(tmp_path, corpus):
    db = open_db(tmp_path / "kb.db")
    ingest(db, corpus)
    acmebot = claim_of(db, "investment", "company:acmebot")
    review.review_entity(db, "company:acmerobotics", "alias", alias="AcmeBot", reviewer="ben")
    assert not list(db.query("SELECT 1 FROM entities WHERE id = 'company:acmebot'"))
    review.review_entity(db, "company:acmerobotics", "split", alias="AcmeBot", reviewer="ben")
    assert next(db.query("SELECT name FROM entities WHERE id = 'company:acmebot'"))["name"] == "AcmeBot"
    row = next(db.query("SELECT subject_id, summary FROM claims WHERE id = ?", [acmebot["id"]]))
    assert (row["subject_id"], row["summary"]) == ("company:acmebot", acmebot["summary"])
    assert "AcmeBot" not in json.loads(find_entity(db, "company:acmerobotics")["aliases"])
