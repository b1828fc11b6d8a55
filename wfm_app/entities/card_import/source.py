"""Reading a CSV file as a stream: its header, a preview, then one row at a time (a
100,000-row file is never held whole). Spreadsheets' and our own exports' quirks: a
byte-order mark, semicolons or tabs instead of commas, repeated column names (Jira's
export repeats "Labels", "Sprint", ...), and the apostrophe our exports put before a
cell a spreadsheet would take for a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wfm_app.csvfile import FORMULA_STARTS
from wfm_app.errors import ValidationFailed
from wfm_app.settings import settings

MAX_COLUMNS = 500
MAX_CELL_CHARACTERS = 100_000
PREVIEW_ROWS = 5
_SNIFF_BYTES = 64 * 1024
csv.field_size_limit(MAX_CELL_CHARACTERS)


@dataclass(frozen=True)
class Preview:
    columns: list[str]
    rows: list[list[str]]  # the first rows, each cell as read


def check_size(size: int) -> None:
    """A file over the configured size is refused with a sentence (WFM_IMPORT_MAX_MB)."""
    limit = settings.import_max_bytes
    if size > limit:
        message = (
            f"The file is {size / 1024 / 1024:.1f} MB; files of up to "
            f"{limit / 1024 / 1024:.0f} MB can be imported (split it, or ask an operator "
            "to raise WFM_IMPORT_MAX_MB)."
        )
        raise ValidationFailed(message, {"file": message})


def _dialect(path: Path) -> type[csv.Dialect] | csv.Dialect:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        sample = handle.read(_SNIFF_BYTES)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _unique(names: list[str]) -> list[str]:
    """Column names as the mapping uses them: "Labels", "Labels (2)", ..."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        name = name.strip() or "Column"
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def plain(cell: str) -> str:
    """A cell as typed: without the apostrophe an export puts before '=', '+', ..."""
    cell = cell.strip()
    if cell.startswith("'") and cell[1:2] and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _reader(path: Path, handle: io.TextIOBase) -> Iterator[list[str]]:
    try:
        yield from csv.reader(handle, _dialect(path))
    except csv.Error as error:
        message = f"The file is not a CSV file we can read: {error}."
        raise ValidationFailed(message, {"file": message}) from None


def rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: cell}) for every non-blank row after the header."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = _reader(path, handle)
        columns = _columns(next(reader, None))
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            yield number, {name: plain(cell) for name, cell in zip(columns, cells, strict=False)}


def _columns(header: list[str] | None) -> list[str]:
    if not header:
        raise ValidationFailed("The file is empty.", {"file": "The file is empty."})
    if len(header) > MAX_COLUMNS:
        message = f"The file has {len(header)} columns; at most {MAX_COLUMNS} can be read."
        raise ValidationFailed(message, {"file": message})
    return _unique(header)


def preview(path: Path) -> Preview:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = _reader(path, handle)
        columns = _columns(next(reader, None))
        first = []
        for cells in reader:
            if any(cell.strip() for cell in cells):
                first.append([plain(cell) for cell in cells[: len(columns)]])
            if len(first) == PREVIEW_ROWS:
                break
    return Preview(columns, first)


def count_rows(path: Path) -> int:
    return sum(1 for _ in rows(path))
