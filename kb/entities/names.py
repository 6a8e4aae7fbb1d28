"""Matching keys of names: NFKC, case-folded, legal forms (株式会社, Inc.) and separators removed."""

from __future__ import annotations

import re
import unicodedata

from kb.entities.datafiles import read_data_list

LEGAL_FORMS: tuple[str, ...] = tuple(
    dict.fromkeys(unicodedata.normalize("NFKC", form) for form in read_data_list("legal_forms.txt"))
)


def _legal_form_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    forms = sorted(LEGAL_FORMS, key=len, reverse=True)
    latin = [re.escape(f) for f in forms if f.isascii()]
    cjk = [re.escape(f) for f in forms if not f.isascii()]
    # Latin forms need a separator so "SAGA" never loses "SA"; CJK forms glue on (株式会社ホンハイ).
    prefix = rf"^(?:(?:{'|'.join(cjk)})[\s,]*|(?:{'|'.join(latin)})(?:[\s,]+))"
    suffix = rf"(?:[\s,]*(?:{'|'.join(cjk)})|(?:^|[\s,]+)(?:{'|'.join(latin)}))[\s,]*$"
    return re.compile(prefix), re.compile(suffix)


_LEGAL_PREFIX, _LEGAL_SUFFIX = _legal_form_patterns()
_DROP_CHARS = re.compile(r"[\s・·•‧\-‐‑‒–—―=,.、。']")


def strip_legal_forms(name: str) -> str:
    """Remove legal-form words (株式会社, Inc., Co., Ltd. ...) from both ends of an NFKC'd name."""
    current = name.strip()
    while True:
        stripped = _LEGAL_SUFFIX.sub("", _LEGAL_PREFIX.sub("", current)).strip(" ,")
        if not stripped or stripped == current:
            return current
        current = stripped


# Variant kanji (異体字) that names are written with interchangeably and NFKC keeps apart: 髙橋 is 高橋, 﨑 is 崎.
_VARIANT_KANJI = str.maketrans({"髙": "高", "﨑": "崎", "邉": "辺", "邊": "辺", "齋": "斎", "齊": "斉", "濵": "浜",
                                "濱": "浜", "德": "徳", "栁": "柳"})


def normalize_name(text: str, *, strip_legal: bool = True) -> str:
    """Return the matching key of a name: NFKC, variant kanji folded (髙 → 高), case-folded, legal forms and
    separators removed."""
    nfkc = unicodedata.normalize("NFKC", text).translate(_VARIANT_KANJI)
    return _DROP_CHARS.sub("", strip_legal_forms(nfkc) if strip_legal else nfkc).casefold()
