"""Markdown tables: a row's figures are the statistics of the organization the row names.

Newsletters and results stories put figures in tables (| 会社 | 売上高 | 前年比 | / | Company | Q3 capex | YoY |).
No sentence finder reads them: a row has no verb. Here each table is read as a whole: the header row names the
metric of each column, a body row whose first cell names one organization owns the figures of its other cells;
a percentage in a column headed as a change (前年比, YoY, Change, 増減率) is the change of the column before it.
Rows naming no organization, or several, and tables without a header row give nothing.
"""

from __future__ import annotations

import re

from kb.claims.base import Sentence, make_claim, shift_amount
from kb.contract import ORG_TYPES
from kb.records import Claim

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CHANGE_HEADER = re.compile(r"前年比|前期比|前年同期比|増減|伸び率|成長率|YoY|y/y|change|growth|vs\.?", re.I)


def _cells(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of each cell of a row written | a | b |."""
    out = []
    bars = [m.start() for m in re.finditer(r"\|", text)]
    if len(bars) < 2:
        return out
    for a, b in zip(bars, bars[1:]):
        cell = text[a + 1:b]
        lead = len(cell) - len(cell.lstrip())
        out.append((a + 1 + lead, a + 1 + lead + len(cell.strip()), cell.strip()))
    return out


def table_claims(sentences: list[Sentence], starts: list[int], claims: list[Claim]) -> list[Claim]:
    """Statistics of the table rows among `sentences` (article offsets); figures other claims than statistics use
    are skipped."""
    used = {(c.amount.start, c.amount.end) for c in claims if c.amount is not None and c.type != "statistic"}
    out: list[Claim] = []
    header: list[str] | None = None
    for sent, offset in zip(sentences, starts):
        text = sent.text.strip()
        if not (text.startswith("|") and text.endswith("|")):
            header = None
            continue
        if _SEPARATOR.match(text):
            continue
        cells = _cells(sent.text)
        if header is None:
            header = [c[2] for c in cells]
            continue
        if len(cells) != len(header) or len(cells) < 2:
            continue
        first = cells[0]
        owners = {m.entity.id: m.entity for m in sent.mentions
                  if first[0] <= m.start and m.end <= first[1] and m.entity.type in ORG_TYPES}
        if len(owners) != 1:
            continue
        owner = next(iter(owners.values()))
        for k, (a, b, cell) in enumerate(cells[1:], start=1):
            figures = [x for x in sent.amounts if a <= x.start and x.end <= b and x.unit in ("money", "percent", "power")]
            if len(figures) != 1 or (figures[0].start + offset, figures[0].end + offset) in used:
                continue
            figure = figures[0]
            metric = header[k] or "figure"
            details = {"metric": metric}
            if figure.unit == "percent" and _CHANGE_HEADER.search(metric) and k > 1 and header[k - 1]:
                details = {"metric": header[k - 1],
                           "change": "decrease" if re.match(r"[-−▲△]", cell) else "increase"}
            claim = make_claim("statistic", owner, None, (offset, offset + len(sent.text)),
                               amount=shift_amount(figure, offset), details=details)
            claim.passage_idx = sent.idx
            out.append(claim)
    return out


def with_tables(claims: list[Claim], sentences: list[Sentence], starts: list[int]) -> list[Claim]:
    """`claims` with the table statistics; a statistic a finder read from the same table figure gives way."""
    found = table_claims(sentences, starts, claims)
    if not found:
        return claims
    spans = {(c.amount.start, c.amount.end) for c in found}
    kept = [c for c in claims if not (c.type == "statistic" and c.amount is not None
                                      and (c.amount.start, c.amount.end) in spans)]
    return kept + found
