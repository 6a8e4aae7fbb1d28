"""Pure display helpers: amounts and numbers as people read them."""

from __future__ import annotations

from kb.amounts import format_amount as render_amount

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
    """A claim row's amount as kb shows amounts everywhere ($2–3 billion a year), plus its USD value when
    it is in another currency; '' when the claim has none."""
    text = render_amount(claim)
    usd = claim.get("amount_usd")
    if text and usd is not None and (claim.get("currency") or "USD") != "USD":
        text += f" (≈ ${format_number(usd)})"
    return text
