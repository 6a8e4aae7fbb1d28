"""Readers of the data files under kb/data/gazetteer (CSV and one-item-a-line lists with # headers)."""

from __future__ import annotations

import csv
import io
from importlib import resources

DATA_PACKAGE = "kb"
DATA_DIR = "data/gazetteer"


def read_data_lines(filename: str) -> list[str]:
    """Return the lines of a gazetteer data file, without the leading '#' comment block."""
    text = resources.files(DATA_PACKAGE).joinpath(DATA_DIR, filename).read_text(encoding="utf-8")
    lines = text.splitlines()
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        start += 1
    return lines[start:]


def read_data_rows(filename: str) -> list[dict[str, str]]:
    """Return the rows of a gazetteer CSV file as dicts of stripped strings."""
    reader = csv.DictReader(io.StringIO("\n".join(read_data_lines(filename))))
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row or None in row.values():
            raise ValueError(
                f"{DATA_DIR}/{filename}: data row {number} has the wrong number of fields; "
                "quote a field that contains a comma (the whole field, aliases included)"
            )
        rows.append({key: value.strip() for key, value in row.items()})
    return rows


def read_data_list(filename: str) -> tuple[str, ...]:
    """Return the non-empty, non-comment lines of a one-item-a-line data file."""
    return tuple(
        line.strip() for line in read_data_lines(filename) if line.strip() and not line.startswith("#")
    )
