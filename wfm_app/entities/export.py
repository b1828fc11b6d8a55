"""A kind's cards as CSV (a board's "Export CSV", ``wfm export-cards``): every card the
filters keep, not only the first page of each column, read a page at a time through the
same list code as the API (entities/listing.py), so a large export holds one page in
memory. Cells are written as csvfile.py writes every file: safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from wfm_app.auth.actor import Actor
from wfm_app.csvfile import safe_cell
from wfm_app.engine.custom_values import cached_definitions
from wfm_app.entities.base import EntityService
from wfm_app.entities.filtering import CardFilter
from wfm_app.entities.listing import ListSort

Service = EntityService[Any, Any, Any]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():  # custom numbers are kept as floats
        return int(value)
    return value


def header(service: Service) -> list[str]:
    fields = [f.label for f in service.kind.description.fields]
    custom = [f.label for f in cached_definitions(service.kind.description.entity_type)]
    return [*fields, *custom, "Step", "Status", "Owner", "Assignee", "Created", "Updated"]


def rows(service: Service, actor: Actor | None, filters: CardFilter) -> Iterator[list[Any]]:
    """The cards' cells, newest first."""
    keys = [f.key for f in service.kind.description.fields]
    custom = [f.key for f in cached_definitions(service.kind.description.entity_type)]
    for card in service.each(actor, filters, ListSort()):
        step = card.wfm.step
        yield [
            *(_cell(getattr(card, key)) for key in keys),
            *(_cell(card.custom_fields.get(key)) for key in custom),
            step.display_name if step else "",
            step.status.name if step else "",
            card.owner_name or "",
            card.assignee_name or "",
            card.created_at.isoformat(),
            card.updated_at.isoformat(),
        ]


def lines(
    service: Service, actor: Actor | None, filters: CardFilter, limit: int | None = None
) -> Iterator[str]:
    """The CSV text a row at a time (RFC 4180 line ends), the header first; at most
    ``limit`` cards."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def line(cells: list[Any]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow([safe_cell(cell) for cell in cells])
        return out.getvalue()

    yield line(header(service))
    for row in itertools.islice(rows(service, actor, filters), limit):
        yield line(row)
