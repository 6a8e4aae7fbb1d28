"""How values are written into columns: row ids, passage ids, JSON text and timestamps."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable

from kb.records import stable_id

__all__ = ["json_dumps", "json_list", "now_iso", "passage_id", "stable_id"]


def now_iso() -> str:
    """Current UTC time, second precision."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None).isoformat()


def passage_id(article_id: str, idx: int) -> str:
    """Id of passage `idx` of an article."""
    return f"{article_id}-{idx:05d}"


def json_dumps(value: Any) -> str:
    """Compact, deterministic JSON for text columns."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def json_list(values: Iterable[Any]) -> str:
    """Compact JSON array for list columns (Datasette facets them with `array`)."""
    return json.dumps(list(values), ensure_ascii=False)


def parse_json_list(raw) -> list:
    """A list column's values: JSON arrays parsed (nulls dropped), a bare value as a one-item list."""
    if raw in (None, ""):
        return []
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return [raw]
    return [v for v in value if v is not None] if isinstance(value, list) else [value]
