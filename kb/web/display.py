"""Pure display helpers: amounts and numbers as people read them."""

from __future__ import annotations

import datetime as dt

from kb.amounts import format_amount as render_amount
from kb.sources import site_of_url

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


def format_published(local: str | None, utc: str | None = None) -> str:
    """When an article appeared, in its own time zone: `2025-11-24 10:00 (UTC+09:00)`, a date alone as written;
    from the UTC value (marked UTC) when the local one was not stored; '' when neither is known."""
    value = local or utc
    if not value:
        return ""
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if "T" not in value and " " not in value:
        return stamp.date().isoformat()
    text = stamp.strftime("%Y-%m-%d %H:%M")
    if stamp.tzinfo is not None:
        offset = stamp.strftime("%z")
        return f"{text} (UTC{offset[:3]}:{offset[3:]})"
    return text + (" (UTC)" if not local else "")


def outlet_name(outlet: str | None, url: str | None) -> str:
    """The outlet an article names, else the site of its URL; '' when neither is known."""
    return outlet or site_of_url(url) or ""


def web_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address a page may link to, else None."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None
