"""CSV downloads as spreadsheets open them: streamed, UTF-8 with a BOM, `;` between cells, and a cell that
would start a formula quoted, so a value typed by someone cannot run in the reader's spreadsheet."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def csv_cell(value: Any) -> str:
    """Text a spreadsheet shows as text: a cell that would start a formula gets a quote first."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like object whose ``write`` returns what was written, for streaming ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """The file, a few thousand rows at a time: the BOM first, then the rows."""
    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff"
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow([csv_cell(cell) for cell in row]))
        if len(batch) == CHUNK:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_download(rows: Iterable[list[Any]], *, filename: str) -> StreamingHttpResponse:
    """A streamed download of the rows as `filename`."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
