"""Extraction quality on the bundled samples against tests/gold, with floors that catch regressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.evaluate import GoldFileError, amounts_agree, evaluate, format_report, load_gold

GOLD = Path(__file__).parent / "gold"
SAMPLES = Path(__file__).parent.parent / "data" / "articles"
# Measured on the samples when the gold files were written: micro P 0.756, R 0.545 (entities 0.916/0.950);
# after issue #12 (session 6): P 0.814, R 0.773; session 7: P 0.818, R 0.790; session 8: P 0.807, R 0.802.
FLOORS = {"precision": 0.79, "recall": 0.78, "entity_precision": 0.95, "entity_recall": 0.95}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    from kb.store import open_db
    from kb.pipeline.ingest import ingest_paths

    database = open_db(tmp_path_factory.mktemp("samples") / "kb.db")
    summary = ingest_paths(database, [str(SAMPLES)])
    assert not summary.errors
    yield database
    database.close()


@pytest.fixture(scope="module")
def report(sample_db):
    return evaluate(sample_db, GOLD)


def test_every_sample_has_gold():
    stems = {p.stem for p in SAMPLES.glob("*.md") if p.name != "README.md"}
    assert stems == {p.stem for p in GOLD.glob("*.yaml")}
    assert {Path(g.article).stem for g in load_gold(GOLD)} == stems


def test_scores_do_not_regress(report):
    assert all(a.found for a in report.articles)
    assert report.micro.precision >= FLOORS["precision"], format_report(report)
    assert report.micro.recall >= FLOORS["recall"], format_report(report)
    assert report.entities.precision >= FLOORS["entity_precision"], format_report(report)
    assert report.entities.recall >= FLOORS["entity_recall"], format_report(report)
    assert report.amount_accuracy >= 0.9, format_report(report)


def test_report_table(report):
    text = format_report(report)
    for name in ("investment", "partnership", "manufacturing", "contract", "ownership", "role", "statistic",
                 "micro", "entities"):
        assert name in text
    assert "MISSED" in format_report(report, verbose=True)


def _claims(db, **where):
    sql = " AND ".join(f"{k} = ?" for k in where)
    return list(db.query(f"SELECT * FROM claims WHERE {sql}", list(where.values())))


def test_hon_hai_openai_partnership_is_one_claim_from_many_sources(sample_db):
    rows = _claims(sample_db, type="partnership", subject_id="company:hon-hai", object_id="company:openai",
                   polarity="affirmed")
    assert len(rows) == 1 and rows[0]["sources"] >= 4


def test_racks_made_in_all_five_states(sample_db):
    states = {r["object_id"] for r in _claims(sample_db, type="manufacturing", subject_id="company:hon-hai")}
    assert {"state:US-WI", "state:US-OH", "state:US-TX", "state:US-VA", "state:US-IN"} <= states


def test_foxconn_spending_plan_gathers_notations(sample_db):
    rows = [r for r in _claims(sample_db, type="investment", subject_id="company:hon-hai", period="year")
            if r["amount_min"] == 2e9 and r["amount_max"] == 3e9]
    best = max(rows, key=lambda r: r["sources"])
    # 年間20億～30億ドル, 年20億〜30億ドル/毎年20億〜30億ドル and 年間20～30億ドル: one claim.
    assert best["sources"] >= 3
    texts = {r["amount_text"] for r in sample_db.query(
        "SELECT amount_text FROM claim_evidence WHERE claim_id = ?", [best["id"]])}
    assert len(texts) >= 3


def test_softbank_openai_amounts_conflict(sample_db):
    rows = _claims(sample_db, type="investment", subject_id="company:softbank-group", object_id="company:openai")
    by_amount = {r["amount_min"]: r["id"] for r in rows if r["amount_min"] is not None}
    assert {30e9, 40e9} <= set(by_amount)
    pairs = {(r["claim_id"], r["other_claim_id"]) for r in sample_db.query("SELECT * FROM claim_conflicts")}
    # stored once per pair, smaller id first
    assert sorted((by_amount[30e9], by_amount[40e9])) in [list(p) for p in pairs]
    assert len(pairs & {(by_amount[30e9], by_amount[40e9]), (by_amount[40e9], by_amount[30e9])}) == 1


@pytest.mark.parametrize("gold,system,same", [
    ({"min": 1.4e12, "currency": "USD"}, {"min": None, "max": 1.4e12, "currency": "USD", "unit": "money"}, True),
    ({"min": 2e9, "max": 3e9, "period": "year"}, {"min": 2e9, "max": 3e9, "period": None, "unit": "money"}, False),
    ({"min": 40, "unit": "percent"}, {"min": 40.5, "max": None, "unit": "percent"}, True),
    ({"min": 3e10, "currency": "USD"}, {"min": 4e10, "max": 4e10, "currency": "USD", "unit": "money"}, False),
    ({"min": 3e10, "currency": "USD"}, None, False),
])
def test_amounts_agree(gold, system, same):
    assert amounts_agree(gold, system) is same


def test_bad_gold_file_names_the_file(tmp_path):
    (tmp_path / "x.yaml").write_text("claims: []\n", encoding="utf-8")
    with pytest.raises(GoldFileError, match="x.yaml.*article"):
        load_gold(tmp_path)
    with pytest.raises(GoldFileError, match="not found"):
        load_gold(tmp_path / "missing")


# --- what an analyst reads: the entity list and the conflicts of the samples --------------------------------

def test_the_samples_entity_list_has_no_junk(sample_db):
    """Every exported entity of the samples is a gazetteer entry, or its name and every surface it was found as
    pass the hygiene rules of kb.entities.spans.name_problem: no generic term or ticker (common_terms.txt), no
    byline or photo credit, no figure with its unit, no sentence punctuation or unclosed bracket, no Japanese
    phrase (金融の話, ソフトバンクの), no lowercase word, no one-character name, no reference (同州, 同社), no common
    noun (市場調査会社). Investment nodes are not in the list, and products are never companies."""
    from kb.entities.gazetteer import Gazetteer
    from kb.entities.spans import name_problem
    from kb.store.export import generate_entities

    gaz = Gazetteer.load()
    entities = list(generate_entities(sample_db))
    assert entities and not any(e["type"] == "investment" for e in entities)
    junk = []
    for e in entities:
        if gaz.get(e["id"]) is not None:
            continue
        surfaces = [r["text"] for r in sample_db.query(
            "SELECT DISTINCT text FROM mentions WHERE entity_id = ? AND source != 'coref'", [e["id"]])]
        junk += [(e["id"], s, name_problem(s)) for s in [e["name"], *surfaces] if name_problem(s)]
    assert junk == []
    types = {e["id"]: e["type"] for e in entities}
    for product in ("product:chatgpt", "product:azure", "product:iphone"):
        assert types.get(product, "product") == "product"
    assert not any(e["type"] == "company" and e["name"].lower() in {"chatgpt", "azure", "iphone"} for e in entities)


def test_the_samples_conflicts_are_real_disagreements_listed_once(sample_db):
    """Each conflict pair of the samples joins two claims of one fact (type, parties) from different articles that
    state different figures beyond rounding, or affirm and deny; `kb claims --conflicts` prints its reason once."""
    from kb.amounts import format_amount
    from kb.store.export import generate_claims
    from kb.tracking import same_figure

    claims = {c["id"]: c for c in generate_claims(sample_db)}
    pairs = list(sample_db.query("SELECT claim_id, other_claim_id, reason FROM claim_conflicts"))
    assert pairs  # the samples disagree on SoftBank's OpenAI investment (test_softbank_openai_amounts_conflict)
    assert len({(p["claim_id"], p["other_claim_id"]) for p in pairs}) == len(pairs)
    for p in pairs:
        a, b = claims[p["claim_id"]], claims[p["other_claim_id"]]
        assert p["claim_id"] < p["other_claim_id"] and p["reason"]
        assert (a["type"], a["subject"]["id"], (a["object"] or {}).get("id")) == \
            (b["type"], b["subject"]["id"], (b["object"] or {}).get("id"))
        assert {e["article_id"] for e in a["evidence"]}.isdisjoint({e["article_id"] for e in b["evidence"]})
        if a["polarity"] == b["polarity"]:
            row = lambda c: {"amount_min": c["amount"]["min"], "amount_max": c["amount"]["max"],  # noqa: E731
                             "currency": c["amount"]["currency"], "unit": c["amount"]["unit"],
                             "period": c["amount"]["period"], "bound": c["amount"]["bound"]}
            assert not same_figure(row(a), row(b))
            assert format_amount(a["amount"]) in p["reason"] and format_amount(b["amount"]) in p["reason"]
        else:
            assert p["reason"].startswith("affirmed vs denied")
        assert p["claim_id"] in b["conflicts_with"] and p["other_claim_id"] in a["conflicts_with"]


# Articles kb's rules did not come from (issue #12), each set with gold annotated before the extractor ran on it
# (each folder's README in tests/gold/ records its first run); the floors keep what they score today (session 8):
# - fresh: three articles of our own; first run P 0.833 R 0.714; today P 0.948 R 0.982;
# - fresh-dev: sixteen articles by three authors who did not see kb; first runs about P 0.64 R 0.32; today
#   P 0.949 R 0.816;
# - unseen: four articles by a fourth author, first run P 0.625 R 0.353; today P 0.986 R 0.859;
# - fresh-dev2, fresh-dev3: six and eight articles by four more authors (session 7), first runs P 0.475 R 0.190
#   and P 0.542 R 0.232; today P 0.788 R 0.605 and P 0.837 R 0.594;
# - final-check: six articles by two more authors, scored once at the end of session 7 before anyone looked
#   (P 0.412 R 0.185); today P 0.684 R 0.522;
# - train-a … train-e: 25 articles by five more authors (session 8), training data of the learned statistic
#   pass; first runs P 0.46-0.69 R 0.22-0.32; today P 0.524 / 0.731 / 0.526 / 0.700 / 0.645,
#   R 0.291 / 0.434 / 0.315 / 0.233 / 0.312;
# - session8-check: eight articles by two more authors, scored once at the end of session 8 (P 0.566 R 0.305).
OTHER_HANDS_FLOORS = {"fresh": (0.90, 0.93), "fresh-dev": (0.92, 0.79), "unseen": (0.96, 0.83),
                      "fresh-dev2": (0.76, 0.58), "fresh-dev3": (0.81, 0.57), "final-check": (0.65, 0.50),
                      "train-a": (0.50, 0.27), "train-b": (0.70, 0.42), "train-c": (0.50, 0.29),
                      "train-d": (0.67, 0.22), "train-e": (0.62, 0.29),
                      "session8-check": (0.54, 0.29)}


@pytest.mark.parametrize("name", sorted(OTHER_HANDS_FLOORS))
def test_articles_by_other_hands_do_not_regress(tmp_path, name):
    from kb.store import open_db
    from kb.pipeline.ingest import ingest_paths

    folder = Path(__file__).parent / "fixtures" / name
    database = open_db(tmp_path / f"{name}.db")
    try:
        assert not ingest_paths(database, [str(folder)]).errors
        got = evaluate(database, GOLD / name)
    finally:
        database.close()
    assert {Path(g.article).stem for g in load_gold(GOLD / name)} == {p.stem for p in folder.glob("*.md")}
    precision, recall = OTHER_HANDS_FLOORS[name]
    assert got.micro.precision >= precision, format_report(got)
    assert got.micro.recall >= recall, format_report(got)
