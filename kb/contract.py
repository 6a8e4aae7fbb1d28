"""The interchange contract in one place: entity types, claim types and their roles, modalities.

Every stage reads these tables; nothing else defines them. Adding a claim type is one row in
`CLAIM_TYPES` plus its finders in `kb/claims/ja.py` and `kb/claims/en.py` (see docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass

ENTITY_TYPES: frozenset[str] = frozenset({
    "company", "organization", "government", "person", "country", "state", "city", "place",
    "product", "project", "event", "facility", "investment",
})

# The eight types of the Stockmark Wikipedia NER dataset, which kb's NER model predicts.
STOCKMARK_LABELS: dict[str, str] = {
    "人名": "person",
    "法人名": "company",
    "政治的組織名": "government",
    "その他の組織名": "organization",
    "地名": "place",
    "施設名": "facility",
    "製品名": "product",
    "イベント名": "event",
}

# NER labels (GiNZA/ENE, Stockmark ner-wikipedia, spaCy English OntoNotes) to our entity types.
# None means "not an entity we track"; labels missing from the table are treated the same way.
NER_LABEL_TO_TYPE: dict[str, str | None] = {
    # GiNZA (Extended Named Entity hierarchy)
    "Company": "company",
    "Company_Group": "company",
    "Corporation_Other": "company",
    "Organization_Other": "organization",
    "International_Organization": "organization",
    "Political_Party": "organization",
    "Show_Organization": "organization",
    "Sports_Organization_Other": "organization",
    "Pro_Sports_Organization": "organization",
    "Sports_League": "organization",
    "Research_Institute": "organization",
    "School": "organization",
    "Newspaper": "organization",
    "Magazine": "organization",
    "Political_Organization_Other": "government",
    "Government": "government",
    "Cabinet": "government",
    "Military": "government",
    "Person": "person",
    "Country": "country",
    "Province": "state",
    "City": "city",
    "County": "place",
    "GPE_Other": "place",
    "Location_Other": "place",
    "Domestic_Region": "place",
    "Region_Other": "place",
    "Continental_Region": "place",
    "Geological_Region_Other": "place",
    "Island": "place",
    "Mountain": "place",
    "River": "place",
    "Lake": "place",
    "Sea": "place",
    "Bay": "place",
    "Facility_Other": "facility",
    "Facility_Part": "facility",
    "GOE_Other": "facility",
    "Public_Institution": "facility",
    "Airport": "facility",
    "Port": "facility",
    "Station": "facility",
    "Road": "facility",
    "Railroad": "facility",
    "Bridge": "facility",
    "Tunnel": "facility",
    "Canal": "facility",
    "Sports_Facility": "facility",
    "Museum": "facility",
    "Theater": "facility",
    "Park": "facility",
    "Amusement_Park": "facility",
    "Zoo": "facility",
    "Worship_Place": "facility",
    "Product_Other": "product",
    "Car": "product",
    "Train": "product",
    "Aircraft": "product",
    "Ship": "product",
    "Spaceship": "product",
    "Vehicle_Other": "product",
    "Weapon": "product",
    "Drug": "product",
    "Game": "product",
    "Plan": "project",
    "Event_Other": "event",
    "Occasion_Other": "event",
    "Incident_Other": "event",
    "Conference": "event",
    "Natural_Disaster": "event",
    "Earthquake": "event",
    "War": "event",
    "Position_Vocation": None,
    "Title_Other": None,
    "Nationality": None,
    "Ethnic_Group_Other": None,
    "Money": None,
    "Percent": None,
    "Date": None,
    "Law": None,
    # Stockmark (ner-wikipedia-dataset), the labels of kb's own NER
    **STOCKMARK_LABELS,
    # spaCy English (OntoNotes) and CoNLL-style short labels
    "ORG": "company",
    "PERSON": "person",
    "PER": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "facility",
    "PRODUCT": "product",
    "EVENT": "event",
    "NORP": None,
    "MISC": None,
    "LAW": None,
    "LANGUAGE": None,
    "WORK_OF_ART": None,
    "MONEY": None,
    "PERCENT": None,
    "DATE": None,
    "TIME": None,
    "QUANTITY": None,
    "ORDINAL": None,
    "CARDINAL": None,
}
# GiNZA (ENE) labels that are never entities we track: numbers, dates, titles, counts.
GINZA_SKIP_LABELS: frozenset[str] = frozenset({"Money", "Percent", "Date", "Time", "Period_Year", "Period_Month", "Period_Day",
                     "Period_Week", "Period_Time", "Ordinal_Number", "Countx_Other", "N_Person",
                     "N_Organization", "N_Product", "N_Facility", "N_Event", "N_Location_Other",
                     "Multiplication", "Frequency", "Age", "Rank", "Point", "Measurement_Other",
                     "Physical_Extent", "Space", "Volume", "Weight", "Speed", "Intensity", "Temperature",
                     "Calorie", "Seismic_Intensity", "Seismic_Magnitude", "School_Age", "Stock",
                     "Numex_Other", "Timex_Other", "Position_Vocation", "Occasion_Other"})
NER_LABEL_TO_TYPE.update({t: t for t in ENTITY_TYPES})

# Entity-type groups used by the claim roles and by entity resolution.
ORG_TYPES: frozenset[str] = frozenset({"company", "organization", "government"})
ORG_LIKE_TYPES: frozenset[str] = ORG_TYPES | {"project"}
PLACE_TYPES: frozenset[str] = frozenset({"country", "state", "city", "place"})
# Who a claim can be attributed to (the speaker or the outlet).
ATTRIBUTION_TYPES: frozenset[str] = ORG_TYPES | {"person"}


@dataclass(frozen=True)
class ClaimType:
    """One claim type of the contract: which entity types fill its roles and how its identity is formed."""

    name: str
    subject_types: frozenset[str]
    object_types: frozenset[str]
    symmetric: bool = False          # A–B is the same claim as B–A (parties ordered by entity id)
    identity_detail: str | None = None  # the details key that is part of the claim's identity
    description: str = ""


CLAIM_TYPE_TABLE: tuple[ClaimType, ...] = (
    ClaimType("investment", ORG_TYPES | {"person", "project"}, ORG_TYPES | PLACE_TYPES | {"project", "facility", "product"},
              description="investor → target entity or place, with amount, period, horizon, purpose"),
    ClaimType("partnership", ORG_LIKE_TYPES, ORG_LIKE_TYPES, symmetric=True, identity_detail="kind",
              description="party A ↔ party B (joint ventures included, `kind`), with scope"),
    ClaimType("manufacturing", frozenset({"company", "organization"}), PLACE_TYPES,
              description="company → place where it makes something (product, facility)"),
    ClaimType("contract", ORG_LIKE_TYPES, ORG_LIKE_TYPES,
              description="customer/buyer → supplier/counterparty, with amount and duration"),
    ClaimType("ownership", ORG_TYPES | {"person"}, ORG_LIKE_TYPES | {"facility", "product"},
              description="parent → subsidiary or acquired entity, with stake"),
    ClaimType("role", frozenset({"person"}), ORG_TYPES | {"country", "state", "city", "project"}, identity_detail="title",
              description="person → organization (or a venture such as Stargate, the state a governor or the city a "
                          "mayor serves), with title (CEO, 会長 …)"),
    ClaimType("statistic", ORG_TYPES | PLACE_TYPES | {"product", "project", "facility"}, frozenset(),
              identity_detail="metric", description="entity or none, with a percent/number amount and its metric"),
)
CLAIM_TYPE_BY_NAME: dict[str, ClaimType] = {t.name: t for t in CLAIM_TYPE_TABLE}
CLAIM_TYPES: tuple[str, ...] = tuple(t.name for t in CLAIM_TYPE_TABLE)
SYMMETRIC_CLAIM_TYPES: frozenset[str] = frozenset(t.name for t in CLAIM_TYPE_TABLE if t.symmetric)
# Role types by claim type, as the finders read them.
SUBJECT_TYPES: dict[str, frozenset[str]] = {t.name: t.subject_types for t in CLAIM_TYPE_TABLE}
OBJECT_TYPES: dict[str, frozenset[str]] = {t.name: t.object_types for t in CLAIM_TYPE_TABLE}

MODALITIES: tuple[str, ...] = ("asserted", "reported", "planned", "forecast", "hedged", "opinion")
# When several modality cues occur, the most cautious one wins.
MODALITY_PRECEDENCE: tuple[str, ...] = ("opinion", "hedged", "forecast", "planned", "reported")
POLARITIES: tuple[str, ...] = ("affirmed", "negated")

# Two figures within this relative difference are the same figure written with different rounding.
AMOUNT_REL_TOL = 0.02
