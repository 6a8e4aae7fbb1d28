"""Identity of a tracked claim: one claim per fact across wording, language, notation and granularity.

Invented companies and places only. Each rule has a merge case and a keep-apart case; the store tests
check that the same rules hold when claims arrive from different articles.
"""

from __future__ import annotations

import pytest

from kb.amounts import parse_amount
from kb.records import Claim, EntityRef
from kb.tracking import (base_key, claim_view, conflict_pairs, conflict_reason, match, prevailing_amount,
                         same_fact, title_roles)

ZEPHYR = EntityRef("company:zephyr-robotics", "Zephyr Robotics", "company")
MARLOW = EntityRef("company:marlow-cloud", "Marlow Cloud", "company")
QUILL = EntityRef("company:quill-energy", "Quill Energy", "company")
ADA = EntityRef("person:ada-kestrel", "Ada Kestrel", "person")
AUSTIN = EntityRef("city:US-austin", "Austin", "city")
DALLAS = EntityRef("city:US-dallas", "Dallas", "city")
TEXAS = EntityRef("state:US-TX", "Texas", "state")
OHIO = EntityRef("state:US-OH", "Ohio", "state")
PARENTS = {AUSTIN.id: TEXAS.id, DALLAS.id: TEXAS.id}


def claim(type_="investment", subject=ZEPHYR, obj=MARLOW, amount=None, polarity="affirmed", **details):
    return Claim(type_, subject, obj, 0, 10, 0, amount=parse_amount(amount) if amount else None,
                 polarity=polarity, details=details)


def one_fact(a: Claim, b: Claim, parents=PARENTS) -> bool:
    return base_key(a, parents) == base_key(b, parents) and same_fact(claim_view(a), claim_view(b), parents)


# --- places: a city inside its state ---------------------------------------------------------------

@pytest.mark.parametrize("type_", ["manufacturing", "investment"])
def test_city_and_its_state_are_one_place(type_):
    assert one_fact(claim(type_, obj=AUSTIN), claim(type_, obj=TEXAS))
    assert one_fact(claim(type_, obj=TEXAS), claim(type_, obj=AUSTIN))


def test_two_cities_of_one_state_or_another_state_stay_apart():
    assert not one_fact(claim("manufacturing", obj=AUSTIN), claim("manufacturing", obj=DALLAS))
    assert not one_fact(claim("manufacturing", obj=AUSTIN), claim("manufacturing", obj=OHIO))
    assert not one_fact(claim("manufacturing", obj=AUSTIN), claim("manufacturing", obj=TEXAS), parents={})
    assert not one_fact(claim("manufacturing", QUILL, AUSTIN), claim("manufacturing", ZEPHYR, TEXAS))
    # two cities of one state are two plants, not a conflict
    rows = [claim_view(claim("manufacturing", obj=AUSTIN), "a"),
            claim_view(claim("manufacturing", obj=DALLAS, polarity="negated"), "b")]
    assert conflict_pairs(rows, PARENTS) == []


# --- roles: title variants --------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["CEO", "chief executive", "chairman and CEO", "最高経営責任者", "社長兼CEO",
                                   "founder and CEO"])
def test_title_variants_are_one_role(title):
    assert one_fact(claim("role", ADA, ZEPHYR, title="CEO"), claim("role", ADA, ZEPHYR, title=title))


def test_other_roles_people_or_organizations_stay_apart():
    ceo = claim("role", ADA, ZEPHYR, title="CEO")
    assert not one_fact(ceo, claim("role", ADA, ZEPHYR, title="CFO"))
    assert not one_fact(ceo, claim("role", ADA, ZEPHYR, title="最高財務責任者"))
    assert not one_fact(ceo, claim("role", ADA, MARLOW, title="CEO"))
    # CEO and CFO of one company are two roles, not a conflict
    assert conflict_reason(claim_view(ceo, "a"), claim_view(claim("role", ADA, ZEPHYR, title="CFO"), "b")) is None


def test_title_roles():
    assert title_roles("chairman and CEO") == {"chairman", "CEO"}
    assert title_roles("会長兼社長") == {"chairman", "president"}
    assert title_roles("co-founder") == {"founder"}


# --- amounts: notation and granularity ----------------------------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("at least $2 billion a year", "$2 billion to $3 billion a year"),  # a floor at the range's edge
    ("about $300 billion", "$300 billion"),
    ("$300 billion", "$305 billion"),                                   # rounding within 2%
    ("up to $100 billion", "$100 billion"),
    ("$2.5 billion", "$2 billion to $3 billion"),                       # a value inside the range
    ("3,000億ドル", "about $300 billion"),
])
def test_same_figure_is_one_claim(a, b):
    assert one_fact(claim(amount=a), claim(amount=b))


@pytest.mark.parametrize("a,b", [
    ("$2 billion a year", "$2 billion"),            # a yearly figure vs a total
    ("$300 billion", "$350 billion"),
    ("up to $100 billion", "up to $1 trillion"),
    ("up to $100 billion", "$80 billion"),          # compatible (no conflict) but not the same figure
    ("$40 billion", None),                          # a figure and no figure
])
def test_other_figures_are_other_claims(a, b):
    assert not one_fact(claim(amount=a), claim(amount=b))


def test_other_counterparties_or_polarity_are_other_claims():
    assert not one_fact(claim(amount="$5 billion"), claim(obj=QUILL, amount="$5 billion"))
    assert not one_fact(claim(amount="$5 billion"), claim(amount="$5 billion", polarity="negated"))


def test_match_picks_the_stored_claim_the_new_one_is_evidence_of():
    stored = [claim_view(claim(amount="$350 billion"), "c350"), claim_view(claim(amount="about $300 billion"), "c300")]
    assert match(claim(amount="3000億ドル"), stored) == "c300"
    assert match(claim(amount="$500 billion"), stored) is None


def test_prevailing_amount_is_what_most_sources_state():
    def v(text):
        a = parse_amount(text)
        return {"amount_min": a.min, "amount_max": a.max, "currency": a.currency, "unit": a.unit,
                "bound": a.bound, "approximate": a.approximate, "text": text}
    best = prevailing_amount([("art1", v("at least $2 billion")), ("art2", v("$2 billion to $3 billion")),
                              ("art3", v("$2 billion to $3 billion")), ("art3", v("at least $2 billion"))])
    assert best["text"] == "$2 billion to $3 billion"
    # a tie goes to the more precise figure
    assert prevailing_amount([("a", v("up to $100 billion")), ("b", v("$100 billion"))])["text"] == "$100 billion"


# --- figures without a counterparty --------------------------------------------------------------------

def test_objectless_figures_of_one_company_are_different_facts_not_conflicts():
    figures = [claim(obj=None, amount=x) for x in ("$1.4 trillion", "$500 billion", "$100 billion")]
    assert len({base_key(c) for c in figures}) == 3
    assert base_key(claim(obj=None, amount="$1.4 trillion")) == base_key(claim(obj=None, amount="1.4兆ドル"))


def test_statistics_are_keyed_by_metric():
    share = claim("statistic", obj=None, amount="40%", metric="share of revenue")
    share_ja = claim("statistic", obj=None, amount="4割", metric="売上に占める割合")
    growth = claim("statistic", obj=None, amount="60%", metric="growth")
    assert one_fact(share, share_ja)
    assert base_key(share) != base_key(growth)
    other = claim("statistic", obj=None, amount="60%", metric="share of revenue")
    assert conflict_reason(claim_view(share, "a"), claim_view(other, "b")) == "amounts disagree: 40% vs 60%"


# --- conflicts --------------------------------------------------------------------------------------------

def test_denial_without_a_figure_lands_on_the_base_key_it_denies_and_conflicts():
    affirmed = claim(amount="up to $2 billion")
    denied = claim(polarity="negated")
    assert base_key(affirmed) == base_key(denied)
    r = conflict_reason(claim_view(affirmed, "a"), claim_view(denied, "b"))
    assert r == "affirmed vs denied (up to $2 billion)"


def test_conflict_reasons_name_the_figures():
    def reason(a, b):
        return conflict_reason(claim_view(claim(amount=a), "a"), claim_view(claim(amount=b), "b"))
    assert reason("about $300 billion", "about $350 billion") == \
        "amounts disagree: about $300 billion vs about $350 billion"
    assert reason("up to $100 billion", "up to $1 trillion") == \
        "bounds disagree: up to $100 billion vs up to $1 trillion"
    assert reason("up to $100 billion", "$80 billion") is None
    assert reason("$2 billion a year", "$9 billion") is None       # other periods: other facts


def test_each_conflict_pair_is_listed_once():
    rows = [claim_view(claim(amount=x), cid) for cid, x in (("b", "$40 billion"), ("a", "$30 billion"),
                                                            ("c", "$50 billion"))]
    pairs = conflict_pairs(rows)
    assert [(a, b) for a, b, _ in pairs] == [("a", "b"), ("a", "c"), ("b", "c")]


def test_city_and_state_with_other_products_stay_apart():
    racks = claim("manufacturing", obj=TEXAS)
    drones = claim("manufacturing", obj=AUSTIN, product="delivery drones")
    assert not one_fact(racks, drones)
    assert one_fact(claim("manufacturing", obj=TEXAS, product="Delivery drones"), drones)
    assert one_fact(claim("manufacturing", obj=AUSTIN), drones)  # the same city: one place whatever the product


def test_match_prefers_the_same_place_and_respects_the_articles_own_split():
    stored = [claim_view(claim("manufacturing", obj=TEXAS), "tx"), claim_view(claim("manufacturing", obj=AUSTIN), "au")]
    assert match(claim("manufacturing", obj=AUSTIN), stored, PARENTS) == "au"
    assert match(claim("manufacturing", obj=TEXAS), stored, PARENTS) == "tx"
    only_state = stored[:1]
    assert match(claim("manufacturing", obj=AUSTIN), only_state, PARENTS) == "tx"
    # this article already said "Texas" in passage 3: its Austin claim in passage 0 is another fact
    assert match(claim("manufacturing", obj=AUSTIN), only_state, PARENTS, here={"tx": {3}}) is None
    # "Austin, Texas" in passage 0 made both claims: the town and its state are two facts
    assert match(claim("manufacturing", obj=AUSTIN), only_state, PARENTS, here={"tx": {0}}) is None
    assert match(claim("manufacturing", obj=AUSTIN), only_state, PARENTS, here={"au": {0}}) == "tx"
    # the article states Texas too, in a claim not saved yet: whatever the order, the town is its own fact
    assert match(claim("manufacturing", obj=AUSTIN), only_state, PARENTS, stated={TEXAS.id}) is None
    assert match(claim("manufacturing", obj=AUSTIN), only_state, PARENTS, stated={AUSTIN.id}) == "tx"


@pytest.mark.parametrize("a,b", [
    ("株価", "shares change"), ("株価", "stock change"), ("売上高", "revenue change"), ("売上高", "revenue"),
    ("企業価値", "valuation"), ("時価総額", "market value"), ("売上に占める割合", "share of revenue"),
    ("計画容量", "capacity"),
])
def test_one_metric_class_across_languages(a, b):
    from kb.tracking import metric_class
    assert metric_class(a) == metric_class(b)


@pytest.mark.parametrize("a,b", [("株価", "売上高"), ("revenue", "share of revenue"), ("valuation", "revenue"),
                                 ("data centers", "employees")])
def test_different_metrics_stay_apart(a, b):
    from kb.tracking import metric_class
    assert metric_class(a) != metric_class(b)


def test_denying_a_detail_does_not_contradict_the_whole():
    """"The plant does not make AI chips" narrows "X makes things in Y"; denying the same thing conflicts."""
    from kb.tracking import conflict_reason
    made = {"id": "a", "type": "manufacturing", "polarity": "affirmed", "object_id": "state:JP-43", "details": {}}
    not_ai = {"id": "b", "type": "manufacturing", "polarity": "negated", "object_id": "state:JP-43",
              "details": {"product": "AI向けチップ"}}
    not_at_all = {"id": "c", "type": "manufacturing", "polarity": "negated", "object_id": "state:JP-43", "details": {}}
    assert conflict_reason(made, not_ai) is None
    assert conflict_reason(made, not_at_all) == "affirmed vs denied"
    same_product = dict(made, details={"product": "AI向けチップ"})
    assert conflict_reason(same_product, not_ai) == "affirmed vs denied"


def test_differently_named_measures_of_one_metric_class_do_not_conflict():
    from kb.tracking import conflict_reason
    def stat(i, metric, value):
        return {"id": i, "type": "statistic", "polarity": "affirmed", "object_id": None, "currency": "USD",
                "unit": "money", "period": None, "bound": None, "amount_min": value, "amount_max": value,
                "details": {"metric": metric}}
    assert conflict_reason(stat("a", "revenue", 18e9), stat("b", "future revenue", 455e9)) is None
    assert conflict_reason(stat("a", "revenue", 18e9), stat("b", "revenue", 30e9)) is not None


# --- a deal told with and without its figure ------------------------------------------------------------

def test_figureless_claim_joins_the_one_figured_claim_of_its_parties():
    stored = [claim_view(claim("contract", amount=None), "bare"), claim_view(claim("contract", amount="$38 billion"), "c38")]
    # the figured deal wins over another figureless mention
    assert match(claim("contract"), stored) == "c38"
    # a figured claim with no figured claim stored joins the figureless one (which then takes its figure)
    assert match(claim("contract", amount="$38 billion"), [stored[0]]) == "bare"


def test_figureless_claim_stays_apart_when_it_cannot_tell_which_figure():
    two = [claim_view(claim("contract", amount="about $300 billion"), "c300"),
           claim_view(claim("contract", amount="$350 billion"), "c350")]
    assert match(claim("contract"), two) is None
    # another counterparty, another polarity or another place is never the same deal
    assert match(claim("contract", obj=QUILL), [two[0]]) is None
    assert match(claim("contract", polarity="negated"), [two[0]]) is None
    rows = [claim_view(claim("investment", obj=AUSTIN, amount="$5 billion"), "austin")]
    assert match(claim("investment", obj=DALLAS), rows, PARENTS) is None
    # a figureless claim about the city's state is not the figured city's (a state holds many sites)
    assert match(claim("investment", obj=TEXAS), rows, PARENTS) is None
    assert match(claim("investment", obj=AUSTIN), rows, PARENTS) == "austin"
    # a figured claim never joins a figureless one while a figured claim of its parties exists
    assert match(claim("contract", amount="$500 billion"), [claim_view(claim("contract"), "bare")] + two) is None


def test_objectless_figureless_claims_do_not_join_figures():
    assert match(claim(obj=None), [claim_view(claim(obj=None, amount="$1.4 trillion"), "c")]) is None


def test_figureless_claim_joins_the_figure_its_own_article_states():
    stored = [claim_view(claim(amount="$40 billion"), "c40"), claim_view(claim(amount="$30 billion"), "c30")]
    assert match(claim(), stored, here={"c30": [2]}) == "c30"
    assert match(claim(), stored[:1], here={}) == "c40"
    assert match(claim(), stored, here={"c30": [2], "c40": [3]}) is None
