"""Fixtures of the roster tests: a few units and sites, and roster files built in memory."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from deonto.people.models import OrgUnit
from deonto.people.tests.factories import OrgUnitFactory, SiteFactory

HEADER = [
    "Personeelsnummer", "Naam", "Voornaam", "E-mail", "Taal", "Eenheid", "Site", "Functie", "Gewapend",
    "Startdatum", "Einddatum",
]  # fmt: skip


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are compared in English; tests of other languages override it."""
    with translation.override("en"):
        yield


@pytest.fixture
def units(db: Any) -> dict[str, OrgUnit]:
    antwerp = SiteFactory(code="ANR", name="Antwerpen")
    liege = SiteFactory(code="LGG", name="Liège")
    root = OrgUnitFactory(code="AGD", name="Douane", site=None)
    ops = OrgUnitFactory(code="OPS", name="Operations", parent=root, site=antwerp)
    return {
        "AGD": root,
        "OPS": ops,
        "ANR-01": OrgUnitFactory(code="ANR-01", name="Antwerpen 1", parent=ops, site=antwerp),
        "LGG-01": OrgUnitFactory(code="LGG-01", name="Liège 1", parent=root, site=liege),
    }


def row(number: str, last: str = "Peeters", first: str = "Jan", **values: str) -> list[str]:
    defaults = {
        "email": f"{number}@douane.example",
        "language": "NL",
        "unit": "ANR-01",
        "site": "",
        "function": "Douanier",
        "armed": "nee",
        "start": "2020-01-01",
        "end": "",
    }
    defaults.update(values)
    return [number, last, first, *defaults.values()]


def csv_bytes(
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(cells) for cells in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, header: Sequence[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for cells in rows:
        sheet.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def upload() -> Callable[..., SimpleUploadedFile]:
    def make(content: bytes, name: str = "roster.csv") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="application/octet-stream")

    return make
