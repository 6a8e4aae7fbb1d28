"""kb.claims.en_parse: English claims read off the dependency parse (verb frames, relative clauses,
appositions, coordination, possessives, pronouns and descriptions resolved through the article).

Every sentence here was written for this test; the companies and people are made up (their names end in
a company word or start with a common given name, so the name rules find them whatever the tagger says).
Each construction has a near-miss that must not yield the claim.
"""

from __future__ import annotations

import pytest

from kb.pipeline.analysis import analyze_article
from kb.sources import Article


def claims_of(text: str):
    article = Article("t.md", "t", "t", text.strip() + "\n", lang="en")
    return analyze_article(article, 0).claims


def found(text: str) -> set[tuple]:
    """(type, subject, object, amount min, amount max) of the text's claims; names as resolved."""
    out = set()
    for c in claims_of(text):
        a = c.amount
        out.add((c.type, c.subject.name if c.subject else None, c.object.name if c.object else None,
                 a.min if a is not None else None, a.max if a is not None else None))
    return out


def pairs(text: str) -> set[tuple]:
    return {(t, s, o) for t, s, o, _, _ in found(text)}


def one(text: str, type_: str, subject: str | None, obj: str | None):
    hits = [c for c in claims_of(text) if c.type == type_ and (c.subject.name if c.subject else None) == subject
            and (c.object.name if c.object else None) == obj]
    assert hits, found(text)
    return hits[0]


# --- positive constructions: (text, expected (type, subject, object, min, max)) ---------------------------
POSITIVE = [
    # investment: invest … in, through "plans to", and a pronoun inside a relative clause
    ("Nortova Systems signed a letter of intent under which it plans to invest up to $3 billion in Kestrel Cloud.",
     ("investment", "Nortova Systems", "Kestrel Cloud", None, 3e9)),
    # coordination: two investors, two figures, "respectively"
    ("Orvane Labs and Tessaro Networks said they would invest $1 billion and $2 billion respectively in Kestrel Cloud.",
     ("investment", "Tessaro Networks", "Kestrel Cloud", 2e9, 2e9)),
    ("Orvane Labs and Tessaro Networks said they would invest $1 billion and $2 billion respectively in Kestrel Cloud.",
     ("investment", "Orvane Labs", "Kestrel Cloud", 1e9, 1e9)),
    # building a facility in a place is an investment in the place (the city and the state it writes out)
    ("Kestrel Cloud, which built its newest data center in Columbus, Ohio, in under a year, is hiring.",
     ("investment", "Kestrel Cloud", "Columbus", None, None)),
    ("Kestrel Cloud, which built its newest data center in Columbus, Ohio, in under a year, is hiring.",
     ("investment", "Kestrel Cloud", "Ohio", None, None)),
    ("Larkspur Energy has been building capacity at a campus in Phoenix, Arizona, developed by Tessaro Networks.",
     ("investment", "Tessaro Networks", "Phoenix", None, None)),
    ("Larkspur Energy has been building capacity at a campus in Phoenix, Arizona, developed by Tessaro Networks.",
     ("investment", "Larkspur Energy", "Arizona", None, None)),
    # a possessed facility in a place; "its" is the company the previous sentence is about
    ("Kestrel Cloud is expanding quickly. Its Marlow campus in Phoenix, Arizona, will open next year.",
     ("investment", "Kestrel Cloud", "Phoenix", None, None)),
    ("Veltra Dynamics is growing. Its sites now stretch from Ohio to Texas and Arizona.",
     ("investment", "Veltra Dynamics", "Texas", None, None)),
    # spending on capital expenditures: an investment without a target, by the company "it" stands for
    ("Kestrel Cloud raised its outlook. It plans to spend about $20 billion on capital expenditures next year.",
     ("investment", "Kestrel Cloud", None, 2e10, 2e10)),
    # "the state" is the state named before
    ("Kestrel Cloud opened a data center in Ohio and said it would invest another $1 billion in a second campus in "
     "the state.", ("investment", "Kestrel Cloud", "Ohio", 1e9, 1e9)),
    # backed by: the investors of what the apposition names
    ("Marrow Ventures, the fund backed by Kestrel Cloud and Orvane Labs, plans to raise more money.",
     ("investment", "Orvane Labs", "Marrow Ventures", None, None)),
    # a stake valued at a figure, and the share it represents
    ("Orvane Labs holds an investment in Kestrel Cloud valued at about $12 billion, representing roughly 15% of the "
     "company.", ("investment", "Orvane Labs", "Kestrel Cloud", 1.2e10, 1.2e10)),
    ("Orvane Labs holds an investment in Kestrel Cloud valued at about $12 billion, representing roughly 15% of the "
     "company.", ("ownership", "Orvane Labs", "Kestrel Cloud", 15, 15)),
    # "the company" after another company's verb is not that company
    ("Kestrel Cloud is the firm I follow most closely. Orvane Labs has invested $1 billion in the company.",
     ("investment", "Orvane Labs", "Kestrel Cloud", 1e9, 1e9)),

    # contract: buy … from (customer → supplier), buy X's capacity, use N of X's chips, deploy GW of X systems
    ("Nortova Systems agreed to buy about $5 billion of computing power from Kestrel Cloud over five years.",
     ("contract", "Nortova Systems", "Kestrel Cloud", 5e9, 5e9)),
    ("Orvane Labs has agreed to purchase up to $2 billion of Kestrel Cloud's unused capacity through 2030.",
     ("contract", "Orvane Labs", "Kestrel Cloud", None, 2e9)),
    ("Orvane Labs, which owns 9% of Kestrel Cloud, agreed to buy $2 billion of capacity from the company.",
     ("contract", "Orvane Labs", "Kestrel Cloud", 2e9, 2e9)),
    ("In May, Brightline Robotics agreed to use up to one million of Kestrel Cloud's TPUs.",
     ("contract", "Brightline Robotics", "Kestrel Cloud", None, 1e6)),
    ("Kestrel Cloud is spending about $4 billion on Quillon Semiconductor processors for its new campus.",
     ("contract", "Kestrel Cloud", "Quillon Semiconductor", 4e9, 4e9)),
    # supply: the subject supplies, the object or the to-phrase buys
    ("Quillon Semiconductor will supply Orvane Labs with 3 gigawatts of GPUs.",
     ("contract", "Orvane Labs", "Quillon Semiconductor", 3e9, 3e9)),
    ("Under the arrangement, Larkspur Energy provides power and space to Kestrel Cloud.",
     ("contract", "Kestrel Cloud", "Larkspur Energy", None, None)),
    # relative clauses: whose contracts with X total …; which signed a deal (the other side: who rents to it)
    ("Kestrel Cloud rents capacity to Orvane Labs, whose contracts with Kestrel Cloud now total about $3 billion.",
     ("contract", "Orvane Labs", "Kestrel Cloud", 3e9, 3e9)),
    ("Kestrel Cloud rents capacity to Brightline Robotics, which signed a deal worth up to $900 million.",
     ("contract", "Brightline Robotics", "Kestrel Cloud", None, 9e8)),
    ("Orvane Labs was free to sign with Kestrel Cloud and, in June, Tessaro Networks, which agreed to a seven-year, "
     "$4 billion contract.", ("contract", "Orvane Labs", "Tessaro Networks", 4e9, 4e9)),
    # relational nouns: X, Y's largest customer; X remains its primary supplier
    ("Halden Power, Kestrel Cloud's largest customer, renewed its lease in March.",
     ("contract", "Halden Power", "Kestrel Cloud", None, None)),
    ("Kestrel Cloud has grown fast. Larkspur Energy has invested $1 billion in the company and remains its primary "
     "power supplier.", ("contract", "Kestrel Cloud", "Larkspur Energy", None, None)),
    # a deal noun's figure, the direction from the verb of the clause that explains it
    ("Kestrel Cloud signed an order with Orvane Labs worth up to $1.5 billion, under which Orvane Labs will buy "
     "capacity from Kestrel Cloud.", ("contract", "Orvane Labs", "Kestrel Cloud", None, 1.5e9)),

    # ownership: N% of it / of the company, relative clause holders, give it N% of its rival, warrants
    ("Kestrel Cloud is growing fast. Orvane Labs owns roughly 9% of it.",
     ("ownership", "Orvane Labs", "Kestrel Cloud", 9, 9)),
    ("Nortova Systems sold shares this week. The sale lifted co-founder Maria Delgado, who owns about 30% of the "
     "company, to the top of the rich list.", ("ownership", "Maria Delgado", "Nortova Systems", 30, 30)),
    ("Orvane Labs' $2 billion investment in Kestrel Cloud, announced in May, gives it about 5% of its rival.",
     ("ownership", "Orvane Labs", "Kestrel Cloud", 5, 5)),
    ("Brightline Robotics holds warrants that could give it up to about 8% of Quillon Semiconductor.",
     ("ownership", "Brightline Robotics", "Quillon Semiconductor", None, 8)),
    ("Marrow Capital, Kestrel Cloud's largest shareholder, opposed the plan.",
     ("ownership", "Marrow Capital", "Kestrel Cloud", None, None)),
    ("Analysts compared Orvane Group's Kestrel Cloud with Brightline Robotics.",
     ("ownership", "Orvane Group", "Kestrel Cloud", None, None)),

    # role: ORG's person; Name, ORG title; Name chairs ORG
    ("Kestrel Cloud's Priya Natarajan told analysts demand was strong.",
     ("role", "Priya Natarajan", "Kestrel Cloud", None, None)),
    ("\"We are ready,\" said Brad Vance, Nortova Systems vice chair and president.",
     ("role", "Brad Vance", "Nortova Systems", None, None)),
    ("Maria Delgado chairs Kestrel Cloud, and Orvane Labs owns a small stake in it.",
     ("role", "Maria Delgado", "Kestrel Cloud", None, None)),

    # statistic: a metric's owner and its change or level
    ("Kestrel Cloud's remaining performance obligations jumped 40% from a year earlier.",
     ("statistic", "Kestrel Cloud", None, 40, 40)),
    ("Kestrel Cloud beat forecasts. The stock closed up 12% at $41.20, adding more than $3 billion to Kestrel "
     "Cloud's market value.", ("statistic", "Kestrel Cloud", None, 12, 12)),
    ("Kestrel Cloud beat forecasts. The stock closed up 12% at $41.20, adding more than $3 billion to Kestrel "
     "Cloud's market value.", ("statistic", "Kestrel Cloud", None, 41.2, 41.2)),
    ("Kestrel Cloud beat forecasts. The stock closed up 12% at $41.20, adding more than $3 billion to Kestrel "
     "Cloud's market value.", ("statistic", "Kestrel Cloud", None, 3e9, None)),
    ("Kestrel Cloud forecast that revenue from its storage business would grow 20% to $4 billion.",
     ("statistic", "Kestrel Cloud", None, 4e9, 4e9)),
    ("Halden Power, Kestrel Cloud's largest customer, accounted for 48% of its revenue last year.",
     ("statistic", "Kestrel Cloud", None, 48, 48)),
    ("Kestrel Cloud operates more than 30 data centers in Europe.",
     ("statistic", "Kestrel Cloud", None, 30, None)),
    ("Kestrel Cloud missed estimates. The company said it expects 2026 revenue of $2.1 billion to $2.3 billion.",
     ("statistic", "Kestrel Cloud", None, 2.1e9, 2.3e9)),
    ("Suppose Kestrel Cloud's revenue, which the company expects to reach about $3 billion this year, grows slowly.",
     ("statistic", "Kestrel Cloud", None, 3e9, 3e9)),

    # partnership: "their partnership" is the partnership of the two subjects
    ("Kestrel Cloud and Orvane Labs today announced an agreement that extends their partnership.",
     ("partnership", "Kestrel Cloud", "Orvane Labs", None, None)),
]


MORE = [
    # the parser hangs "to lease" on "worth": the deal's signer is still the customer, its worth the figure
    ("Halvorsen Data signed a seven-year agreement worth up to $4 billion to lease servers from Brightwater Systems.",
     ("contract", "Halvorsen Data", "Brightwater Systems", None, 4e9)),
    # --- second round: funding, prices, plans, capex, valuations, awards, relations with of/in
    # funding: the investors of a round the target raised
    ("Kestrel Cloud raised $2 billion in a funding round led by Marrow Capital.",
     ("investment", "Marrow Capital", "Kestrel Cloud", 2e9, 2e9)),
    ("Kestrel Cloud raised $500 million from Orvane Labs and Tessaro Networks.",
     ("investment", "Tessaro Networks", "Kestrel Cloud", 5e8, 5e8)),
    ("Kestrel Cloud received $300 million from Orvane Labs last year.",
     ("investment", "Orvane Labs", "Kestrel Cloud", 3e8, 3e8)),
    ("Marrow Capital led a $1 billion funding round in Kestrel Cloud.",
     ("investment", "Marrow Capital", "Kestrel Cloud", 1e9, 1e9)),
    # a stake bought for a price: ownership with the share, investment with the price
    ("Orvane Labs bought a 10% stake in Kestrel Cloud for $4 billion.",
     ("ownership", "Orvane Labs", "Kestrel Cloud", 10, 10)),
    ("Orvane Labs bought a 10% stake in Kestrel Cloud for $4 billion.",
     ("investment", "Orvane Labs", "Kestrel Cloud", 4e9, 4e9)),
    # buying a company
    ("Orvane Labs agreed to buy Kestrel Cloud for $3 billion.", ("ownership", "Orvane Labs", "Kestrel Cloud", 3e9, 3e9)),
    # building with a price; plans to build
    ("Kestrel Cloud will build a $10 billion data center in Ohio.", ("investment", "Kestrel Cloud", "Ohio", 1e10, 1e10)),
    ("Kestrel Cloud announced plans to build a data center campus in Arizona.",
     ("investment", "Kestrel Cloud", "Arizona", None, None)),
    ("Kestrel Cloud is investing $2 billion to expand its data center in Texas.",
     ("investment", "Kestrel Cloud", "Texas", 2e9, 2e9)),
    # backed: Y-backed X, X is backed by Y
    ("The Nvidia-backed Kestrel Cloud filed for a listing.", ("investment", "Nvidia", "Kestrel Cloud", None, None)),
    ("Kestrel Cloud, which is backed by Marrow Capital, filed for a listing.",
     ("investment", "Marrow Capital", "Kestrel Cloud", None, None)),
    # shares moved by a deal; revenue a company said rose
    ("Shares of Kestrel Cloud rose 8% on Tuesday.", ("statistic", "Kestrel Cloud", None, 8, 8)),
    ("Kestrel Cloud said revenue rose 30% to $1.2 billion in the quarter.",
     ("statistic", "Kestrel Cloud", None, 1.2e9, 1.2e9)),
    ("Kestrel Cloud reported a 30% rise in revenue.", ("statistic", "Kestrel Cloud", None, 30, 30)),
    # capital expenditures are investments
    ("Kestrel Cloud's capital expenditures rose 50% to $24 billion in the quarter.",
     ("investment", "Kestrel Cloud", None, 2.4e10, 2.4e10)),
    ("Kestrel Cloud expects capital expenditures of $70 billion to $72 billion this year.",
     ("investment", "Kestrel Cloud", None, 7e10, 7.2e10)),
    ("Kestrel Cloud raised its capital expenditure forecast to $85 billion.",
     ("investment", "Kestrel Cloud", None, 8.5e10, 8.5e10)),
    # valuations
    ("Kestrel Cloud is valued at $30 billion after the round.", ("statistic", "Kestrel Cloud", None, 3e10, 3e10)),
    ("Kestrel Cloud has a market value of $90 billion.", ("statistic", "Kestrel Cloud", None, 9e10, 9e10)),
    # contracts won and awarded
    ("Kestrel Cloud won a $2 billion contract from Orvane Labs.", ("contract", "Orvane Labs", "Kestrel Cloud", 2e9, 2e9)),
    ("Orvane Labs awarded Kestrel Cloud a $2 billion contract.", ("contract", "Orvane Labs", "Kestrel Cloud", 2e9, 2e9)),
    ("Quillon Semiconductor signed a deal to supply Orvane Labs with chips.",
     ("contract", "Orvane Labs", "Quillon Semiconductor", None, None)),
    ("Halden Power is the largest customer of Kestrel Cloud.", ("contract", "Halden Power", "Kestrel Cloud", None, None)),
    ("Marrow Capital is the largest shareholder in Kestrel Cloud.",
     ("ownership", "Marrow Capital", "Kestrel Cloud", None, None)),
    # partnership with a possessive and a with-phrase
    ("Kestrel Cloud expanded its partnership with Orvane Labs.", ("partnership", "Kestrel Cloud", "Orvane Labs", None, None)),
    ("Kestrel Cloud is partnering with Orvane Labs on chips.", ("partnership", "Kestrel Cloud", "Orvane Labs", None, None)),
    # roles
    ("Maria Delgado, who heads Kestrel Cloud, said demand was strong.", ("role", "Maria Delgado", "Kestrel Cloud", None, None)),
    ("Maria Delgado, the head of Kestrel Cloud, said demand was strong.",
     ("role", "Maria Delgado", "Kestrel Cloud", None, None)),

    # a story's officer titled without an organization works for the company the story is about
    ("Orvane Labs kept its forecast. Chief Financial Officer Priya Natarajan said the company expects costs to rise.",
     ("role", "Priya Natarajan", "Orvane Labs", None, None)),
    # warrants granted for shares: the recipient's stake in the issuer
    ("Quillon Semiconductor granted Tessaro Networks warrants to buy up to 160 million Quillon shares, or roughly "
     "10% of the company.", ("ownership", "Tessaro Networks", "Quillon Semiconductor", 10, 10)),
    # compute commitments with suppliers left unnamed
    ("Tessaro Networks has roughly $1 trillion of compute commitments over the next decade.",
     ("contract", "Tessaro Networks", None, 1e12, 1e12)),
    # building out a supplier's systems is deploying them
    ("Tessaro Networks is building out 4 gigawatts of Quillon Semiconductor systems.",
     ("contract", "Tessaro Networks", "Quillon Semiconductor", 4e9, 4e9)),
    # revenue a deal is expected to add is the expecting company's
    ("Quillon Semiconductor expects the agreement to add more than $100 billion in revenue over four years.",
     ("statistic", "Quillon Semiconductor", None, 1e11, None)),
    ("Shares of Tessaro Networks have gained 25% this year, giving it a market value of $3.8 trillion.",
     ("statistic", "Tessaro Networks", None, 3.8e12, 3.8e12)),
    ("Veltra Dynamics has signed a 15-year lease with Larkspur Energy for power.",
     ("contract", "Veltra Dynamics", "Larkspur Energy", None, None)),
    ("Investors watch free cash flow, which fell 30% at Kestrel Cloud last quarter.",
     ("statistic", "Kestrel Cloud", None, 30, 30)),
    ("Tessaro Networks is working with Quillon Semiconductor on a new chip.",
     ("partnership", "Quillon Semiconductor", "Tessaro Networks", None, None)),
    # passive: the agent deploys the supplier's chips
    ("The first gigawatt of Quillon Semiconductor chips will be deployed by Tessaro Networks in 2026.",
     ("contract", "Tessaro Networks", "Quillon Semiconductor", None, None)),
    # a person speaks for the organization they were introduced with: "the company" in their words is it
    ("Maria Delgado, chief executive of Nortova Systems, spoke on Monday. Tessaro Networks also reported results. "
     "Delgado said the company would keep expanding capacity in Texas.",
     ("investment", "Nortova Systems", "Texas", None, None)),
    # facilities where something is manufactured are manufacturing sites, not investments
    ("The racks will be manufactured at Nortova Systems facilities in Ohio.",
     ("manufacturing", "Nortova Systems", "Ohio", None, None)),
    # an analyst's estimate of a company's capital spending is that company's figure
    ("Analysts at Marrow Capital estimated Kestrel Cloud's 2026 capex at $120 billion.",
     ("investment", "Kestrel Cloud", None, 1.2e11, 1.2e11)),
]


# Constructions found on fresh text (issue #12), each in sentences of our own.
GENERAL = [
    # "X expects revenue to grow 40%": the expecter's forecast; the description resolves to the company
    ("Kestrel Cloud opened an office. The company expects revenue to grow 40% next year.",
     ("statistic", "Kestrel Cloud", None, 40.0, 40.0)),
    # analysts' expectation of an unowned metric: a figure of nobody
    ("Analysts at Marrow Capital expect global server shipments to rise 28% next year.",
     ("statistic", None, None, 28.0, 28.0)),
    # a 50-50 joint venture; a figure after "five-year," on the contract noun of a rent verb
    ("Kestrel Cloud signed a five-year, $9.7 billion agreement to rent GPUs from Orvane Labs.",
     ("contract", "Kestrel Cloud", "Orvane Labs", 9.7e9, 9.7e9)),
    # "a contract the two firms struck": the pair named before, in the order the article named them
    ("Kestrel Cloud agreed to rent servers from Orvane Labs. The deal adds to a $4 billion contract the two firms "
     "struck last year.", ("contract", "Kestrel Cloud", "Orvane Labs", 4e9, 4e9)),
    # a town the gazetteer does not know is tracked through the state written after it
    ("Tessaro Networks will assemble the racks at its factory in Fremont, California.",
     ("manufacturing", "Tessaro Networks", "California", None, None)),
    # one figure each, in order
    ("Orvane Labs, Tessaro Networks and Kestrel Cloud reported capital expenditures of $3 billion, $4 billion "
     "and $5 billion, respectively.", ("investment", "Tessaro Networks", None, 4e9, 4e9)),
    ("Kestrel Cloud now expects capital expenditures in the range of $7 billion to $8 billion.",
     ("investment", "Kestrel Cloud", None, 7e9, 8e9)),
    # a list item or table row labelled by the company; a narrowed outlook
    ("Spending kept rising.\n\n- **Kestrel Cloud**: capital expenditures of $6 billion in the quarter\n",
     ("investment", "Kestrel Cloud", None, 6e9, 6e9)),
    ("Kestrel Cloud narrowed its capital expenditure outlook to $7 billion-$8 billion.",
     ("investment", "Kestrel Cloud", None, 7e9, 8e9)),
    # an analyst's model of the one company the sentence names
    ("We think Kestrel Cloud will need to spend heavily: we model capex of $9 billion next year.",
     ("investment", "Kestrel Cloud", None, 9e9, 9e9)),
    # buying a brand is buying from its maker (en.yaml product_makers)
    ("Kestrel Cloud committed to buy $30 billion of Azure compute.", ("contract", "Kestrel Cloud", "Microsoft", 3e10, 3e10)),
    ("Azure revenue grew 40% in the quarter.", ("statistic", "Microsoft", None, 40.0, 40.0)),
]


def test_a_fifty_fifty_joint_venture_is_a_partnership():
    claims = [c for c in claims_of("Orvane Labs and Tessaro Networks formed a 50-50 joint venture.")
              if c.type == "partnership"]
    assert {c.subject.name for c in claims} | {c.object.name for c in claims} == {"Orvane Labs", "Tessaro Networks"}
    assert claims[0].details["kind"] == "joint_venture"


@pytest.mark.parametrize(("text", "claim"), GENERAL)
def test_general_constructions(text, claim):
    assert claim in found(text), found(text)


def test_a_person_can_chair_a_venture_named_before():
    # a role's organization may be a venture (a project entity), also when only "the venture" names it
    text = ("Stargate, the data-center venture, picked two more campuses in Texas on Monday.\n\n"
            "Masayoshi Son chairs the venture and will visit both sites in March.")
    roles = {(c.subject.name, c.object.name, c.details.get("title")) for c in claims_of(text) if c.type == "role"}
    assert ("Masayoshi Son", "Stargate", "chairman") in roles, roles


@pytest.mark.parametrize(("text", "claim"), [
    # another company's revenue is not the expecter's
    ("Kestrel Cloud expects Orvane Labs' revenue to grow 40% next year.", ("statistic", "Kestrel Cloud", None)),
    # building a plant for a sum is manufacturing there, not also an investment; supplying from a plant is neither
    ("Kestrel Cloud is building a plant in Columbus, Ohio for $2.5 billion.", ("investment", "Kestrel Cloud", "Columbus")),
    ("Kestrel Cloud will supply chips from a new plant in Columbus.", ("manufacturing", "Kestrel Cloud", "Columbus")),
    # a place labelling a list item owns no figure
    ("Spending kept rising.\n\n- **Ohio**: capital expenditures of $6 billion in the quarter\n",
     ("investment", "Ohio", None)),
    # a brand-less purchase names no supplier
    ("Kestrel Cloud committed to buy $30 billion of cloud compute.", ("contract", "Kestrel Cloud", "Microsoft")),
])
def test_general_near_misses(text, claim):
    assert claim not in pairs(text), found(text)


@pytest.mark.parametrize(("text", "claim"), POSITIVE + MORE)
def test_parse_constructions(text, claim):
    assert claim in found(text), found(text)


# --- near misses: (text, a (type, subject, object) that must not be claimed) ----------------------------
NEGATIVE = [
    # a news outlet reports; it is never the investor, and never what "it" stands for
    ("Reuters reported that Kestrel Cloud would invest $2 billion in Ohio.", ("investment", "Reuters", "Ohio")),
    ("Reuters said on Monday that it had seen the plan. It would spend $2 billion on capital expenditures.",
     ("investment", "Reuters", None)),
    # "the Texas-based company" is not a site in Texas
    ("Kestrel Cloud, the Texas-based company, opened a new headquarters.", ("investment", "Kestrel Cloud", "Texas")),
    ("The Texas-based Kestrel Cloud built a new data center.", ("investment", "Kestrel Cloud", "Texas")),
    # a letter of intent and a partnership agreement are not contracts
    ("Kestrel Cloud signed a letter of intent with Orvane Labs.", ("contract", "Kestrel Cloud", "Orvane Labs")),
    ("Kestrel Cloud and Orvane Labs announced a partnership agreement.", ("contract", "Kestrel Cloud", "Orvane Labs")),
    # buying a company is not buying from it
    ("Orvane Labs agreed to buy Kestrel Cloud for $3 billion.", ("contract", "Orvane Labs", "Kestrel Cloud")),
    # spending on a supplier's chips is a purchase, not an investment in the supplier
    ("Kestrel Cloud is spending about $4 billion on Quillon Semiconductor processors.",
     ("investment", "Kestrel Cloud", "Quillon Semiconductor")),
    # the second holder of an elliptical list is not the first holder's holding
    ("Orvane Labs owns about 6% of Kestrel Cloud; Tessaro Networks owns about 4% and Marrow Capital about 2%.",
     ("ownership", "Tessaro Networks", "Marrow Capital")),
    # "its old rival" is not the company that owns the stake
    ("Orvane Labs' $2 billion investment in Kestrel Cloud gives it about 5% of its rival.",
     ("ownership", "Orvane Labs", "Orvane Labs")),
    # X accounted for N% of its revenue: the revenue is not X's
    ("Halden Power, Kestrel Cloud's largest customer, accounted for 48% of its revenue last year.",
     ("statistic", "Halden Power", None)),
    # a company's product is not its subsidiary
    ("Analysts compared Orvane Group's Kestrel Cloud investment with others.",
     ("ownership", "Orvane Group", "Kestrel Cloud")),
    # a person's company under a possessive is not a role without a person
    ("Kestrel Cloud's Ohio campus will open in May.", ("ownership", "Kestrel Cloud", "Ohio")),
    # a total of several companies is none of theirs alone
    ("Together, Kestrel Cloud, Orvane Labs and Tessaro Networks plan to spend more than $350 billion on data "
     "centers this year.", ("investment", "Kestrel Cloud", None)),
    # a financing deal is not a supply contract; working with regulators is no partnership
    ("Orvane Labs signed a $27 billion financing deal with Marrow Capital.", ("contract", "Orvane Labs", "Marrow Capital")),
    ("Kestrel Cloud is working with regulators and Orvane Labs' lawyers.", ("partnership", "Kestrel Cloud", "Orvane Labs")),
    # spending on buybacks is no investment (nor may the word-order patterns claim it)
    ("Kestrel Cloud spent $5 billion on share buybacks.", ("investment", "Kestrel Cloud", None)),
    # debt commitments are not compute purchases
    ("Tessaro Networks has roughly $20 billion of debt commitments.", ("contract", "Tessaro Networks", None)),
    # an officer introduced with another organization right before the name works there, not at the story's company
    ("Orvane Labs kept its forecast. Tessaro Networks CEO Maria Delgado said demand was strong.",
     ("role", "Maria Delgado", "Orvane Labs")),
]


@pytest.mark.parametrize(("text", "claim"), NEGATIVE)
def test_parse_near_misses(text, claim):
    assert claim not in pairs(text), found(text)


def test_one_stake_is_its_percentage_not_also_its_share_count():
    text = ("Quillon Semiconductor issued Tessaro Networks a warrant for up to 160 million Quillon shares, which "
            "could give Tessaro Networks a stake of roughly 10% in the company.")
    stakes = [c for c in claims_of(text) if c.type == "ownership"]
    assert [(c.subject.name, c.object.name, c.amount.unit) for c in stakes] == \
        [("Tessaro Networks", "Quillon Semiconductor", "percent")], found(text)


def test_a_changed_figure_is_claimed_not_the_one_it_changed_from():
    got = found("Orvane Labs' operating margin fell to 40% from 43%.")
    assert ("statistic", "Orvane Labs", None, 40, 40) in got and \
        not [c for c in got if c[3] == 43], got


def test_a_figureless_repeat_of_a_claim_with_a_figure_is_folded():
    text = ("Nortova Systems agreed to buy $5 billion of computing power from Kestrel Cloud.\n\n"
            "Nortova Systems signed the contract with Kestrel Cloud in June.")
    contracts = [c for c in claims_of(text) if c.type == "contract"]
    assert [(c.amount.min if c.amount else None) for c in contracts] == [5e9]


def test_modality_and_polarity_follow_the_shared_step():
    text = "Nortova Systems plans to invest up to $3 billion in Kestrel Cloud."
    assert one(text, "investment", "Nortova Systems", "Kestrel Cloud").modality == "planned"
    text = "Brightline Robotics holds warrants that could give it up to about 8% of Quillon Semiconductor."
    assert one(text, "ownership", "Brightline Robotics", "Quillon Semiconductor").modality == "hedged"
    text = "Kestrel Cloud forecast that revenue from its storage business would grow 20% to $4 billion."
    assert one(text, "statistic", "Kestrel Cloud", None).modality == "forecast"
    text = "Kestrel Cloud said it does not plan to invest in Ohio."
    assert one(text, "investment", "Kestrel Cloud", "Ohio").polarity == "negated"
    # an aside between subject and verb does not negate the verb
    text = ("Kestrel Cloud's remaining performance obligations, a measure of revenue that has not yet been "
            "booked, jumped 40% from a year earlier.")
    assert one(text, "statistic", "Kestrel Cloud", None).polarity == "affirmed"
    text = "Shareholders of Kestrel Cloud voted against Nortova Systems' proposed acquisition of the company."
    assert one(text, "ownership", "Nortova Systems", "Kestrel Cloud").polarity == "negated"


def test_a_description_given_by_an_apposition_is_that_entity_later():
    text = ("Marrow Ventures, the venture backed by Kestrel Cloud and Orvane Labs, plans to invest $5 billion in "
            "Ohio.\n\nOrvane Labs said it liked the plan.\n\nPriya Natarajan, a partner at Tessaro Networks, said "
            "Brightline Robotics would invest $1 billion in the venture.")
    assert ("investment", "Brightline Robotics", "Marrow Ventures") in pairs(text), found(text)


def test_without_a_parse_nothing_is_read():
    from kb.claims import en_parse
    from kb.claims.base import Sentence
    import spacy

    doc = spacy.blank("en")("Kestrel Cloud will invest $1 billion in Ohio.")
    assert en_parse.parse_claims(Sentence(doc.text, 0, doc, []), (0, len(doc.text))) == []


def test_lemmas_of_the_lexicon():
    from kb.claims.en_parse import lemma
    from kb import nlp

    doc = nlp.load_pipeline("en")("Kestrel committed funds, is spending more, supplies chips and signed contracts.")
    got = {t.text: lemma(t) for t in doc}
    assert got["spending"] == "spend" and got["supplies"] == "supply" and got["signed"] == "sign"
    assert got["contracts"] == "contract"


# Constructions of news English found on the dev split (issue #12), each in sentences of our own.
CONTEXT = [
    # an investing verb without a target invests in the company the sentence before is about, named here too
    ("Halden Power has grown fast. In May, Halden Power agreed to use up to 200,000 of Quillon Semiconductor's "
     "GPUs. In June, Orvane Labs and Tessaro Networks said they would invest up to $2 billion and up to $3 billion "
     "respectively, while Halden Power committed to buy $12 billion of Azure compute.",
     ("investment", "Tessaro Networks", "Halden Power", None, 3e9)),
    ("Halden Power has grown fast. In May, Halden Power agreed to use up to 200,000 of Quillon Semiconductor's "
     "GPUs. In June, Orvane Labs and Tessaro Networks said they would invest up to $2 billion and up to $3 billion "
     "respectively, while Halden Power committed to buy $12 billion of Azure compute.",
     ("investment", "Orvane Labs", "Halden Power", None, 2e9)),
    # "the supplier" / "the customer": the parties of the contract just told
    ("Quillon Semiconductor will supply Orvane Labs with 2 gigawatts of accelerators. In this case the supplier "
     "is not investing in the customer.", ("investment", "Quillon Semiconductor", "Orvane Labs", None, None)),
    # a stake written without its company is a stake in the company whose stake was just told
    ("Under the deal, Kestrel Cloud holds an investment in Marrow Robotics valued at about $9 billion, representing "
     "roughly 31%. The Larkspur Foundation, which controls the operating company, holds a stake of about 22%.",
     ("ownership", "Larkspur Foundation", "Marrow Robotics", 22, 22)),
    # a facility that comes online with (or is equipped with) a maker's chips: its owner buys them
    ("Tessaro Networks is expanding. The company said its Harbor datacenter in Dayton, Ohio, would come online "
     "next year with hundreds of thousands of Quillon Semiconductor chips.",
     ("contract", "Tessaro Networks", "Quillon Semiconductor", None, None)),
    ("Halden Power equipped its new campus in Arizona with 40,000 Quillon Semiconductor GPUs.",
     ("contract", "Halden Power", "Quillon Semiconductor", 40000, 40000)),
    # buying a brand's capacity is a purchase from its maker
    ("Kestrel Cloud buys Azure capacity that runs on Quillon Semiconductor hardware.",
     ("contract", "Kestrel Cloud", "Microsoft", None, None)),
    # the tagger reads "NetForge rents" as a noun compound: the coordinated to-phrase still rents from NetForge
    ("Meanwhile, NetForge rents Quillon-powered capacity to Orvane Labs, whose contracts with NetForge now total "
     "about $3 billion, and to Halden Power, which signed a deal worth up to $700 million.",
     ("contract", "Halden Power", "NetForge", None, 7e8)),
]


@pytest.mark.parametrize(("text", "claim"), CONTEXT)
def test_constructions_read_with_their_context(text, claim):
    assert claim in found(text), found(text)


@pytest.mark.parametrize(("text", "claim"), [
    # two budgets side by side: the other company spends too, it is not the target
    ("Marrow Robotics raised its spending forecast. Orvane Labs said it would invest $8 billion this year, while "
     "Marrow Robotics plans to spend $6 billion.", ("investment", "Orvane Labs", "Marrow Robotics")),
    # the company before is not named in the sentence: no target is guessed
    ("Marrow Robotics raised its spending forecast. Orvane Labs said it would invest $8 billion this year.",
     ("investment", "Orvane Labs", "Marrow Robotics")),
    # no contract told before: "the customer" is nobody
    ("Kestrel Cloud opened a campus in Ohio. Here the supplier is not investing in the customer.",
     ("investment", "Kestrel Cloud", None)),
    # no stake told before: a stake without its company is not guessed
    ("Kestrel Cloud opened a campus in Ohio. The Larkspur Foundation holds a stake of about 22%.",
     ("ownership", "Larkspur Foundation", "Kestrel Cloud")),
    # help from a company is not equipment bought from it
    ("Tessaro Networks said its datacenter in Ohio would come online next year with help from Quillon "
     "Semiconductor.", ("contract", "Tessaro Networks", "Quillon Semiconductor")),
    # buying a brand's capacity is not owning the brand
    ("Kestrel Cloud buys Azure capacity that runs on Quillon Semiconductor hardware.",
     ("ownership", "Kestrel Cloud", "Microsoft Azure")),
])
def test_context_constructions_near_misses(text, claim):
    assert claim not in pairs(text), found(text)


def test_a_company_bought_is_still_owned():
    assert ("ownership", "Orvane Labs", "Kestrel Cloud") in pairs("Orvane Labs bought Kestrel Cloud last year.")


# Wire-style stories of our own: datelines, "said on Tuesday", "according to people familiar", descriptions.
WIRE_ONE = """SEOUL, March 4 (Reuters) - Halvard Motors agreed to invest $3.5 billion in Brightwater Batteries, the two
companies said on Tuesday, as the automaker races to secure cell supply for its electric models.

The Swedish company will take a 20% stake in the battery maker under the agreement, according to people familiar with
the matter. Brightwater Batteries will build a $2 billion plant in Lansing, Michigan, that is due to start production
in 2027, the company said in a statement.

Brightwater Batteries raised $800 million from Orvane Capital and Tessaro Holdings last year. Orvane Capital owns
about 12% of the company.

"This partnership gives us the scale we need," said Lena Morel, chief executive of Halvard Motors.
"""

WIRE_TWO = """TAIPEI, June 10 (Bloomberg) - Kaimon Semiconductor signed a $4 billion, five-year deal with Orvane Labs to
supply advanced chips, the Taiwan-based company said on Wednesday.

Kaimon Semiconductor's revenue rose 18% to $9.6 billion in the second quarter, beating analyst estimates. The
chipmaker plans to spend about $12 billion on capital expenditures this year.

David Chen is CEO of Kaimon Semiconductor. The company's shares climbed 6% in Taipei trading.
"""

WIRE_THREE = """FRANKFURT, Nov 18 (Reuters) - Draxler Pharma is in talks to acquire Velmont Biotech for about $6 billion,
according to people familiar with the matter.

Draxler Pharma already owns 15% of Velmont Biotech, the people said. The German drugmaker's sales rose 7% to 11.2
billion euros last year.

Velmont Biotech chief executive Paul Brandt said the company would open a $300 million research center in Boston,
Massachusetts.
"""


WIRE_FOUR = """SAN FRANCISCO, Aug 5 (Reuters) - Lumora AI has raised $1.5 billion in a funding round led by Grayfield
Capital, valuing the startup at $20 billion, according to a person familiar with the matter.

Lumora AI plans to use the money to buy chips from Quillon Semiconductor, which agreed in May to supply the startup
with 100,000 accelerators.

TOKYO, Feb 12 (Reuters) - Sorano Electronics has signed a 10-year, $2.2 billion power purchase agreement with Hikari
Energy, it said. Sorano Electronics also owns a 35% stake in Hikari Energy.

Hikari Energy's net income fell 9% to 48 billion yen, the utility said.
"""


WIRE_FIVE = """LONDON, Jan 9 (Reuters) - Ferncastle Group said on Monday it had agreed to sell its 40% stake in Alder Rail
to Brookmere Infrastructure for 1.2 billion pounds.

Brookmere Infrastructure completed its $900 million acquisition of Tidewater Ports in December.

Ferncastle Group named Maria Lindqvist as chief executive, effective April 1. Separately, Orbis Defense appointed
Tom Barrow chief financial officer.
"""


@pytest.mark.parametrize(("text", "claim"), [
    # selling a stake: the seller's stake is denied (divested), the buyer takes it for the price
    (WIRE_FIVE, ("ownership", "Brookmere Infrastructure", "Alder Rail", 40, 40)),
    (WIRE_FIVE, ("investment", "Brookmere Infrastructure", "Alder Rail", 1.2e9, 1.2e9)),
    # an acquisition's price
    (WIRE_FIVE, ("ownership", "Brookmere Infrastructure", "Tidewater Ports", 9e8, 9e8)),
    # appointments
    (WIRE_FIVE, ("role", "Maria Lindqvist", "Ferncastle Group", None, None)),
    (WIRE_FIVE, ("role", "Tom Barrow", "Orbis Defense", None, None)),
    # a round led by an investor; "valuing the startup at $Z" is the startup's valuation
    (WIRE_FOUR, ("investment", "Grayfield Capital", "Lumora AI", 1.5e9, 1.5e9)),
    (WIRE_FOUR, ("statistic", "Lumora AI", None, 2e10, 2e10)),
    # "the startup" in a clause about the supplier is the buyer the sentence is about, not the supplier
    (WIRE_FOUR, ("contract", "Lumora AI", "Quillon Semiconductor", 1e5, 1e5)),
    (WIRE_FOUR, ("contract", "Sorano Electronics", "Hikari Energy", 2.2e9, 2.2e9)),
    (WIRE_FOUR, ("ownership", "Sorano Electronics", "Hikari Energy", 35, 35)),
    (WIRE_FOUR, ("statistic", "Hikari Energy", None, 9, 9)),
    (WIRE_ONE, ("investment", "Halvard Motors", "Brightwater Batteries", 3.5e9, 3.5e9)),
    (WIRE_ONE, ("ownership", "Halvard Motors", "Brightwater Batteries", 20, 20)),
    (WIRE_ONE, ("manufacturing", "Brightwater Batteries", "Lansing", None, None)),
    (WIRE_ONE, ("manufacturing", "Brightwater Batteries", "Michigan", None, None)),
    # raised from A and B: both invest (the parser read "A and B" as one name)
    (WIRE_ONE, ("investment", "Orvane Capital", "Brightwater Batteries", 8e8, 8e8)),
    (WIRE_ONE, ("investment", "Tessaro Holdings", "Brightwater Batteries", 8e8, 8e8)),
    (WIRE_ONE, ("ownership", "Orvane Capital", "Brightwater Batteries", 12, 12)),
    (WIRE_ONE, ("role", "Lena Morel", "Halvard Motors", None, None)),
    # a dateline before the subject; a deal "to supply" chips: the signer supplies
    (WIRE_TWO, ("contract", "Orvane Labs", "Kaimon Semiconductor", 4e9, 4e9)),
    (WIRE_TWO, ("statistic", "Kaimon Semiconductor", None, 18, 18)),
    (WIRE_TWO, ("statistic", "Kaimon Semiconductor", None, 9.6e9, 9.6e9)),
    (WIRE_TWO, ("investment", "Kaimon Semiconductor", None, 1.2e10, 1.2e10)),
    (WIRE_TWO, ("role", "David Chen", "Kaimon Semiconductor", None, None)),
    (WIRE_TWO, ("statistic", "Kaimon Semiconductor", None, 6, 6)),
    # a company named with a Biotech head; "the German drugmaker" is the company the story is about
    (WIRE_THREE, ("ownership", "Draxler Pharma", "Velmont Biotech", 15, 15)),
    (WIRE_THREE, ("statistic", "Draxler Pharma", None, 7, 7)),
    (WIRE_THREE, ("investment", "Velmont Biotech", "Boston", 3e8, 3e8)),
    (WIRE_THREE, ("role", "Paul Brandt", "Velmont Biotech", None, None)),
])
def test_wire_stories(text, claim):
    assert claim in found(text), found(text)


def test_wire_stories_near_misses():
    # the dateline's city is no party, and the deal's direction is not reversed
    assert not any("Taipei" in (s or "") for _, s, _o, _, _ in found(WIRE_TWO))
    assert ("contract", "Kaimon Semiconductor", "Orvane Labs") not in pairs(WIRE_TWO)
    # a deal to buy: the signer is the customer
    assert ("contract", "Kaimon Semiconductor", "Orvane Labs") in pairs(
        "Kaimon Semiconductor signed a $4 billion deal with Orvane Labs to buy servers.")
    # selling a stake is no supply contract; a sale agreed but not closed leaves the seller holding its stake
    # (as of the story), a sale done negates it
    assert not [c for c in claims_of(WIRE_FIVE) if c.type == "contract"]
    agreed = one(WIRE_FIVE, "ownership", "Ferncastle Group", "Alder Rail")
    assert (agreed.polarity, agreed.modality) == ("affirmed", "asserted")
    sold = one("Ferncastle Group sold its 40% stake in Alder Rail to Brookmere Infrastructure in March.",
               "ownership", "Ferncastle Group", "Alder Rail")
    assert sold.polarity == "negated"
    # hiring someone as a consultant gives no title
    assert not [c for c in claims_of("Ferncastle Group hired Maria Lindqvist as a consultant.") if c.type == "role"]
    # a supplier is not its own customer; a deal's value is not a company's valuation
    assert ("contract", "Quillon Semiconductor", "Quillon Semiconductor") not in pairs(WIRE_FOUR)
    assert not [c for c in claims_of("Analysts value the deal at $3 billion, Lumora AI said.") if c.type == "statistic"]
    # the plant is manufacturing there, and its price an investment there (as independent annotators read a
    # plant's price; session 8); a person's name is not a company
    assert ("manufacturing", "Brightwater Batteries", "Lansing") in pairs(WIRE_ONE)
    assert 2e9 in [c.amount.min for c in claims_of(WIRE_ONE) if c.type == "investment" and c.object is not None
                   and c.object.name == "Lansing" and c.amount is not None]
    assert all(s != "Velmont Biotech" for t, s, _o, _, _ in found(WIRE_THREE) if t == "role")


def test_the_two_firms_worked_together():
    text = "Kaimon Semiconductor signed a deal with Orvane Labs. The two firms have worked together since 2019."
    assert ("partnership", "Kaimon Semiconductor", "Orvane Labs") in pairs(text) or \
        ("partnership", "Orvane Labs", "Kaimon Semiconductor") in pairs(text), found(text)
    # "together" with no second company: no partnership
    assert not [c for c in claims_of("Kaimon Semiconductor said its engineers work together closely.")
                if c.type == "partnership"]


def test_a_plan_in_reported_speech_is_planned():
    text = "Orvane Labs and Tessaro Networks said they would invest $1 billion and $2 billion respectively in Kestrel Cloud."
    assert one(text, "investment", "Tessaro Networks", "Kestrel Cloud").modality == "planned"
    # the second clause of what was said: "said its site would open …, and that it would invest …"
    text = ("Kestrel Cloud is growing. The company said its campus in Dayton, Ohio, would open in May, and that it would "
            "invest an additional $3 billion in a second campus in the state.")
    assert one(text, "investment", "Kestrel Cloud", "Ohio").modality == "planned"
    # a conditional "would" is no plan
    text = "The agreement would require Kestrel Cloud to buy $2 billion of chips from Quillon Semiconductor."
    assert one(text, "contract", "Kestrel Cloud", "Quillon Semiconductor").modality != "planned"


WIRE_SIX = """PITTSBURGH, April 2 (Reuters) - Varuna Steel will acquire Kestrel Metals in a deal valued at $2.4 billion, the
companies said on Wednesday.

Varuna Steel will pay Tessaro Networks $500 million over five years for cloud services, according to a filing. The
steelmaker is investing $3 billion to build a new mill in Gary, Indiana.

Varuna Steel and Halden Power signed a memorandum of understanding to jointly develop a hydrogen plant.
"""


@pytest.mark.parametrize(("text", "claim"), [
    (WIRE_SIX, ("ownership", "Varuna Steel", "Kestrel Metals", 2.4e9, 2.4e9)),
    # paying a company for services is buying them from it
    (WIRE_SIX, ("contract", "Varuna Steel", "Tessaro Networks", 5e8, 5e8)),
    # investing to build a mill: the mill is a manufacturing site of the company "the steelmaker" stands for
    (WIRE_SIX, ("manufacturing", "Varuna Steel", "Indiana", None, None)),
    (WIRE_SIX, ("partnership", "Halden Power", "Varuna Steel", None, None)),
    ("Varuna Steel signed an agreement with Halden Power to co-develop batteries.",
     ("partnership", "Halden Power", "Varuna Steel", None, None)),
])
def test_wire_deals(text, claim):
    assert claim in found(text), found(text)


def test_wire_deals_near_misses():
    # damages are no purchase; an agreement to develop jointly is no supply contract; one to buy is
    assert not [c for c in claims_of("Varuna Steel will pay Tessaro Networks $50 million in damages.")
                if c.type == "contract"]
    assert ("contract", "Varuna Steel", "Halden Power") not in pairs(
        "Varuna Steel signed an agreement with Halden Power to co-develop batteries.")
    assert pairs("Varuna Steel signed an agreement with Halden Power to buy electricity.") == \
        {("contract", "Varuna Steel", "Halden Power")}
    # money spent to build a mill goes to the mill's place (the independent authors' reading, as for a site)
    assert {("investment", "Varuna Steel", "Gary"), ("investment", "Varuna Steel", "Indiana")} & pairs(WIRE_SIX)


def test_guidance_for_a_figure():
    text = "Marrow Digital, which reports in June, guided for capital spending of about $80 billion in fiscal 2026."
    assert one(text, "investment", "Marrow Digital", None).modality == "forecast"
    assert ("statistic", "Marrow Digital", None, 9e9, 9.5e9) in found(
        "Marrow Digital guided for revenue of $9 billion to $9.5 billion in the quarter.")
    # guiding investors is no figure
    assert not claims_of("Marrow Digital guided investors for a tough year, with $4 billion of debt.")


def test_modality_of_an_expectation_in_an_aside():
    text = "Suppose Kestrel Cloud's revenue, which the company expects to reach about $3 billion this year, grows slowly."
    assert one(text, "statistic", "Kestrel Cloud", None).modality == "forecast"
    text = "Kestrel Cloud's revenue, which rose 20% last year, is a record."
    assert one(text, "statistic", "Kestrel Cloud", None).modality == "asserted"


WIRE_SEVEN = """HSINCHU, Taiwan, July 17 (Reuters) - Kaimon Semiconductor said it would invest $100 billion in the
United States over four years. Its board also approved a $5 billion share buyback.

Kaimon Semiconductor agreed to buy a 9.9% stake in Veltra Memory for $1.3 billion, the companies said. Veltra Memory,
which is majority-owned by Halden Group, makes high-bandwidth memory chips in Boise, Idaho.
"""


@pytest.mark.parametrize(("text", "claim"), [
    (WIRE_SEVEN, ("investment", "Kaimon Semiconductor", "United States", 1e11, 1e11)),
    (WIRE_SEVEN, ("ownership", "Kaimon Semiconductor", "Veltra Memory", 9.9, 9.9)),
    (WIRE_SEVEN, ("investment", "Kaimon Semiconductor", "Veltra Memory", 1.3e9, 1.3e9)),
    (WIRE_SEVEN, ("ownership", "Halden Group", "Veltra Memory", None, None)),
    # the subject before a relative clause makes the chips; the city and the state written after it
    (WIRE_SEVEN, ("manufacturing", "Veltra Memory", "Boise", None, None)),
    (WIRE_SEVEN, ("manufacturing", "Veltra Memory", "Idaho", None, None)),
])
def test_wire_holdings(text, claim):
    assert claim in found(text), found(text)


def test_wire_holdings_near_misses():
    # a buyback is no investment; the holder in the relative clause makes nothing
    assert ("investment", "Kaimon Semiconductor", None) not in pairs(WIRE_SEVEN)
    assert not [c for c in claims_of(WIRE_SEVEN) if c.type == "manufacturing" and c.subject.name == "Halden Group"]
    # a state not written after the city is not added
    assert ("manufacturing", "Veltra Memory", "Idaho") not in pairs("Veltra Memory makes memory chips in Boise.")


def test_a_company_reporting_its_results_is_no_report():
    text = "Kaimon Semiconductor reported net income of $12.8 billion for the second quarter."
    assert one(text, "statistic", "Kaimon Semiconductor", None).modality == "asserted"
    # a news outlet's report still is one
    text = "The Wall Street Journal reported that Kaimon Semiconductor would invest $5 billion in Arizona."
    assert one(text, "investment", "Kaimon Semiconductor", "Arizona").modality == "reported"


def test_a_reported_figure_and_its_change():
    text = "Kaimon Semiconductor reported net income of $12.8 billion for the second quarter, up 61% from a year earlier."
    assert ("statistic", "Kaimon Semiconductor", None, 61, 61) in found(text), found(text)
    assert ("statistic", "Kaimon Semiconductor", None, 1.28e10, 1.28e10) in found(text), found(text)
    # another clause's change is not the reported figure's
    text = "Kaimon Semiconductor reported revenue of $3 billion, and Orvane Labs said its costs were up 4%."
    assert ("statistic", "Kaimon Semiconductor", None, 4, 4) not in found(text), found(text)


def test_investors_who_took_part_in_a_round():
    text = ("Lumora AI has raised $1.5 billion in a funding round led by Grayfield Capital. Existing investor "
            "Castellan Partners also took part in the round, the person said.")
    assert ("investment", "Castellan Partners", "Lumora AI", None, None) in found(text), found(text)
    text = ("Lumora AI has raised $1.5 billion in a funding round led by Grayfield Capital. Castellan Partners and "
            "Orvane Capital participated in the financing.")
    assert ("investment", "Orvane Capital", "Lumora AI", None, None) in found(text), found(text)
    # no round told before; taking part in talks is no investment
    assert not claims_of("Lumora AI opened an office. Castellan Partners also took part in the round.")
    assert ("investment", "Castellan Partners", "Lumora AI") not in pairs(
        "Lumora AI raised $2 billion. Castellan Partners took part in the talks.")




# Factories and their places, found on independently written articles (issue #12); sentences of our own.
FACTORIES = [
    # a pronoun subject, a coordinated verb, a plant built
    ("Halvik Systems is based in Boise. It produces the pumps at a factory in Eagan, Minnesota, and is building a "
     "second plant in Monterrey, Mexico.", ("manufacturing", "Halvik Systems", "Eagan", None, None)),
    ("Halvik Systems is based in Boise. It produces the pumps at a factory in Eagan, Minnesota, and is building a "
     "second plant in Monterrey, Mexico.", ("manufacturing", "Halvik Systems", "Mexico", None, None)),
    # a relative clause; output grown at a fab; a production line added; most of its products
    ("Brontec Devices, which makes GaN chips at its plant in Villach, Austria, also supplies Halvik Systems.",
     ("manufacturing", "Brontec Devices", "Austria", None, None)),
    ("Brontec Devices will spend $900 million to expand chip production at its fab in Essex Junction, Vermont.",
     ("manufacturing", "Brontec Devices", "Vermont", None, None)),
    ("Brontec Devices plans to add a second production line at its existing facility in Monterrey, Mexico.",
     ("manufacturing", "Brontec Devices", "Monterrey", None, None)),
    ("Brontec Devices has grown fast. The company currently builds most of its power products in Thailand.",
     ("manufacturing", "Brontec Devices", "Thailand", None, None)),
    # the money of "invest $X to build a plant in P" goes to the place
    ("Halvik Systems said it will invest $300 million to build a new manufacturing plant in Pelham, Alabama.",
     ("investment", "Halvik Systems", "Alabama", 3e8, 3e8)),
]

FACTORY_NEAR_MISSES = [
    # building out capacity is no factory; making an offer or making it easy makes nothing
    ("Halvik Systems is building out GPU capacity at its campuses in Texas.", ("manufacturing", "Halvik Systems", "Texas")),
    ("Halvik Systems made an offer for a rival in Texas.", ("manufacturing", "Halvik Systems", "Texas")),
    ("Halvik Systems makes it easy to cool racks in Texas.", ("manufacturing", "Halvik Systems", "Texas")),
    # money for hiring is not money for a plant's place
    ("Halvik Systems will invest $300 million to hire engineers in Pelham, Alabama.",
     ("investment", "Halvik Systems", "Alabama")),
    # buying a company's chips is not buying the company
    ("Orvane Labs agreed to buy Kestrel Cloud's newest chips.", ("ownership", "Orvane Labs", "Kestrel Cloud")),
]


@pytest.mark.parametrize(("text", "claim"), FACTORIES)
def test_factory_constructions(text, claim):
    assert claim in found(text), found(text)


@pytest.mark.parametrize(("text", "claim"), FACTORY_NEAR_MISSES)
def test_factory_near_misses(text, claim):
    assert claim not in pairs(text), found(text)


# Takeover talks and bids, and lists after "include" (issue #12); sentences of our own.
DEALS = [
    # "in talks to acquire Y for $Z": the buyer's ownership to be (an acquisition is ownership, not investment)
    ("Orvane Labs is in advanced talks to acquire Kestrel Cloud, a maker of pumps, for about $2.3 billion, "
     "according to people familiar with the matter.", ("ownership", "Orvane Labs", "Kestrel Cloud", 2.3e9, 2.3e9)),
    # a bid pursued or made
    ("Tessaro Networks made an offer for Kestrel Cloud last week.",
     ("investment", "Tessaro Networks", "Kestrel Cloud", None, None)),
    # the list after "include": customers buy from the owner, backers invest in it
    ("Halvik Systems makes pumps. Its customers include Orvane Labs and Tessaro Networks.",
     ("contract", "Tessaro Networks", "Halvik Systems", None, None)),
    ("Customers of Halvik Systems include Orvane Labs.", ("contract", "Orvane Labs", "Halvik Systems", None, None)),
    ("Halvik Systems makes pumps. Its investors include Orvane Labs.",
     ("investment", "Orvane Labs", "Halvik Systems", None, None)),
]

DEAL_NEAR_MISSES = [
    # pursuing growth or a partnership, an offer for land, talks about a partnership: no bid for a company
    ("Tessaro Networks is pursuing a partnership with Kestrel Cloud.", ("investment", "Tessaro Networks", "Kestrel Cloud")),
    ("Tessaro Networks is in talks with Kestrel Cloud about a partnership.",
     ("ownership", "Tessaro Networks", "Kestrel Cloud")),
    # a list after "include" that is not of customers or backers
    ("Analysts said Halvik Systems's risks include Orvane Labs.", ("contract", "Orvane Labs", "Halvik Systems")),
    # buying a company's chips for a sum owns nothing of it
    ("Orvane Labs agreed to buy Kestrel Cloud's chips for $2 billion.", ("ownership", "Orvane Labs", "Kestrel Cloud")),
]


@pytest.mark.parametrize(("text", "claim"), DEALS)
def test_deal_constructions(text, claim):
    assert claim in found(text), found(text)


@pytest.mark.parametrize(("text", "claim"), DEAL_NEAR_MISSES)
def test_deal_near_misses(text, claim):
    assert claim not in pairs(text), found(text)


def test_a_bid_given_up_or_denied_is_negated():
    for text in ("Tessaro Networks, which had also been weighing a bid, is no longer pursuing Kestrel Cloud.",
                 "Tessaro Networks denied a report that it had made an offer for Kestrel Cloud."):
        bids = [c for c in claims_of(text) if c.type == "investment" and c.subject.name == "Tessaro Networks"]
        assert bids and all(c.polarity == "negated" for c in bids), found(text)


def test_a_first_word_the_article_writes_alone_is_the_company():
    text = ("Tessaro Networks eyed Halvik Thermal Group.\n\nDenver-based Halvik makes pumps.\n\n"
            "Orvane Labs is no longer pursuing Halvik, people said.\n")
    bids = {(c.subject.name, c.object.name) for c in claims_of(text) if c.type == "investment"}
    assert ("Orvane Labs", "Halvik Thermal Group") in bids, found(text)
    # two companies sharing the word leave it alone
    text = "Orvane Labs and Orvane Capital met.\n\nDenver-based Orvane said little.\n"
    assert not any(c.subject.name == "Orvane" for c in claims_of(text))


# Figures of the story's company (issue #12); sentences of our own.
FIGURES = [
    # a bare figure opening a sentence after the company was the subject
    ("Halvik Systems reported results. Third-quarter revenue grew 310% year on year to $612 million.",
     ("statistic", "Halvik Systems", None, 612e6, 612e6)),
    ("Halvik Systems reported results. Revenue for the fiscal first quarter climbed to $673 million, according to "
     "LSEG data.", ("statistic", "Halvik Systems", None, 673e6, 673e6)),
    # a loss that narrowed; a round valuing the company; a share of its own sales
    ("Halvik Systems said its net loss narrowed to $38 million from $52 million a year earlier.",
     ("statistic", "Halvik Systems", None, 38e6, 38e6)),
    ("Halvik Systems raised $1.1 billion in a funding round, valuing the company at $9 billion.",
     ("statistic", "Halvik Systems", None, 9e9, 9e9)),
    ("Halvik Systems is based in Ohio. The company generates about 40% of its sales in the Americas.",
     ("statistic", "Halvik Systems", None, 40.0, 40.0)),
]

FIGURE_NEAR_MISSES = [
    # after a subject naming two companies, a bare figure is neither's
    ("Orvane Labs and Tessaro Networks signed deals. Third-quarter revenue grew 310% to $612 million.",
     ("statistic", "Orvane Labs", None)),
    # a market's revenue is not the company's
    ("Halvik Systems reported results. Industry revenue rose 12% in the quarter.", ("statistic", "Halvik Systems", None)),
    ("Halvik Systems reported results. Global revenue for the chip industry rose 12%.",
     ("statistic", "Halvik Systems", None)),
    # being committed to sums is holding obligations, not investing
    ("Orvane Labs and Tessaro Networks are committed to $17 billion and $9 billion, respectively.",
     ("investment", "Orvane Labs", None)),
]


@pytest.mark.parametrize(("text", "claim"), FIGURES)
def test_figure_constructions(text, claim):
    assert claim in found(text), found(text)


@pytest.mark.parametrize(("text", "claim"), FIGURE_NEAR_MISSES)
def test_figure_near_misses(text, claim):
    assert claim not in pairs(text), found(text)


# Readings left alone (issue #12): an ambiguous "its", a facility told again in apposition.
AMBIGUOUS_NEAR_MISSES = [
    ("Halvik Systems announced an agreement to supply pumps to Orvane Labs for its AI campuses in North Dakota.",
     ("investment", "Halvik Systems", "North Dakota")),
    ("Halvik Systems will assemble racks at a new factory in Plano, Texas, its first large manufacturing site in the "
     "United States.", ("investment", "Halvik Systems", "United States")),
    ("Halvik Systems will assemble racks at a new factory in Plano, Texas, its first large manufacturing site in the "
     "United States.", ("manufacturing", "Halvik Systems", "United States")),
]


@pytest.mark.parametrize(("text", "claim"), AMBIGUOUS_NEAR_MISSES)
def test_ambiguous_near_misses(text, claim):
    assert claim not in pairs(text), found(text)


def test_its_with_no_other_company_before_is_the_subject():
    assert ("investment", "Halvik Systems", "Ohio") in pairs("Halvik Systems said its data center in Ohio will open.")


# Supply contracts and rounds (issue #12); sentences of our own.
SUPPLY_AND_ROUNDS = [
    # "a contract to provide Y with …": the signer supplies Y, and the contract's figure is the deal's
    ("Halvik Systems also said it had signed a five-year, $5.4 billion contract to provide Orvane Labs with access to "
     "dedicated GPU clusters.", ("contract", "Orvane Labs", "Halvik Systems", 5.4e9, 5.4e9)),
    # participants in a round invest too, without the round's total
    ("Halvik Systems said it had raised $1.1 billion in a funding round led by Orvane Capital, with participation "
     "from Tessaro Ventures and Marrow Partners.", ("investment", "Marrow Partners", "Halvik Systems", None, None)),
    ("Halvik Systems said it had raised $1.1 billion in a funding round led by Orvane Capital, with participation "
     "from Tessaro Ventures and Marrow Partners.", ("investment", "Orvane Capital", "Halvik Systems", 1.1e9, 1.1e9)),
    # a list the parser hangs as a compound of its last name
    ("Halvik Systems plans to build data centers. Its customers include Anthropic and Mistral AI.",
     ("contract", "Anthropic", "Halvik Systems", None, None)),
]


@pytest.mark.parametrize(("text", "claim"), SUPPLY_AND_ROUNDS)
def test_supply_and_round_constructions(text, claim):
    assert claim in found(text), found(text)


def test_a_participant_is_not_given_the_rounds_total():
    text = ("Halvik Systems said it had raised $1.1 billion in a funding round led by Orvane Capital, with "
            "participation from Tessaro Ventures.")
    assert ("investment", "Tessaro Ventures", "Halvik Systems", 1.1e9, 1.1e9) not in found(text), found(text)


def test_a_name_inside_the_facility_phrase_leaves_its_to_the_subject():
    text = "Halvik Systems said its Kestrel AI datacenter in Columbus, Ohio, would open in May."
    assert ("investment", "Halvik Systems", "Columbus") in pairs(text), found(text)


def test_the_next_sentence_can_give_the_deals_figure():
    text = ("Halvik Systems announced an agreement to supply pumps to Orvane Labs. The agreement is valued at more "
            "than $1 billion, and deliveries begin in 2027.")
    assert ("contract", "Orvane Labs", "Halvik Systems", 1e9, None) in found(text), found(text)
    # two deals before: the figure is neither's; a deal with its own figure keeps it
    two = ("Halvik Systems announced an agreement to supply pumps to Orvane Labs and Tessaro Networks. The agreement "
           "is valued at more than $1 billion.")
    assert all(c.amount is None for c in claims_of(two) if c.type == "contract"), found(two)
    own = ("Halvik Systems signed a $2 billion agreement to supply pumps to Orvane Labs. The agreement is valued at "
           "more than $1 billion.")
    assert ("contract", "Orvane Labs", "Halvik Systems", 2e9, 2e9) in found(own), found(own)


def test_a_share_of_the_total_is_the_story_companys():
    text = "Halvik Systems said revenue rose. Cloud services accounted for 62% of the total, up from a fifth."
    assert ("statistic", "Halvik Systems", None, 62.0, 62.0) in found(text), found(text)
    two = "Orvane Labs and Halvik Systems merged. Cloud services accounted for 62% of the total."
    assert not any(c.type == "statistic" and c.subject is not None for c in claims_of(two)), found(two)


@pytest.mark.parametrize(("text", "claim"), [
    ("Halvik Systems received $50 million in grants from the U.S. Department of Energy.",
     ("investment", "United States Department of Energy", "Halvik Systems", 5e7, 5e7)),
    ("Halvik Systems will expand its fab. The project includes $120 million in incentives from the U.S. Department "
     "of Commerce.", ("investment", "United States Department of Commerce", "Halvik Systems", 1.2e8, 1.2e8)),
])
def test_public_money_given_to_a_company(text, claim):
    assert claim in found(text), found(text)


def test_public_money_of_a_project_after_two_companies_is_nobodys():
    text = ("Orvane Labs and Halvik Systems merged. The project includes $120 million in incentives from the U.S. "
            "Department of Commerce.")
    assert not any(c.type == "investment" for c in claims_of(text)), found(text)


@pytest.mark.parametrize(("text", "claim"), [
    ("Halvik Systems counts Orvane Labs and Tessaro Networks among its customers.",
     ("contract", "Tessaro Networks", "Halvik Systems", None, None)),
    ("Halvik Systems sells pumps. Its suppliers include Orvane Labs.", ("contract", "Halvik Systems", "Orvane Labs", None, None)),
])
def test_counted_among_and_supplier_lists(text, claim):
    assert claim in found(text), found(text)


@pytest.mark.parametrize("text", [
    "Halvik Systems counts Orvane Labs among its rivals.",
    "Its rivals include Orvane Labs and Kestrel Cloud.",
    "Orvane Labs is pursuing Kestrel Cloud's customers in Europe.",
])
def test_lists_of_rivals_name_no_deal(text):
    assert not claims_of(text), found(text)


def test_a_government_pursuing_a_company_makes_no_bid():
    text = "The U.S. Department of Justice is pursuing Kestrel Cloud over its pricing."
    assert not any(c.type == "investment" for c in claims_of(text)), found(text)


# "…, the company said" closes a sentence about its subject, not about the last company named (found on an
# independently written wire story); our own sentences.
def test_the_company_said_after_a_deal_is_the_deal_s_subject():
    text = ("OSLO, March 3 (Reuters) - Norwegian AI cloud startup Fjordline Compute has signed a $900 million deal "
            "to supply GPU capacity to Brisa Labs, the company said on Monday.\n\n"
            "The Oslo-based company also said it had raised $200 million from investors including Kestrel Capital.")
    got = pairs(text)
    assert ("investment", "Kestrel Capital", "Fjordline Compute") in got, got
    assert not {c for c in got if c[0] == "investment" and c[2] == "Brisa Labs"}, got
    assert "Norwegian AI" not in {n for _, s, o in got for n in (s, o)}


def test_an_apposition_still_names_the_company_before_it():
    # "Brisa Labs, the company behind …" is an apposition (no verb of its own): the description is Brisa Labs
    got = pairs("Fjordline Compute will supply Brisa Labs, the company behind the Skald models, with GPUs.")
    assert ("contract", "Brisa Labs", "Fjordline Compute") in got, got


def test_a_gapped_second_purchase_names_its_sellers():
    text = "Halvik Systems buys GPUs from Orvane Labs and racks from Tessaro Networks and Marrow Systems."
    assert {("contract", "Halvik Systems", "Tessaro Networks"), ("contract", "Halvik Systems", "Marrow Systems")} <= \
        pairs(text), found(text)
    # a second verb of its own is no gapped purchase
    other = "Halvik Systems buys GPUs from Orvane Labs and hires engineers from Tessaro Networks."
    assert ("contract", "Halvik Systems", "Tessaro Networks") not in pairs(other), found(other)


# A company figure written without its company (found on an unseen article set); sentences of our own.
def test_a_figure_of_the_one_company_its_sentence_names():
    got = found("Harlow Power said data-center customers now make up about 18% of its contracted load.")
    assert any(t == "statistic" and s == "Harlow Power" for t, s, *_ in got), got
    got = found("Harlow Power and Ostrava Networks said demand makes up about 18% of the regional load.")
    assert not any(t == "statistic" and s is not None for t, s, *_ in got), got
    got = found("Analysts expect the market for cooling gear to grow about 45% next year.")
    assert not any(t == "statistic" and s is not None for t, s, *_ in got), got


def test_a_customer_named_after_the_copula_is_a_contract_with_the_noun_s_owner():
    # "Its biggest customer is X" as "X is its biggest customer" (found on an unseen article; our own sentences)
    got = pairs("Halvik Systems grew fast. Its biggest customer this year is Orvane Labs.")
    assert ("contract", "Orvane Labs", "Halvik Systems") in got, got
    got = pairs("Halvik Systems grew fast. Its biggest problem this year is Orvane Labs.")
    assert not [c for c in got if c[0] == "contract"], got


def test_a_heading_that_is_only_a_name_is_what_the_section_is_about():
    text = ("Orvane Labs buys most of its racks from Tessaro Networks.\n\n**Halvik Systems.**\n\n"
            "Its biggest customer this year is Brontec Devices.")
    got = pairs(text)
    assert ("contract", "Brontec Devices", "Halvik Systems") in got, got
    assert ("contract", "Brontec Devices", "Orvane Labs") not in got, got


def test_a_person_s_company_is_the_company_they_run():
    text = ("Orvane Labs buys racks from Tessaro Networks. Jensen Huang's company still designs most of its chips in "
            "Santa Clara. Its biggest customer this year is Brontec Devices.")
    got = pairs(text)
    assert ("contract", "Brontec Devices", "Nvidia") in got, got


def test_a_company_that_declined_to_comment_is_not_the_company_of_the_next_sentence():
    for aside in ("Orvane Labs declined to comment.", "Orvane Labs did not immediately respond to a request for comment."):
        text = (f"Halvik Systems plans to spend $900 million on a plant in Ohio, people said. {aside} "
                "The company already runs a plant in Monterrey, Mexico.")
        makers = {c.subject.name for c in claims_of(text) if c.type == "manufacturing"}
        assert makers == {"Halvik Systems"}, found(text)
        text = (f"Halvik Systems, which builds racks for Orvane Labs, said it would invest. {aside}\n\n"
                "The company already runs an assembly site in Fremont, California, and expanded its plant in "
                "Monterrey, Mexico, last year.")
        makers = {c.subject.name for c in claims_of(text) if c.type == "manufacturing"}
        assert makers == {"Halvik Systems"}, found(text)
    # a sentence in which the other company acts still makes it the company
    text = ("Halvik Systems plans to spend $900 million on a plant in Ohio. Orvane Labs signed a supply deal. "
            "The company already runs a plant in Monterrey, Mexico.")
    # (money spent on the Ohio plant is Halvik's planned manufacturing there; the Mexico plant is Orvane's)
    assert {c.subject.name for c in claims_of(text) if c.type == "manufacturing" and c.object.name == "Mexico"} == \
        {"Orvane Labs"}, found(text)


def test_a_bare_title_belongs_to_the_sentences_main_subject_and_never_to_a_public_body():
    text = ("Halvik Data has signed a long-term lease with Orvane Labs, which will occupy the first two buildings, "
            "company vice president Mara Quill confirmed to the board.")
    roles = {(c.subject.name, c.object.name) for c in claims_of(text) if c.type == "role"}
    assert roles == {("Mara Quill", "Halvik Data")}, found(text)
    text = ("Halvik Data will build the campus for Orvane Labs. \"It is a big day,\" said board chair Tessa Brandt, "
            "who voted in favor.")
    assert not [c for c in claims_of(text) if c.type == "role"], found(text)
# --- places written as adjectives, and prepositional phrases coordinated across an aside ----------------------
@pytest.mark.parametrize(("text", "claim"), [
    # a place adjective on a site, plant or capacity noun locates it in the country
    ("Brontec Devices said it would spend $700 million on expanding Canadian capacity next year.",
     ("investment", "Brontec Devices", "Canada")),
    ("Brontec Devices will invest $90 million in its German operations.", ("investment", "Brontec Devices", "Germany")),
    ("Brontec Devices makes most of its servers at its Vietnamese plants.",
     ("manufacturing", "Brontec Devices", "Vietnam")),
    # "in A, through a contract maker, and in B", "in A, in B, and at its plant in C": every place
    ("Brontec Devices assembles its servers in Lyon, France, through a contract manufacturer, and in Austin, Texas.",
     ("manufacturing", "Brontec Devices", "Texas")),
    ("Brontec Devices assembles its servers in Lyon, France, in Austin, Texas, and at its plant in Malaysia.",
     ("manufacturing", "Brontec Devices", "Malaysia")),
])
def test_place_adjectives_and_coordinated_place_phrases(text, claim):
    assert claim in pairs(text), found(text)


@pytest.mark.parametrize(("text", "claim"), [
    # the adjective describes a company, not where a site is
    ("Brontec Devices, a Canadian company, said it would spend $700 million on a new data center.",
     ("investment", "Brontec Devices", "Canada")),
    ("Brontec Devices will invest $90 million in a German startup.", ("investment", "Brontec Devices", "Germany")),
    # a coordinated phrase that is not a place phrase adds no site
    ("Brontec Devices assembles its servers in Lyon, France, through a contract manufacturer, and with Orvane Labs.",
     ("manufacturing", "Brontec Devices", "Orvane Labs")),
])
def test_place_adjective_near_misses(text, claim):
    assert claim not in pairs(text), found(text)


def test_the_site_a_sentence_before_placed_is_where_the_money_goes():
    text = ("Brontec Devices will serve the customer mostly from a new data center campus it plans to build in "
            "Cobb County, Georgia. The company said it would invest about $3 billion in the first phase of the campus.")
    assert ("investment", "Brontec Devices", "Georgia") in pairs(text), found(text)
    # an indefinite site is not the one told before
    text = ("Brontec Devices will serve the customer mostly from a new data center campus it plans to build in "
            "Cobb County, Georgia. The company said it would invest about $3 billion in the first phase of a campus.")
    assert ("investment", "Brontec Devices", "Georgia") not in pairs(text), found(text)


@pytest.mark.parametrize(("text", "claim"), [
    # a part making up a share of a whole: the whole's owner, else the part's, else the story's company
    ("Halvik Labs is the one to beat. It assembles servers in Ohio. Its cloud and networking products now make up "
     "about 35% of group revenue.", ("statistic", "Halvik Labs", None, 35, 35)),
    ("Halvik Labs had a good quarter. Data-center products made up about 70% of the total.",
     ("statistic", "Halvik Labs", None, 70, 70)),
    ("Halvik Labs had a good quarter. Licensing fees represented 12% of Orvane Systems' revenue.",
     ("statistic", "Orvane Systems", None, 12, 12)),
    # "reported revenue of $N, up M% from a year earlier": the change hangs on the metric
    ("Halvik Labs had a good quarter. The company reported revenue of $2.1 billion, up 40% from a year earlier and "
     "ahead of estimates.", ("statistic", "Halvik Labs", None, 40, 40)),
])
def test_parts_of_a_whole_and_changes_on_the_metric(text, claim):
    assert claim in found(text), found(text)


def test_a_part_of_a_whole_needs_one_company_in_focus():
    # two companies before: the bare total is nobody's
    got = found("Halvik Labs and Orvane Systems are committed to the region. Data-center products made up about 70% "
                "of the total.")
    assert not [c for c in got if c[0] == "statistic" and c[3] == 70 and c[1] is not None], got


def test_its_after_a_speaker_and_a_thing_named_after_a_company_is_the_speaker_s():
    text = "Halvik Labs said the Orvane Systems contract would lift its revenue backlog to about $40 billion."
    got = found(text)
    assert ("statistic", "Halvik Labs", None, 40e9, 40e9) in got, got
    assert not [c for c in got if c[0] == "statistic" and c[1] == "Orvane Systems"], got


def test_a_known_person_s_company_and_an_executive_telling_analysts_are_roles():
    # people.csv ties Jensen Huang to Nvidia
    got = pairs("Orvane Labs buys racks from Tessaro Networks. Jensen Huang's company still designs most of its "
                "chips in Santa Clara.")
    assert ("role", "Jensen Huang", "Nvidia") in got, got
    got = pairs("Nvidia had a strong year. Nvidia sells chips to everyone. Jensen Huang told analysts that demand "
                "would grow.")
    assert ("role", "Jensen Huang", "Nvidia") in got, got
    # telling analysts in a passage about another company says nothing of a role
    got = pairs("Orvane Labs had a strong year. Jensen Huang told analysts that demand would grow.")
    assert not [c for c in got if c[0] == "role"], got
    # an unknown person's company is nobody's role
    got = pairs("Orvane Labs had a strong year. Maria Delgado's company still designs chips in Austin.")
    assert not [c for c in got if c[0] == "role"], got


@pytest.mark.parametrize(("text", "claim"), [
    ("Halvik Labs does its assembly in Penang, Malaysia.", ("manufacturing", "Halvik Labs", "Malaysia")),
    ("Orvane Labs buys racks from Tessaro Networks. Jensen Huang's company still does much of its building at home "
     "in Austin, Texas, and in Taiwan.", ("manufacturing", "Nvidia", "Taiwan")),
    ("Orvane Labs buys racks from Tessaro Networks. Jensen Huang's company still does much of its building at home "
     "in Austin, Texas, and in Taiwan.", ("manufacturing", "Nvidia", "Texas")),
])
def test_making_a_company_does_somewhere(text, claim):
    assert claim in pairs(text), found(text)


@pytest.mark.parametrize("text", [
    "Halvik Labs does business in Penang, Malaysia.",
    "Halvik Labs did the building of the road in Penang, Malaysia.",
])
def test_doing_something_else_somewhere_is_no_manufacturing(text):
    assert not [c for c in pairs(text) if c[0] == "manufacturing"], found(text)


def test_bare_shares_in_a_passage_about_one_company_are_its_shares():
    got = found("Halvik Labs expects revenue of $2 billion next quarter. Shares rose about 9% in after-hours trading.")
    assert ("statistic", "Halvik Labs", None, 9, 9) in got, got
    # shares of a group are nobody's (and a place adjective is no company)
    got = found("Halvik Labs expects revenue of $2 billion next quarter. Shares of Asian chipmakers rose about 9%.")
    assert not [c for c in got if c[0] == "statistic" and c[3] == 9 and c[1] is not None], got


def test_a_figure_an_officer_states_is_their_company_s():
    got = found("Halvik Labs expects revenue of $2 billion, and CFO Maria Delgado said backlog stood at $9.8 billion "
                "at quarter-end.")
    assert ("statistic", "Halvik Labs", None, 9.8e9, 9.8e9) in got, got
    # a person nobody tied to a company states nobody's figure
    got = found("Maria Delgado said backlog stood at $9.8 billion at quarter-end.")
    assert not [c for c in got if c[0] == "statistic" and c[1] is not None], got
def test_a_deal_with_money_and_power_carries_the_money():
    got = found("Brightwater Cloud said it had signed a six-year, $12 billion agreement to provide Halvard Labs with "
                "about 900 megawatts of computing capacity.")
    assert ("contract", "Halvard Labs", "Brightwater Cloud", 12e9, 12e9) in got, got
    # near miss: no price written, the power is the deal's only figure
    got = found("Brightwater Cloud agreed to provide Halvard Labs with about 900 megawatts of computing capacity.")
    assert not any(t == "contract" and lo == 12e9 for t, s, o, lo, hi in got), got
    assert ("contract", "Halvard Labs", "Brightwater Cloud") in {g[:3] for g in got}, got


def test_a_deal_with_someone_takes_the_direction_the_article_told():
    # the signer was told supplying (this sentence or one before): its other deals are supplies too
    got = pairs("Brightwater Cloud signed an agreement to provide Halvard Labs with capacity, its largest contract "
                "after its deals with Quenby Systems and Marlow Networks.")
    assert ("contract", "Quenby Systems", "Brightwater Cloud") in got, got
    assert ("contract", "Marlow Networks", "Brightwater Cloud") in got, got
    assert ("contract", "Brightwater Cloud", "Quenby Systems") not in got, got
    got = pairs("Brightwater Cloud agreed to provide Halvard Labs with GPU servers. "
                "Weeks later, Brightwater Cloud signed a $2 billion contract with Quenby Systems.")
    assert ("contract", "Quenby Systems", "Brightwater Cloud") in got, got
    # near miss: nothing told about either side, the signer stays the customer
    got = pairs("Brightwater Cloud signed a $2 billion contract with Quenby Systems.")
    assert ("contract", "Brightwater Cloud", "Quenby Systems") in got, got
    # near miss: a signer told buying stays the customer
    got = pairs("Brightwater Cloud buys chips from Halvard Labs. It also signed a contract with Quenby Systems.")
    assert ("contract", "Brightwater Cloud", "Quenby Systems") in got, got


def test_a_list_followed_by_both_of_which_holds_stakes():
    got = pairs("Halvard Labs leases servers from Quenby Systems and Marlow Networks, both of which hold small "
                "stakes in the startup.")
    assert ("ownership", "Quenby Systems", "Halvard Labs") in got, got
    assert ("ownership", "Marlow Networks", "Halvard Labs") in got, got
    got = pairs("Halvard Labs was founded by Quenby Systems and Marlow Networks, each of which owns about 20% of "
                "the startup.")
    assert ("ownership", "Marlow Networks", "Halvard Labs") in got, got
    # near miss: "neither of which" owns nothing
    got = pairs("Halvard Labs leases servers from Quenby Systems and Marlow Networks, neither of which holds a "
                "stake in the startup.")
    assert not [c for c in got if c[0] == "ownership"], got


def test_one_of_a_company_s_customers_or_suppliers():
    assert ("contract", "Quenby Systems", "Halvard Labs") in pairs(
        "Quenby Systems remains one of Halvard Labs' largest customers for hosted capacity.")
    assert ("contract", "Halvard Labs", "Quenby Systems") in pairs(
        "Quenby Systems, one of Halvard Labs' biggest suppliers, raised its prices.")
    # near miss: one of the largest customers of nobody named
    assert not [c for c in pairs("Quenby Systems is one of the largest customers in Ohio.") if c[0] == "contract"]


def test_deals_paired_respectively():
    got = pairs("Quenby Systems and Marlow Networks signed supply agreements with Halvard Labs and Brightwater "
                "Cloud, respectively.")
    assert ("contract", "Quenby Systems", "Halvard Labs") in got, got
    assert ("contract", "Marlow Networks", "Brightwater Cloud") in got, got
    assert ("contract", "Quenby Systems", "Brightwater Cloud") not in got, got
    # near miss: without "respectively" every pair may be meant
    got = pairs("Quenby Systems and Marlow Networks signed supply agreements with Halvard Labs and Brightwater Cloud.")
    assert ("contract", "Quenby Systems", "Brightwater Cloud") in got, got


def test_a_customer_that_is_a_share_of_a_seller_s_revenue():
    got = pairs("Halvard Labs is concentrated. Quenby Systems and Marlow Networks together account for roughly 60% "
                "of its revenue.")
    assert ("contract", "Quenby Systems", "Halvard Labs") in got, got
    assert ("contract", "Marlow Networks", "Halvard Labs") in got, got
    got = pairs("Halvard Labs reported strong results. Quenby Systems accounted for 31% of quarterly sales and "
                "Marlow Networks for 12%.")
    assert ("contract", "Quenby Systems", "Halvard Labs") in got, got
    assert ("contract", "Marlow Networks", "Halvard Labs") in got, got
    # near misses: a product line or a country is no customer; a share of something other than sales
    assert not [c for c in pairs("Halvard Labs is concentrated. AI servers accounted for 55% of its revenue.")
                if c[0] == "contract"]
    assert not [c for c in pairs("Halvard Labs is growing. China accounted for 20% of its revenue.")
                if c[0] == "contract"]
    assert not [c for c in pairs("Halvard Labs is growing. Quenby Systems accounts for 20% of its workforce.")
                if c[0] == "contract"]


def test_a_second_holder_s_bare_percentage_is_of_the_company_the_sentence_told():
    got = found("After the round, Quenby Systems holds about 12% of Halvard Labs, while Marlow Networks owns "
                "about 20%, two people said.")
    assert ("ownership", "Marlow Networks", "Halvard Labs", 20, 20) in got, got
    # near miss: a percentage of something else is no stake
    got = pairs("Quenby Systems holds about 12% of Halvard Labs, while Marlow Networks has about 20% of its staff "
                "in Ohio.")
    assert ("ownership", "Marlow Networks", "Halvard Labs") not in got, got


SITE_STORY = """Brightwater Cloud plans to build a data center campus in Ohio. The company said it would invest about
$4 billion in the first phase of the campus.

Halvard Labs will rent most of the capacity. Analysts expect strong demand.

The campus will be developed together with Marlow Networks, which will handle construction. Quenby Power agreed to
supply electricity to the site under a 20-year power purchase agreement.
"""


def test_the_campus_told_before_is_the_investing_company_s():
    got = pairs(SITE_STORY)
    assert ("partnership", "Brightwater Cloud", "Marlow Networks") in got, got
    assert ("contract", "Brightwater Cloud", "Quenby Power") in got, got
    # near miss: no company told investing in a facility, "the site" is nobody's
    got = pairs("Halvard Labs will rent most of the capacity. Quenby Power agreed to supply electricity to the site "
                "under a 20-year power purchase agreement.")
    assert not [c for c in got if c[0] == "contract" and c[2] == "Quenby Power"], got


def test_developing_something_with_a_company_is_joint_work():
    got = pairs("Halvard Labs is also designing its own accelerators with Quenby Systems.")
    assert {("partnership", "Halvard Labs", "Quenby Systems"), ("partnership", "Quenby Systems", "Halvard Labs")} & got
    # near misses: with a product, with a company in mind
    assert not [c for c in pairs("Halvard Labs develops servers with Nvidia GPUs.") if c[0] == "partnership"]
    assert not [c for c in pairs("Halvard Labs designed the racks with Quenby Systems in mind.")
                if c[0] == "partnership"]


def test_talks_with_a_company_about_an_agreement():
    got = found("Halvard Labs is also in talks with Quenby Systems about a capacity agreement worth as much as "
                "$3 billion, a newspaper reported.")
    assert ("contract", "Halvard Labs", "Quenby Systems", None, 3e9) in got, got
    # near miss: talks about something that is no agreement
    assert not [c for c in pairs("Halvard Labs is in talks with Quenby Systems about its pricing.") if c[0] == "contract"]


def test_an_order_from_a_customer_and_an_order_placed_with_a_supplier():
    assert ("contract", "Quenby Systems", "Halvard Labs") in pairs(
        "Halvard Labs booked a $2 billion order from Quenby Systems for optical modules.")
    assert ("contract", "Halvard Labs", "Quenby Systems") in pairs(
        "Halvard Labs placed an order with Quenby Systems for servers.")
    # near miss: an order with no other party named
    assert not [c for c in pairs("Halvard Labs confirmed an order for servers.") if c[0] == "contract"]


def test_a_supplier_of_two_possessors():
    got = pairs("Marlow Networks is Halvard Labs' and Quenby Systems' main supplier.")
    assert ("contract", "Halvard Labs", "Marlow Networks") in got and ("contract", "Quenby Systems", "Marlow Networks") \
        in got, got
    # near miss: not a relational noun
    assert not [c for c in pairs("Marlow Networks is Halvard Labs' and Quenby Systems' favourite.") if c[0] == "contract"]


def test_sales_that_go_to_a_company():
    got = pairs("Marlow Networks builds racks in Ohio. Its server products now make up about 40% of group revenue. "
                "Most of that goes to Halvard Labs and Quenby Systems.")
    assert ("contract", "Halvard Labs", "Marlow Networks") in got and ("contract", "Quenby Systems", "Marlow Networks") \
        in got, got
    assert ("contract", "Halvard Labs", "Marlow Networks") in pairs("Most of Marlow Networks' sales go to Halvard Labs.")
    # near miss: money spent goes to a supplier, it is no sale of the spender
    got = pairs("Marlow Networks plans to spend $10 billion this year. Most of the money goes to Quenby Systems.")
    assert ("contract", "Quenby Systems", "Marlow Networks") not in got, got


def test_a_company_owned_by_another_passive_or_hyphened():
    assert ("ownership", "Orvane Capital", "Halvard Labs") in pairs(
        "Halvard Labs is majority-owned by private equity firm Orvane Capital, its chairman said.")
    got = pairs("Marlow Networks and Quenby Systems, the Samsung-owned software maker, announced a deal.")
    assert ("ownership", "Samsung Electronics", "Quenby Systems") in got and \
        ("ownership", "Samsung Electronics", "Marlow Networks") not in got, got
    one("Halvard Labs is not owned by Orvane Capital.", "ownership", "Orvane Capital", "Halvard Labs")
    # near miss: owned by people named by no company name, or a thing someone owns
    assert not [c for c in pairs("Halvard Labs is owned by its founders.") if c[0] == "ownership"]
    assert not [c for c in pairs("The state-owned company Halvard Labs said it would expand.") if c[0] == "ownership"]


def test_taking_control_or_full_ownership_of_a_company():
    assert ("ownership", "Orvane Capital", "Halvard Labs", 100.0, 100.0) in found(
        "Orvane Capital will take full ownership of Halvard Labs after the deal closes.")
    assert ("ownership", "Orvane Capital", "Halvard Labs") in pairs(
        "Orvane Capital took control of Halvard Labs in 2021.")
    # near miss: control of something that is no company
    assert not [c for c in pairs("Orvane Capital took control of the meeting.") if c[0] == "ownership"]


def test_goods_made_for_named_companies_make_them_customers():
    got = pairs("Marlow Networks, which assembles servers for Halvard Labs and Quenby Systems, said it would hire.")
    assert ("contract", "Halvard Labs", "Marlow Networks") in got and ("contract", "Quenby Systems", "Marlow Networks") \
        in got, got
    assert ("contract", "Halvard Labs", "Marlow Networks") in pairs("Marlow Networks builds racks for Halvard Labs.")
    # near misses: made for a market or a purpose, and a light "make"
    assert not [c for c in pairs("Marlow Networks makes chips for a range of brands.") if c[0] == "contract"]
    assert not [c for c in pairs("Marlow Networks made room for Halvard Labs.") if c[0] == "contract"]


def test_the_occupant_of_a_lease_is_the_tenant():
    assert ("contract", "Quenby Systems", "Halvard Labs") in pairs(
        "Halvard Labs signed a ten-year lease with Quenby Systems, which will occupy both halls.")
    # near miss: the other party does not occupy anything (the signer stays the customer, a guess)
    assert ("contract", "Quenby Systems", "Halvard Labs") not in pairs(
        "Halvard Labs signed a ten-year lease with Quenby Systems, which owns both halls.")


def test_a_named_tenant_carries_its_lease_size_and_space_leased_at_a_site():
    got = found("Halvard Labs operates campuses. Its largest tenant is Quenby Systems, which signed a lease for a "
                "250-megawatt campus near Reno.")
    assert ("contract", "Quenby Systems", "Halvard Labs", 2.5e8, 2.5e8) in got, got
    assert ("contract", "Marlow Networks", "Halvard Labs") in pairs(
        "Halvard Labs operates campuses. Marlow Networks has leased space at the company's campus near Reno.")
    # near miss: space at a site of no one named
    assert not [c for c in pairs("Marlow Networks has leased space at a campus near Reno.") if c[0] == "contract"]


def test_a_joint_venture_being_weighed_or_formed():
    assert ("partnership", "Halvard Labs", "Quenby Systems") in {
        (t, *sorted([s, o])) for t, s, o in pairs("Halvard Labs and Quenby Systems are weighing a joint venture "
                                                  "to build plants.")}
    assert {("partnership", "Marlow Networks", "Quenby Systems")} <= {
        (t, *sorted([s, o])) for t, s, o in pairs("Quenby Systems will form a joint venture with Marlow Networks.")}
    # near miss: a venture that is no joint one
    assert not [c for c in pairs("Halvard Labs and Quenby Systems are weighing a venture debt loan.")
                if c[0] == "partnership"]


def test_an_order_received_is_no_investment_by_the_buyer():
    got = pairs("Marlow Networks received a $3 billion order from Quenby Systems for switches.")
    assert ("contract", "Quenby Systems", "Marlow Networks") in got and \
        ("investment", "Quenby Systems", "Marlow Networks") not in got, got
    # near miss: money received from a backer stays an investment
    assert ("investment", "Quenby Systems", "Marlow Networks") in pairs(
        "Marlow Networks received $3 billion from Quenby Systems.")


def test_a_utility_serving_a_site_and_the_price_paid_under_that_agreement():
    got = found("Halvard Labs plans to build a data center campus near Ames. Tallow Creek Power will serve the campus, "
                "which could draw 300 megawatts. Under an agreement filed with state regulators, Halvard Labs will "
                "pay for about $80 million in new lines.")
    assert ("contract", "Halvard Labs", "Tallow Creek Power", 8e7, 8e7) in got, got
    # near misses: serving customers is no site, and money paid under no agreement told before
    assert not [c for c in pairs("Tallow Creek Power serves customers in Ames.") if c[0] == "contract"]
    assert not [c for c in pairs("Under an agreement with the city, Halvard Labs will pay about $80 million for roads.")
                if c[0] == "contract"]
def test_money_spent_on_a_plant_is_also_manufacturing_there():
    text = ("Brenlo Motors Inc. plans to spend up to $900 million on a battery plant near Reno, Nevada, people "
            "familiar with the matter said.")
    assert ("manufacturing", "Brenlo Motors", "Nevada") in pairs(text)
    assert one(text, "manufacturing", "Brenlo Motors", "Nevada").modality == "planned"
    text = "Korvath Systems Inc. said it would invest about $300 million in manufacturing capacity in Ohio."
    assert ("manufacturing", "Korvath Systems", "Ohio") in pairs(text)


def test_money_spent_on_a_data_center_is_not_manufacturing():
    text = "Brenlo Motors Inc. will spend $200 million on a data center in Reno, Nevada."
    assert not any(t == "manufacturing" for t, _, _ in pairs(text))
    text = "Korvath Systems Inc. invested $50 million in a research lab in Ohio."
    assert not any(t == "manufacturing" for t, _, _ in pairs(text))


def test_governors_and_mayors_hold_a_role_in_their_state_or_city():
    assert ("role", "Mike Halvers", "Ohio") in pairs("Ohio Gov. Mike Halvers praised the plan on Monday.")
    assert ("role", "Tina Brandt", "Oregon") in pairs("The plan was welcomed by Gov. Tina Brandt of Oregon.")
    assert ("role", "Greg Halloway", "Texas") in pairs(
        "Texas Governor Greg Halloway's office has been in talks with Brenlo Motors Inc. over incentives.")
    # a bare "Gov." in a story about one state
    text = ("Korvath Systems Inc. will build a campus in Iowa, the company said. "
            "Gov. Kim Halvorsen called the vote a good sign.")
    assert ("role", "Kim Halvorsen", "Iowa") in pairs(text)


def test_a_person_near_a_state_without_a_title_has_no_role_there():
    text = "Mike Halvers of Ohio said the plan was too expensive."
    assert not any(t == "role" for t, _, _ in pairs(text))
    text = "Former Gov. Tina Brandt spoke against the plant."
    assert not any(t == "role" for t, _, _ in pairs(text))


def test_the_company_after_an_officer_titled_with_its_name_is_that_company():
    text = ("Rival Halden Industries Inc. already assembles servers in Houston. "
            "Brenlo Computer Chairman Ray Lam told shareholders in June that demand was strong. "
            "The company reported 2025 revenue of $41 billion.")
    assert ("statistic", "Brenlo Computer", None) in pairs(text)
    assert ("statistic", "Halden Industries", None) not in pairs(text)


def test_headcount_of_a_company_and_of_its_planned_site():
    assert ("statistic", "Zorvex", None, 4000, 4000) in found("Zorvex Inc. employs about 4,000 people worldwide.")
    text = ("Brenlo Motors Inc. plans to build a battery plant near Reno, Nevada. "
            "At full capacity it would employ about 1,500 workers.")
    assert ("statistic", "Brenlo Motors", None, 1500, 1500) in found(text)


def test_no_headcount_for_machines_or_for_a_public_body():
    text = "Zorvex Inc. employs robots in 40 plants. Zorvex Inc. said the county employs 300 people."
    assert not any(t == "statistic" for t, _, _, _, _ in found(text))


def test_running_a_production_site_is_manufacturing_there():
    text = "Brenlo Motors Inc. already runs a server assembly site in Fremont, California, and operates two plants in Vietnam."
    got = pairs(text)
    assert ("manufacturing", "Brenlo Motors", "California") in got
    assert ("manufacturing", "Brenlo Motors", "Vietnam") in got


def test_running_a_data_center_or_an_office_is_not_manufacturing():
    text = "Korvath Systems Inc. runs a data center in Ohio and has an office in Austin."
    assert not any(t == "manufacturing" for t, _, _ in pairs(text))


def _entities(text: str) -> dict[str, str]:
    article = Article("t.md", "t", "t", text.strip() + "\n", lang="en")
    return {m.entity.name: m.entity.type for m in analyze_article(article, 0).mentions}


def test_a_states_public_body_is_one_name():
    got = _entities("The Nevada Economic Development Authority approved $20 million in incentives. "
                    "A grant from the Oregon Enterprise Fund is possible.")
    assert got.get("Nevada Economic Development Authority") == "government"
    assert got.get("Oregon Enterprise Fund") == "organization"
    assert "Nevada" not in got


def test_a_state_before_other_words_stays_a_state():
    got = _entities("Nevada Governor Tina Brandt praised Brenlo Motors Inc. for building in Nevada.")
    assert got.get("Nevada") == "state"


def test_a_bare_title_belongs_to_the_story_company_not_the_latest_named():
    text = ("Halvex Photonics Inc. reported record revenue on Tuesday. Halvex Photonics also raised its forecast. "
            "Two customers still dominate. Zentra Cloud Inc. accounted for 28% of quarterly revenue. "
            "Chief Executive Tomas Ferrand also confirmed a new order from Norvale Systems Inc.")
    assert ("role", "Tomas Ferrand", "Halvex Photonics") in pairs(text)
    assert ("role", "Tomas Ferrand", "Zentra Cloud") not in pairs(text)


def test_a_bare_title_after_one_mention_is_the_latest_company():
    text = "Zentra Cloud Inc. said orders doubled. Chief Executive Tomas Ferrand said demand was strong."
    assert ("role", "Tomas Ferrand", "Zentra Cloud") in pairs(text)


def test_a_bare_title_after_the_story_company_speaks_is_that_speakers():
    text = ("Halvex Photonics Inc. reported record revenue on Tuesday. Halvex Photonics also raised its forecast. "
            "Zentra Cloud Inc. accounted for 30% of quarterly revenue. "
            "Zentra Cloud, which signed the deal, said it would use the capacity for its own models. "
            "Chief Financial Officer Rita Mendel said the agreement would be booked as an expense.")
    assert ("role", "Rita Mendel", "Zentra Cloud") in pairs(text)


def test_a_bare_governor_of_a_fund_is_not_a_states():
    text = ("Brenlo Motors Inc. operates plants in Ohio and Georgia. "
            "The Harlow Investment Fund has stepped up investments under Governor Yasir Qadri.")
    assert not any(t == "role" and o in ("Ohio", "Georgia") for t, _, o in pairs(text))
    assert ("role", "Yasir Qadri", "Harlow Investment Fund") in pairs(text)


def test_a_stake_buyer_investing_without_a_target_invests_in_the_stake_company():
    text = ("Harlow Capital Fund is in advanced talks to buy about 30% of Tessaly Digital Inc., people familiar "
            "with the matter said.\n\nThe fund would invest about $3 billion, part of it through new shares to fund "
            "Tessaly's construction pipeline, the people said.")
    assert ("investment", "Harlow Capital Fund", "Tessaly Digital", 3e9, 3e9) in found(text)


def test_a_stake_buyer_funding_its_own_plans_names_no_target():
    text = ("Harlow Capital Fund is in advanced talks to buy about 30% of Tessaly Digital Inc., people familiar "
            "with the matter said.\n\nThe fund would invest about $3 billion to fund its own pipeline, the people said.")
    assert not any(t == "investment" and o == "Tessaly Digital" for t, _, o in pairs(text))


def test_a_fronted_for_phrase_names_whom_the_next_officer_works_for():
    text = ("Harlow Capital Fund is in advanced talks to buy about 30% of Tessaly Digital Inc., people familiar with "
            "the matter said.\n\nFor Tessaly, the money would help close a funding gap. Chief Executive Officer Dana "
            "Whitfield said in May that the company needs more capital.")
    assert ("role", "Dana Whitfield", "Tessaly Digital") in pairs(text)
    text = ("Harlow Capital Fund has stepped up investments in digital infrastructure.\n\nFor years, the money went "
            "elsewhere. Chief Executive Officer Dana Whitfield said in May that the fund needs more capital.")
    assert ("role", "Dana Whitfield", "Harlow Capital Fund") in pairs(text)


def test_expanding_a_manufacturing_campus_and_making_things_at_a_plant_are_manufacturing():
    text = "Brenlo Thermal Inc. will invest approximately $480 million to expand its manufacturing campus in Marysville, Ohio."
    assert ("manufacturing", "Brenlo Thermal", "Ohio") in pairs(text)
    text = "Brenlo Thermal Inc. will continue to make cold-plate manifolds at its plant in Monterrey, Mexico."
    assert ("manufacturing", "Brenlo Thermal", "Mexico") in pairs(text)


def test_expanding_a_data_center_campus_or_deciding_at_headquarters_is_not_manufacturing():
    text = ("Korvath Systems Inc. will invest $200 million to expand its data center campus in Reno, Nevada. "
            "Korvath Systems makes decisions at its headquarters in Austin.")
    assert not any(t == "manufacturing" for t, _, _ in pairs(text))


def test_capacity_lifted_to_a_figure_is_the_subjects_statistic():
    text = ("Brenlo Foundry Inc. will spend $1.1 billion to expand production at its fab in Essex Junction, Vermont, "
            "lifting capacity to 20,000 wafers per month by 2028 from about 7,000 today.")
    assert ("statistic", "Brenlo Foundry", None, 20000, 20000) in found(text)
    assert ("statistic", "Brenlo Foundry", None, 7000, 7000) not in found(text)


def test_a_forecast_raised_to_a_figure_or_capacity_without_a_figure_is_no_capacity():
    text = "Korvath Systems Inc. raised its forecast to $3 billion. Korvath Systems lifted capacity at the plant."
    assert not any(c.details.get("metric") == "capacity" for c in claims_of(text))


def test_money_in_a_metric_that_a_company_had_or_posted():
    assert ("statistic", "Korvath Systems", None, 58e9, 58e9) in found("Korvath Systems Inc. had $58 billion in revenue last year.")
    assert ("statistic", "Brenlo Foundry", None, 3e9, 3e9) in found("Brenlo Foundry Inc. posted $3 billion in sales in the quarter.")


def test_people_in_a_department_are_no_revenue():
    assert not any(t == "statistic" for t, _, _, _, _ in found("Zentra Cloud Inc. had 300 people in sales."))


def test_investors_a_round_drew_and_backers_that_took_part():
    text = ("Halvik Photonics said it had raised $1.8 billion in a round led by Orvane Capital. The round also drew "
            "Nvidia and Marwick Partners, the company said. Existing backers Quillworth Ventures also took part.")
    got = {c.subject.name for c in claims_of(text) if c.type == "investment" and c.object and
           c.object.name == "Halvik Photonics"}
    assert {"Orvane Capital", "Nvidia", "Marwick Partners", "Quillworth Ventures"} <= got, found(text)
    # no round told before, or a part taken in something else: no investment
    for text in ("Halvik Photonics met regulators. Quillworth Ventures also took part.",
                 "Halvik Photonics said it had raised $1.8 billion in a round led by Orvane Capital. Nvidia also took "
                 "part in the talks.",
                 "Halvik Photonics said it had raised $1.8 billion. The plan drew Nvidia into the fight."):
        assert not [c for c in claims_of(text) if c.type == "investment" and c.subject.name in
                    ("Quillworth Ventures", "Nvidia")], found(text)


# Money put in, holdings written as a passive or a list, "the same company", and rounds told across sentences
# (English dev-set misses, session 8); sentences of our own.
HOLDINGS_AND_ROUNDS = [
    # "put … into", "put in": an investment (the target named, or the round told just before)
    ("Corvane Systems has put a total of $4 billion into Drellis Labs.",
     ("investment", "Corvane Systems", "Drellis Labs", 4e9, 4e9)),
    ("Corvane Systems has agreed to put up to $10 billion into Drellis Labs, in tranches.",
     ("investment", "Corvane Systems", "Drellis Labs", None, 1e10)),
    ("Drellis Labs raised $900 million in a round led by Quarrow Capital. Quarrow Capital put in about $400 million, "
     "according to people familiar with the matter.", ("investment", "Quarrow Capital", "Drellis Labs", 4e8, 4e8)),
    ("Corvane Systems will sink $3 billion into a new campus in Texas.",
     ("investment", "Corvane Systems", "Texas", 3e9, 3e9)),
    # "Y is 65% owned by X": the holding and its percentage
    ("Drellis Labs is 60% owned by Quarrow Capital, with the rest held by its founders.",
     ("ownership", "Quarrow Capital", "Drellis Labs", 60, 60)),
    ("Drellis Labs, which is about 40% owned by Quarrow Capital, makes lasers.",
     ("ownership", "Quarrow Capital", "Drellis Labs", 40, 40)),
    # "owns 11% of Y and roughly 80% of Z": both holdings
    ("Quarrow Capital owns about 11% of Drellis Labs and roughly 80% of Corvane Systems.",
     ("ownership", "Quarrow Capital", "Corvane Systems", 80, 80)),
    ("Quarrow Capital owns about 11% of Drellis Labs and roughly 80% of Corvane Systems.",
     ("ownership", "Quarrow Capital", "Drellis Labs", 11, 11)),
    # "the same company": the company named last, not the subject before
    ("Corvane Systems has put a total of $4 billion into Drellis Labs; Quarrow Capital owns roughly 12% of the same "
     "company.", ("ownership", "Quarrow Capital", "Drellis Labs", 12, 12)),
    ("Corvane Systems invested in Drellis Labs last year. Quarrow Capital owns roughly 12% of the same company.",
     ("ownership", "Quarrow Capital", "Drellis Labs", 12, 12)),
    # backers listed in apposition; a round closed; "with A and B also taking part"
    ("Drellis Labs raised $1.8 billion in a round led by Quarrow Capital. Existing backers Marrow Ventures and "
     "Pellick Capital also took part.", ("investment", "Pellick Capital", "Drellis Labs", None, None)),
    ("Drellis Labs closed a $1.2 billion funding round led by Quarrow Capital, with Tessaro Networks and Lumora "
     "Systems also taking part.", ("investment", "Quarrow Capital", "Drellis Labs", 1.2e9, 1.2e9)),
    ("Drellis Labs closed a $1.2 billion funding round led by Quarrow Capital, with Tessaro Networks and Lumora "
     "Systems also taking part.", ("investment", "Lumora Systems", "Drellis Labs", None, None)),
    # a round named again keeps the round in focus for the sentence after
    ("Drellis Labs raised $1.8 billion in a round led by Quarrow Capital. The round also drew Tessaro Networks, the "
     "company said. Existing backers Marrow Ventures also took part. Lumora Systems put in about $300 million.",
     ("investment", "Lumora Systems", "Drellis Labs", 3e8, 3e8)),
]

HOLDINGS_AND_ROUNDS += [
    # a maker of another company's goods supplies that company: "Y assembles A's racks", "its chips are made by Y"
    ("Halvik Systems designs optical engines. Its optical engines are fabricated by Brontec Foundry.",
     ("contract", "Halvik Systems", "Brontec Foundry", None, None)),
    ("Halvik Systems said its servers are assembled by Brontec Foundry in Mexico.",
     ("contract", "Halvik Systems", "Brontec Foundry", None, None)),
    ("Halvik Systems assembles a large share of Kestrel Cloud's racks in Monterrey, Mexico.",
     ("contract", "Kestrel Cloud", "Halvik Systems", None, None)),
    ("Halvik Systems assembles a large share of Kestrel Cloud's racks in Monterrey, Mexico.",
     ("manufacturing", "Halvik Systems", "Mexico", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # a company's own plant in a place is where it makes things; a price on the plant is an investment there
    ("Brontec Foundry is the wild card. Its Ohio fab has slipped again.",
     ("manufacturing", "Brontec Foundry", "Ohio", None, None)),
    ("Brontec Foundry remains the main supplier. Its roughly $4 billion packaging plant in Dayton, Ohio, is due to "
     "open in 2028.", ("investment", "Brontec Foundry", "Ohio", 4e9, 4e9)),
    ("Brontec Foundry remains the main supplier. Its roughly $4 billion packaging plant in Dayton, Ohio, is due to "
     "open in 2028.", ("manufacturing", "Brontec Foundry", "Ohio", None, None)),
    # output or production begun at a facility
    ("Halvik Systems has begun output at a Houston, Texas facility.", ("manufacturing", "Halvik Systems", "Texas", None, None)),
    ("Halvik Systems will start production at its new plant in Monterrey, Mexico, next year.",
     ("manufacturing", "Halvik Systems", "Mexico", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # a verb coordinated with a relative clause shares its subject when the main clause's names no one
    ("The move puts Halvik Systems in direct competition with Brontec Devices, which makes GaN chips at its plant in "
     "Villach, Austria, and also supplies Kestrel Cloud.", ("contract", "Kestrel Cloud", "Brontec Devices", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # "counts A and B as its customers" (its: the counter, also through a relative clause)
    ("Same story with Halvik Systems, which counts both Kestrel Cloud and Brontec Devices as its biggest customers.",
     ("contract", "Brontec Devices", "Halvik Systems", None, None)),
    ("Halvik Systems counts Kestrel Cloud as a customer.", ("contract", "Kestrel Cloud", "Halvik Systems", None, None)),
    # the facility a relative clause without its own object builds
    ("Kestrel Cloud has ordered 50,000 accelerators for a cluster it's building in Texas.",
     ("investment", "Kestrel Cloud", "Texas", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # money committed to a company (and to a second one); the venture a relative clause says it formed with others
    ("Quarrow Holdings has committed tens of billions of dollars to Kestrel Cloud and to Brontec Devices.",
     ("investment", "Quarrow Holdings", "Brontec Devices", None, None)),
    ("Quarrow Holdings has committed $20 billion to Kestrel Cloud.",
     ("investment", "Quarrow Holdings", "Kestrel Cloud", 2e10, 2e10)),
    ("Quarrow Holdings backs Kestrel Cloud and Stargate, the data center venture it formed with Kestrel Cloud and "
     "Brontec Devices.", ("partnership", "Brontec Devices", "Quarrow Holdings", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # a stake taken (or bought from a seller) is an investment as well as a holding
    ("Halvik Systems took a 12% stake in Kestrel Cloud last year.", ("investment", "Halvik Systems", "Kestrel Cloud", 12, 12)),
    ("Quarrow Holdings agreed to sell a 25% stake in Kestrel Cloud to Halvik Systems.",
     ("investment", "Halvik Systems", "Kestrel Cloud", 25, 25)),
]

HOLDINGS_AND_ROUNDS += [
    ("Quarrow Holdings is the biggest backer of the buildout, and the conglomerate has committed tens of billions of "
     "dollars to Kestrel Cloud.", ("investment", "Quarrow Holdings", "Kestrel Cloud", None, None)),
    ("Halvik Systems started production at its new plant in Monterrey, Mexico.",
     ("manufacturing", "Halvik Systems", "Mexico", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # a possessed stake as the subject: in the company it names, else (with a percentage) the one just told
    ("Kestrel Cloud's 4% stake in Brontec Foundry is worth $5 billion.",
     ("ownership", "Kestrel Cloud", "Brontec Foundry", 4, 4)),
    ("Brontec Foundry is the wild card. Kestrel Cloud's roughly 4% stake has bought it time, not customers.",
     ("ownership", "Kestrel Cloud", "Brontec Foundry", 4, 4)),
]

HOLDINGS_AND_ROUNDS += [
    # a month between the subject and its verb; planned capital expenditures
    ("Kestrel Cloud said in March it planned capital expenditures of $5 billion to $6 billion this year.",
     ("investment", "Kestrel Cloud", None, 5e9, 6e9)),
    ("Kestrel Cloud said in October it would invest $2 billion in Ohio.", ("investment", "Kestrel Cloud", "Ohio", 2e9, 2e9)),
]

HOLDINGS_AND_ROUNDS += [
    # chips designed for a company: that company is the designer's customer
    ("Halvik Systems designs custom chips for Kestrel Cloud.", ("contract", "Kestrel Cloud", "Halvik Systems", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # "its joint venture with B", "A's partnership with B": the possessor and B are partners
    ("Quarrow Holdings agreed to sell its 40% stake in Kestrel Photonics, its laser-packaging joint venture with "
     "Brontec Electric, to its partner for about $410 million.",
     ("partnership", "Brontec Electric", "Quarrow Holdings", None, None)),
    ("Quarrow Holdings grew fast. Its partnership with Brontec Electric covers lasers.",
     ("partnership", "Brontec Electric", "Quarrow Holdings", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # "Halcyon designs …" read as a compound noun: the name is still the sentence's subject for "its" after it
    ("Halcyon Photonics raised money. Tessaro Networks declined to comment. Halcyon designs co-packaged optics for "
     "data centers. Its optical engines are fabricated by Brontec Foundry.",
     ("contract", "Halcyon Photonics", "Brontec Foundry", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # equipment reserved from a maker is bought from it
    ("Grayfield Power plans to serve part of the load from a gas plant, and has reserved turbines from Halvik Systems "
     "for it.", ("contract", "Grayfield Power", "Halvik Systems", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # a possessed plant after a noun's preposition ("production at X's second Arizona fab")
    ("Investors will be looking for the start of production at Brontec Foundry's second Arizona fab.",
     ("manufacturing", "Brontec Foundry", "Arizona", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # "… a joint venture with Y, the … company owned by Z": an apposition the parser hung on the verb; Z owns Y
    ("Halvik Systems is big. It has also agreed to form a joint venture with Kestrel Robotics, the robotics software "
     "company owned by Quarrow Holdings, to develop factory tools.",
     ("ownership", "Quarrow Holdings", "Kestrel Robotics", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # contracts with a kind of company and its named examples; "$N of contracts with …"
    ("Kestrel Cloud has signed contracts with neoclouds, including Halvik Systems and Brontec Devices.",
     ("contract", "Kestrel Cloud", "Brontec Devices", None, None)),
    ("Kestrel Cloud has signed contracts with neoclouds such as Halvik Systems and Brontec Devices.",
     ("contract", "Kestrel Cloud", "Halvik Systems", None, None)),
    ("Quarrow Holdings keeps renting. It has now signed more than $60 billion of contracts with neoclouds - Halvik "
     "Systems and Brontec Devices among them - rather than build everything itself.",
     ("contract", "Quarrow Holdings", "Halvik Systems", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # goods bought as a portion ("most of its chips from A and B"); output at a company's fab
    ("Halvik Systems continues to buy most of its chips from Brontec Devices and Kestrel Cloud.",
     ("contract", "Halvik Systems", "Kestrel Cloud", None, None)),
    ("Halvik Systems raised its spending plan. The rest will go to expanded output at its fab in Sherman, Texas.",
     ("manufacturing", "Halvik Systems", "Texas", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # goods sourced from a supplier are bought from it
    ("Brontec Thermal is expanding. It will also source copper plates from Halvik Systems, a Japanese supplier, under "
     "a separate agreement signed in September.", ("contract", "Brontec Thermal", "Halvik Systems", None, None)),
    ("Brontec Thermal sources most of its copper from Halvik Systems.",
     ("contract", "Brontec Thermal", "Halvik Systems", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # the sentence's own roles settle a deal's direction before those the article told earlier
    ("Halvik Systems designs optics. Its optical engines are fabricated by Brontec Foundry. Halvik Systems said revenue "
     "grew. It has a multi-year supply agreement with Kestrel Cloud worth more than $1 billion, announced in September, "
     "and counts Quarrow Holdings among its other customers.", ("contract", "Kestrel Cloud", "Halvik Systems", None, None)),
]

HOLDINGS_AND_ROUNDS += [
    # a production line a relative clause says it will open (together with a partner)
    ("Halvik Systems said part of the new money would go toward a packaging and test line in Arizona that it plans to "
     "open in 2028 together with Brontec Devices.", ("manufacturing", "Halvik Systems", "Arizona", None, None)),
    ("Halvik Systems said part of the new money would go toward a packaging and test line in Arizona that it plans to "
     "open in 2028 together with Brontec Devices.", ("partnership", "Brontec Devices", "Halvik Systems", None, None)),
    ("Halvik Systems will build the plant in Ohio together with Brontec Devices.",
     ("partnership", "Brontec Devices", "Halvik Systems", None, None)),
    ("Kestrel Cloud is building a campus in Abilene. The campus will be developed together with Brontec Devices, which "
     "will handle construction.", ("partnership", "Brontec Devices", "Kestrel Cloud", None, None)),
]

HOLDINGS_AND_ROUNDS_NEAR_MISSES = [
    # money from another company is no partner; a data center opened is no production line
    ("Halvik Systems will build a plant in Ohio with money from Brontec Devices.",
     ("partnership", "Brontec Devices", "Halvik Systems")),
    ("Halvik Systems toured a data center that it plans to open in Ohio.", ("manufacturing", "Halvik Systems", "Ohio")),
    ("According to sources from Halvik Systems, Brontec Thermal is growing.",
     ("contract", "Brontec Thermal", "Halvik Systems")),
    # a plant closed or sold is no longer where the company makes things; buying most of a company is no purchase
    ("Halvik Systems will close its factory in Texas.", ("manufacturing", "Halvik Systems", "Texas")),
    ("Halvik Systems sold its plant in Ohio last year.", ("manufacturing", "Halvik Systems", "Ohio")),
    ("Halvik Systems bought most of Brontec Devices.", ("contract", "Halvik Systems", "Brontec Devices")),
    ("Kestrel Cloud has signed contracts with utilities in states including Ohio and Texas.",
     ("contract", "Kestrel Cloud", "Ohio")),
    # a town the gazetteer does not know, written with its state: the state is the plant's place
    ("Brontec Foundry remains the main supplier. Its roughly $4 billion packaging plant in West Lafayette, Indiana, is "
     "due to open in 2028.", ("investment", "Brontec Foundry", "West Lafayette")),
    ("Quarrow Holdings ended its partnership with Brontec Electric.", ("partnership", "Brontec Electric", "Quarrow Holdings")),
    ("Quarrow Holdings terminated its joint venture with Brontec Electric.",
     ("partnership", "Brontec Electric", "Quarrow Holdings")),
    ("Halvik Systems designs its chips with Kestrel Cloud.", ("contract", "Kestrel Cloud", "Halvik Systems")),
    ("Kestrel Cloud's interest in AI chips is growing.", ("ownership", "Kestrel Cloud", "Brontec Foundry")),
    ("Brontec Foundry grew. Kestrel Cloud's stake is worth more now.", ("ownership", "Kestrel Cloud", "Brontec Foundry")),
    # a stake held, or only talked of, is no investment
    ("Halvik Systems holds a 10% stake in Kestrel Cloud.", ("investment", "Halvik Systems", "Kestrel Cloud")),
    ("Halvik Systems said it had no plans to take an equity stake in Kestrel Cloud.",
     ("investment", "Halvik Systems", "Kestrel Cloud")),
    # committing to a plan, or committing people, invests nothing in the company
    ("Quarrow Holdings committed to Kestrel Cloud's plan.", ("investment", "Quarrow Holdings", "Kestrel Cloud")),
    ("Quarrow Holdings committed engineers to Kestrel Cloud.", ("investment", "Quarrow Holdings", "Kestrel Cloud")),
    ("Same story with Halvik Systems, which counts both Kestrel Cloud and Brontec Devices as its biggest customers.",
     ("contract", "Brontec Devices", "Kestrel Cloud")),
    ("Halvik Systems counts Kestrel Cloud as a rival.", ("contract", "Kestrel Cloud", "Halvik Systems")),
    ("Kestrel Cloud is buying servers for a data center that is growing in Ohio.", ("investment", "Kestrel Cloud", "Ohio")),
    # the main clause's own subject keeps the coordinated verb
    ("Halvik Systems signed a deal with Brontec Devices, which makes GaN chips in Austria, and also bought servers "
     "from Kestrel Cloud.", ("contract", "Brontec Devices", "Kestrel Cloud")),
    # a utility's power plant makes no goods; construction started at a site is no production
    ("Grayfield Power is growing. Its gas plant in Ohio will serve the campus.",
     ("manufacturing", "Grayfield Power", "Ohio")),
    ("Halvik Systems started construction at its site in Ohio.", ("manufacturing", "Halvik Systems", "Ohio")),
    # a brand before the goods names their design, not who orders them
    ("Halvik Systems assembles Kestrel Cloud racks in Monterrey, Mexico.", ("contract", "Kestrel Cloud", "Halvik Systems")),
    # its own chips, or chips made somewhere, are no one's order
    ("Brontec Foundry makes its own chips in Arizona.", ("contract", "Brontec Foundry", "Brontec Foundry")),
    ("Halvik Systems grew fast. Kestrel Cloud's chips are made in Arizona.", ("contract", "Kestrel Cloud", "Halvik Systems")),
    ("Halvik Systems assembles a large share of its racks in Monterrey, Mexico, for Kestrel Cloud's rivals.",
     ("contract", "Halvik Systems", "Halvik Systems")),
    # putting pressure or putting a plant into service is no investment
    ("Corvane Systems put pressure on Drellis Labs to cut $1 billion in costs.",
     ("investment", "Corvane Systems", "Drellis Labs")),
    ("Corvane Systems put the Drellis Labs plant into service after a $2 billion upgrade.",
     ("investment", "Corvane Systems", "Drellis Labs")),
    # closing a deal is no round
    ("Drellis Labs closed a $1.2 billion deal with Quarrow Capital.", ("investment", "Quarrow Capital", "Drellis Labs")),
    # "owned by" without a percentage stays without one; the second percentage without "of" is another holder's
    ("Drellis Labs is owned by its employees.", ("ownership", "Corvane Systems", "Drellis Labs")),
    # no round told before: money put in has no target
    ("Corvane Systems opened an office. Quarrow Capital put in about $400 million.",
     ("investment", "Quarrow Capital", "Corvane Systems")),
]


@pytest.mark.parametrize(("text", "claim"), HOLDINGS_AND_ROUNDS)
def test_holdings_and_round_constructions(text, claim):
    assert claim in found(text), found(text)


@pytest.mark.parametrize(("text", "claim"), HOLDINGS_AND_ROUNDS_NEAR_MISSES)
def test_holdings_and_round_near_misses(text, claim):
    assert claim not in pairs(text), found(text)


def test_a_round_opened_with_a_long_relative_clause_drew_its_investors():
    text = ("Drellis Labs said it had raised $1.8 billion in a round led by Quarrow Capital. The round, which more than "
            "doubles the $6.2 billion valuation Drellis fetched in a January financing, also drew Tessaro Networks and "
            "Lumora Systems, the company said.")
    assert {("investment", "Tessaro Networks", "Drellis Labs"), ("investment", "Lumora Systems", "Drellis Labs")} <= \
        pairs(text), found(text)
