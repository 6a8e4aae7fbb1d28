"""Claim fingerprints merge equal claims across notations; conflicts are flagged only where sources disagree."""

from __future__ import annotations

import pytest

from kb.amounts import parse_amount
from kb.records import Claim, EntityRef
from kb.tracking import claim_view, conflict_reason, fingerprint

HON_HAI = EntityRef("company:hon-hai", "Hon Hai Precision Industry", "company")
OPENAI = EntityRef("company:openai", "OpenAI", "company")
SOFTBANK = EntityRef("company:softbank-group", "SoftBank Group", "company")


def claim(type_="investment", subject=HON_HAI, obj=None, amount=None, polarity="affirmed", **details):
    return Claim(type_, subject, obj, 0, 10, 0, amount=parse_amount(amount) if amount else None,
                 polarity=polarity, details=details)


@pytest.mark.parametrize("a,b", [
    ("年間20億～30億ドル", "$2 billion to $3 billion a year"),
    ("年20億〜30億ドル", "年間20～30億ドル"),
    ("1.4兆ドル", "1兆4000億ドル"),
    ("最大1.4兆ドル", "$1.4 trillion"),
    ("3,000億ドル", "$300 billion"),
])
def test_same_figure_in_other_notations_is_one_claim(a, b):
    assert fingerprint(claim(amount=a)) == fingerprint(claim(amount=b))


@pytest.mark.parametrize("a,b", [
    ("300億ドル", "400億ドル"),
    ("年間20億ドル", "20億ドル"),  # a yearly figure is not a one-off figure
])
def test_different_figures_are_different_claims(a, b):
    assert fingerprint(claim(amount=a)) != fingerprint(claim(amount=b))


def test_partnership_is_symmetric_and_negation_is_separate():
    ab = claim("partnership", HON_HAI, OPENAI)
    ba = claim("partnership", OPENAI, HON_HAI)
    assert fingerprint(ab) == fingerprint(ba)
    assert fingerprint(claim("partnership", HON_HAI, OPENAI, polarity="negated")) != fingerprint(ab)


def _row(c, cid):
    return claim_view(c, cid)


@pytest.mark.parametrize("a,b,conflict", [
    ("300億ドル", "$40 billion", True),
    ("約300億ドル", "$30.2 billion", False),           # rounding
    ("年間で少なくとも20億ドル", "年間20億～30億ドル", False),  # a lower bound agrees with the range
    ("最大1000億ドル", "$80 billion", False),           # within the upper bound
    ("最大1000億ドル", "$150 billion", True),
    ("up to $100 billion", "up to $1 trillion", True),  # two caps of one event tenfold apart
    ("up to $100 billion", "最大1000億ドル", False),
    ("$2.5 billion", "$2 billion to $3 billion", False),  # a value inside the range
    ("about $300 billion", "about $350 billion", True),
    ("$2 billion a year", "$5 billion", False),          # a yearly figure and a total are other facts
    ("300億ドル", "4兆5000億円", False),                # other currency: not comparable, not a conflict
])
def test_conflicts_between_amounts(a, b, conflict):
    r = conflict_reason(_row(claim(amount=a), "a"), _row(claim(amount=b), "b"))
    assert (r is not None) == conflict, r


def test_affirmed_vs_negated_conflicts():
    r = conflict_reason(_row(claim("manufacturing"), "a"), _row(claim("manufacturing", polarity="negated"), "b"))
    assert r == "affirmed vs denied"


def test_conflict_is_tracked_in_the_database(db):
    from kb.store import open_db  # noqa: F401  (db fixture opened it)
    from kb.sources import Article
    from kb.store.claims import refresh_claims, save_claims

    for i, amount in enumerate(["300億ドル", "$40 billion"]):
        text = f"SoftBank invests {amount} in OpenAI."
        art = Article(source_path=f"a{i}.md", source_key=f"a{i}.md", title="t", text=text, published=f"2025-11-2{i}")
        db["articles"].insert({"id": art.id, "source_key": art.source_key, "source_path": art.source_path,
                               "title": "t", "text": text, "content_hash": art.content_hash,
                               "published": art.published})
        db["passages"].insert({"id": f"{art.id}-00000", "article_id": art.id, "idx": 0, "start": 0,
                               "end": len(text), "text": text, "norm_hash": "x", "text_hash": "y"})
        for ref in (SOFTBANK, OPENAI):
            db["entities"].insert({"id": ref.id, "name": ref.name, "type": ref.type}, ignore=True)
        c = Claim("investment", SOFTBANK, OPENAI, 0, len(text), 0, amount=parse_amount(amount))
        refresh_claims(db, save_claims(db, art.id, art, [c]))
    rows = list(db.query("SELECT claim_id, other_claim_id, reason FROM claim_conflicts"))
    assert len(rows) == 1 and rows[0]["reason"] == "amounts disagree: $30 billion vs $40 billion"  # once per pair
    assert [r["conflicts"] for r in db.query("SELECT conflicts FROM claims")] == [1, 1]
