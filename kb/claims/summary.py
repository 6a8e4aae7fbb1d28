"""One-line human summaries of claims (stored as `claims.summary`)."""

from __future__ import annotations

from kb.amounts import format_amount
from kb.records import Claim


def summarize(claim: Claim) -> str:
    """One-line human summary of a claim."""
    s = claim.subject.name if claim.subject else ""
    o = claim.object.name if claim.object else ""
    d = claim.details
    figure = format_amount(claim.amount)
    if claim.type == "investment":
        text = f"{s} — investment{' in ' + o if o else ''}"
        text += f" — {figure}" if figure else ""
        text += f" ({d['purpose']})" if d.get("purpose") else ""
        text += f" over {d['horizon']}" if d.get("horizon") else ""
    elif claim.type == "partnership":
        kind = "joint venture" if d.get("kind") == "joint_venture" else "partnership"
        text = f"{s} ↔ {o}: {kind}" + (f" ({d['scope']})" if d.get("scope") else "")
    elif claim.type == "manufacturing":
        text = f"{s} manufactures" + (f" {d['product']}" if d.get("product") else "") + f" in {o}"
    elif claim.type == "contract":
        text = f"{s} — contract with {o}" + (f" — {figure}" if figure else "")
        text += f" ({d['duration']})" if d.get("duration") else ""
    elif claim.type == "ownership":
        text = f"{s} owns {o}" + (f" ({figure} stake)" if claim.amount is not None and
                                  claim.amount.unit == "percent" else (f" ({figure})" if figure else ""))
    elif claim.type == "role":
        text = f"{s} is {d.get('title', 'officer')} of {o}"
    else:
        text = (f"{s} — " if s else "") + f"{d.get('metric', 'statistic')}: {figure}"
    if claim.polarity == "negated":
        text = f"NOT: {text}"
    if claim.modality != "asserted":
        text += f" [{claim.modality}]"
    return text
