"""Pure display helpers: amounts and numbers as people read them."""

from __future__ import annotations

_SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")]


def format_number(value: float | int | None) -> str:
    """1.4e12 → '1.4 trillion', 2500000 → '2.5 million', 75 → '75'."""
    if value is None:
        return ""
    v = float(value)
    for scale, word in _SCALES[:3]:
        if abs(v) >= scale:
            return f"{v / scale:,.3g} {word}" if v / scale < 1000 else f"{v / scale:,.0f} {word}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def format_amount(claim: dict) -> str:
    """A claim's amount: 'USD 20 billion – 30 billion per year (approx., at most)', or ''."""
    lo, hi = claim.get("amount_min"), claim.get("amount_max")
    if lo is None and hi is None:
        return ""
    unit = claim.get("currency") or ""
    if claim.get("unit") in ("percent", "%"):
        text = _range(lo, hi, lambda v: f"{float(v):g}%")
    else:
        text = _range(lo, hi, format_number)
        text = f"{unit} {text}".strip() if unit else f"{text} {claim.get('unit') or ''}".strip()
    if claim.get("period"):
        text += f" per {claim['period']}"
    notes = []
    if claim.get("approximate"):
        notes.append("approx.")
    if claim.get("bound"):
        notes.append(str(claim["bound"]))
    if notes:
        text += f" ({', '.join(notes)})"
    usd = claim.get("amount_usd")
    if usd is not None and (claim.get("currency") or "USD") != "USD":
        text += f" ≈ USD {format_number(usd)}"
    return text


def _range(lo, hi, fmt) -> str:
    if lo is not None and hi is not None and lo != hi:
        return f"{fmt(lo)} – {fmt(hi)}"
    return fmt(lo if lo is not None else hi)
