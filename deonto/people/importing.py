"""Reading and checking an HR roster export (CSV or XLSX), and working out what it changes.

Everything here works on plain data: bytes in, rows, records, errors and a plan out. The
services in ``services.py`` load what it needs from the database and write what it decides.

Errors about single cells are dicts ``{"row", "column", "code", "params"}`` so that they can be
stored and shown later in the reader's language (:func:`error_message`); errors about the whole
file raise :class:`RosterFileError` with a message translated at once.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deonto.core.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
XLSX_EXTENSIONS = frozenset({".xlsx"})
ENCODING_CHOICES: list[tuple[str, StrPromise]] = [
    ("", _("Detect automatically")),
    ("utf-8", _("UTF-8 (with or without BOM)")),
    ("utf-16", _("UTF-16 (with BOM)")),
    ("cp1252", _("Windows-1252 (Western Europe)")),
    ("iso-8859-15", _("ISO-8859-15 (Latin-9)")),
]
DELIMITERS = {"semicolon": ";", "comma": ",", "tab": "\t", "pipe": "|"}
DELIMITER_CHOICES: list[tuple[str, StrPromise]] = [
    ("", _("Detect automatically")),
    ("semicolon", _("Semicolon (;)")),
    ("comma", _("Comma (,)")),
    ("tab", _("Tab")),
    ("pipe", _("Vertical bar (|)")),
]
FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")
MAX_VALUE_IN_MESSAGE = 60


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: StrPromise
    required: bool
    aliases: frozenset[str]
    max_length: int = 0


def normalise_header(text: str) -> str:
    """``Date de début`` and ``start_date`` become ``datededebut`` and ``startdate``."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def _aliases(*names: str) -> frozenset[str]:
    return frozenset(normalise_header(name) for name in names)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "personnel_number",
        _("personnel number"),
        True,
        _aliases(
            "personeelsnummer",
            "personeelsnr",
            "stamnummer",
            "matricule",
            "numéro de matricule",
            "n° matricule",
            "personnel_number",
            "personnel number",
            "personnel no",
            "employee number",
            "employee id",
        ),
        20,
    ),
    FieldSpec(
        "last_name",
        _("last name"),
        True,
        _aliases(
            "naam",
            "achternaam",
            "familienaam",
            "nom",
            "nom de famille",
            "last_name",
            "surname",
            "family name",
        ),
        100,
    ),
    FieldSpec(
        "first_name",
        _("first name"),
        True,
        _aliases("voornaam", "prénom", "first_name", "given name"),
        100,
    ),
    FieldSpec(
        "email",
        _("e-mail address"),
        False,
        _aliases(
            "e-mail",
            "email",
            "e-mailadres",
            "mail",
            "courriel",
            "adresse e-mail",
            "adresse courriel",
            "email address",
        ),
        254,
    ),
    FieldSpec(
        "language",
        _("language"),
        True,
        _aliases("taal", "taalrol", "langue", "rôle linguistique", "language"),
    ),
    FieldSpec(
        "unit",
        _("unit"),
        True,
        _aliases(
            "eenheid",
            "eenheidscode",
            "dienst",
            "unité",
            "code unité",
            "service",
            "unit",
            "unit code",
            "org unit",
        ),
    ),
    FieldSpec(
        "site",
        _("site"),
        False,
        _aliases("site", "code site", "site code", "vestiging", "standplaats", "locatie", "lieu"),
    ),
    FieldSpec(
        "function",
        _("function"),
        False,
        _aliases("functie", "fonction", "function", "job title", "titel"),
        150,
    ),
    FieldSpec(
        "is_armed",
        _("armed officer"),
        False,
        _aliases("gewapend", "bewapend", "armé", "armed", "is_armed"),
    ),
    FieldSpec(
        "is_active",
        _("active"),
        False,
        _aliases("actief", "actif", "active", "is_active"),
    ),
    FieldSpec(
        "start_date",
        _("start date"),
        False,
        _aliases(
            "startdatum",
            "begindatum",
            "datum in dienst",
            "date de début",
            "date début",
            "date d'entrée",
            "start_date",
            "start date",
        ),
    ),
    FieldSpec(
        "end_date",
        _("end date"),
        False,
        _aliases(
            "einddatum",
            "datum uit dienst",
            "date de fin",
            "date fin",
            "date de sortie",
            "end_date",
            "end date",
        ),
    ),
)
FIELDS_BY_NAME = {spec.name: spec for spec in FIELDS}
REQUIRED_FIELDS = tuple(spec.name for spec in FIELDS if spec.required)

LANGUAGE_ALIASES = {
    normalise_header(alias): code
    for code, aliases in {
        "nl": ("nl", "nld", "dut", "nederlands", "néerlandais", "dutch", "vlaams"),
        "fr": ("fr", "fra", "fre", "français", "frans", "french", "francais"),
        "de": ("de", "deu", "ger", "deutsch", "duits", "allemand", "german"),
    }.items()
    for alias in aliases
}
TRUE_WORDS = frozenset({"ja", "j", "oui", "o", "yes", "y", "1", "true", "waar", "vrai", "x"})
FALSE_WORDS = frozenset({"nee", "n", "non", "no", "0", "false", "onwaar", "faux"})

ERROR_MESSAGES: dict[str, StrPromise] = {
    "required": _("This value is required."),
    "too_long": _("This value is longer than %(max)s characters."),
    "formula": _(
        "This value starts with “%(char)s”, which a spreadsheet would run as a formula; remove that character."
    ),
    "formula_control": _(
        "This value starts with a tab or a line break, which a spreadsheet could run as a formula; remove it."
    ),
    "invalid_email": _("“%(value)s” is not a valid e-mail address."),
    "invalid_date": _("“%(value)s” is not a valid date; use YYYY-MM-DD or DD/MM/YYYY."),
    "end_before_start": _("The end date %(end)s is before the start date %(start)s."),
    "unknown_language": _("“%(value)s” is not a known language; use NL, FR or DE."),
    "unknown_unit": _("There is no unit with the code “%(value)s”."),
    "unknown_site": _("There is no site with the code “%(value)s”."),
    "invalid_boolean": _("“%(value)s” is not a yes-or-no value; use ja/nee, oui/non, yes/no or 1/0."),
    "duplicate_personnel_number": _("The personnel number %(value)s appears on rows %(first)s and %(row)s."),
}


def error_message(error: dict[str, Any]) -> str:
    """The message of a stored cell error, in the active language."""
    template = ERROR_MESSAGES.get(error.get("code", ""))
    if template is None:
        return str(error.get("code", ""))
    return str(str(template) % error.get("params", {}))


class RosterFileError(DomainError):
    """The file as a whole cannot be imported (type, size, encoding, columns, emptiness)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    encoding: str = ""
    delimiter: str = ""


def file_format_for(file_name: str, head: bytes) -> str:
    """``csv`` or ``xlsx``, from the extension checked against the first bytes."""
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    is_zip = head.startswith(b"PK\x03\x04")
    if suffix in XLSX_EXTENSIONS:
        if not is_zip:
            raise RosterFileError(gettext("This file has the .xlsx extension but is not an Excel workbook."))
        return "xlsx"
    if suffix in CSV_EXTENSIONS:
        if is_zip or head.startswith(b"\xd0\xcf\x11\xe0"):
            raise RosterFileError(
                gettext(
                    "This file has the .csv extension but is a spreadsheet or an archive: save it as CSV, "
                    "or import it as an .xlsx file."
                )
            )
        return "csv"
    raise RosterFileError(
        gettext("Only CSV files (.csv, .txt, .tsv) and Excel workbooks (.xlsx) can be imported.")
    )


def read_table(data: bytes, *, file_format: str, encoding: str = "", delimiter: str = "") -> Table:
    if not data.strip():
        raise RosterFileError(gettext("The file is empty."))
    table = (
        _read_xlsx(data) if file_format == "xlsx" else _read_csv(data, encoding=encoding, delimiter=delimiter)
    )
    if not any(header for header in table.headers):
        raise RosterFileError(gettext("The file is empty."))
    if not table.rows:
        raise RosterFileError(gettext("The file has column headers but no rows of employees."))
    _check_duplicate_headers(table.headers)
    return table


def _check_duplicate_headers(headers: list[str]) -> None:
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = normalise_header(header)
        if not key:
            continue
        if key in seen:
            raise RosterFileError(
                gettext("The column “%(column)s” appears twice (columns %(first)s and %(second)s).")
                % {"column": header.strip(), "first": seen[key] + 1, "second": index + 1}
            )
        seen[key] = index


_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes, encoding: str = "") -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with.

    Without a chosen encoding: a BOM decides, else UTF-8 if the bytes are valid UTF-8, else
    Windows-1252, else ISO-8859-15 (what Belgian HR exports use). Text with control characters is
    refused as binary, whatever the encoding.
    """
    if encoding:
        return _decode_chosen(data, encoding)
    if data.startswith(codecs.BOM_UTF8):
        text, used = data.decode("utf-8-sig", errors="strict"), "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, used = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise _undecodable() from error
    else:
        text, used = "", ""
        for candidate in ("utf-8", "cp1252", "iso-8859-15"):
            if b"\x00" in data[:4096]:
                break
            try:
                text, used = data.decode(candidate), candidate
                break
            except UnicodeDecodeError:
                continue
        if not used:
            raise _undecodable()
    if _BINARY.search(text):
        raise _undecodable()
    return text, used


def _undecodable() -> RosterFileError:
    return RosterFileError(
        gettext(
            "The file cannot be read as text: it may be a binary file or use an unknown encoding. "
            "Save it as CSV (UTF-8) and try again."
        )
    )


def _decode_chosen(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError as error:
        raise RosterFileError(
            gettext("“%(encoding)s” is not a known encoding.") % {"encoding": encoding}
        ) from error
    label = {"utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252", "iso8859-15": "ISO-8859-15"}.get(
        codec, encoding
    )
    not_fitting = RosterFileError(
        gettext(
            "The file cannot be read with the encoding %(encoding)s that you chose. "
            "Choose another encoding, or let Deonto detect it."
        )
        % {"encoding": label}
    )
    try:
        text = data.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as error:
        raise not_fitting from error
    if codec not in {"utf-8", "utf-16", "utf-16-le", "utf-16-be"} and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise not_fitting
    if _BINARY.search(text):
        raise not_fitting
    return text, codec


def _read_csv(data: bytes, *, encoding: str, delimiter: str) -> Table:
    text, used = decode(data, encoding)
    separator = DELIMITERS.get(delimiter, delimiter) or _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        records = list(reader)
    except csv.Error as error:
        raise RosterFileError(
            gettext("The CSV file is malformed: %(detail)s") % {"detail": str(error)}
        ) from error
    headers: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    for number, record in enumerate(records, start=1):
        if not headers:
            if any(cell.strip() for cell in record):
                headers = [cell.strip() for cell in record]
            continue
        if any(cell.strip() for cell in record):
            rows.append((number, record))
    return Table(headers=headers, rows=rows, encoding=used, delimiter=separator)


def _sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {candidate: first_line.count(candidate) for candidate in (";", ",", "\t", "|")}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _read_xlsx(data: bytes) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        start_row = (sheet.start or (0, 0))[0]
        values = sheet.to_python(skip_empty_area=True)
    except (CalamineError, zipfile.BadZipFile, ValueError, OSError) as error:
        raise RosterFileError(gettext("The Excel workbook cannot be read; it may be damaged.")) from error
    headers: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    for offset, record in enumerate(values):
        if not any(_cell_text(cell) for cell in record):
            continue
        if not headers:
            headers = [_cell_text(cell) for cell in record]
            continue
        rows.append((start_row + offset + 1, list(record)))
    return Table(headers=headers, rows=rows, encoding="", delimiter="")


def _cell_text(value: Any) -> str:
    """A cell as text; whole numbers from a spreadsheet lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def auto_mapping(headers: list[str]) -> dict[str, int]:
    """Each field to the first column whose header is one of its known names (nl, fr, en)."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = normalise_header(header)
        for spec in FIELDS:
            if spec.name not in mapping and key in spec.aliases:
                mapping[spec.name] = index
                break
    return mapping


def check_mapping(headers: list[str], mapping: dict[str, int]) -> list[str]:
    """Translated messages for a mapping that cannot be used (missing or doubly used columns)."""
    messages: list[str] = []
    missing = [str(FIELDS_BY_NAME[name].label) for name in REQUIRED_FIELDS if name not in mapping]
    if missing:
        messages.append(
            gettext("These required columns are missing from the file or the mapping: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    used: dict[int, str] = {}
    for name, index in mapping.items():
        if name not in FIELDS_BY_NAME or not 0 <= index < len(headers):
            messages.append(gettext("The column mapping refers to a column that is not in the file."))
            continue
        if index in used:
            messages.append(
                gettext("The column “%(column)s” is chosen for both %(first)s and %(second)s.")
                % {
                    "column": headers[index],
                    "first": FIELDS_BY_NAME[used[index]].label,
                    "second": FIELDS_BY_NAME[name].label,
                }
            )
        used[index] = name
    return messages


@dataclass(frozen=True)
class UnitRef:
    id: int
    site_id: int | None


@dataclass
class Validation:
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_email_validator = EmailValidator()


def parse_date(value: Any) -> datetime.date | None:
    """A date from a spreadsheet, or from YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or DD.MM.YYYY text.

    Raises ValueError when the value is not a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value)
    if not text:
        return None
    if text.endswith(" 00:00:00"):
        text = text[:-9]
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DMY_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(text)
    return datetime.date(year, month, day)


def parse_boolean(value: Any) -> bool | None:
    """Raises ValueError when the value is neither yes nor no."""
    if isinstance(value, bool):
        return value
    text = _cell_text(value).lower()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(text)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_VALUE_IN_MESSAGE else text[: MAX_VALUE_IN_MESSAGE - 1] + "…"


def validate_rows(
    table: Table,
    mapping: dict[str, int],
    *,
    units: dict[str, UnitRef],
    sites: dict[str, int],
    progress: Callable[[int], None] | None = None,
    progress_every: int = 5000,
) -> Validation:
    """Every row checked against the rules and the known units and sites.

    Returns the records of the rows (one dict of Employee values each) and the errors of all rows.
    """
    result = Validation()
    columns = {name: (index, table.headers[index] or str(index + 1)) for name, index in mapping.items()}
    units_folded = {code.casefold(): ref for code, ref in units.items()}
    sites_folded = {code.casefold(): pk for code, pk in sites.items()}
    first_row_of: dict[str, int] = {}
    errors = result.errors

    for count, (row_number, cells) in enumerate(table.rows, start=1):
        if progress is not None and count % progress_every == 0:
            progress(count)
        record: dict[str, Any] = {"row": row_number}
        row_ok = True

        def fail(name: str, code: str, row_number: int = row_number, **params: Any) -> None:
            errors.append({"row": row_number, "column": columns[name][1], "code": code, "params": params})

        texts: dict[str, str] = {}
        raw: dict[str, Any] = {}
        for name, (index, _header) in columns.items():
            value = cells[index] if index < len(cells) else ""
            raw[name] = value
            if isinstance(value, str):
                if value.startswith(CONTROL_STARTS):
                    fail(name, "formula_control")
                    row_ok = False
                    value = ""
                else:
                    value = value.strip()
                    if value.startswith(FORMULA_STARTS):
                        fail(name, "formula", char=value[0])
                        row_ok = False
                        value = ""
                texts[name] = value
            else:
                texts[name] = _cell_text(value)

        for name in ("personnel_number", "last_name", "first_name", "email", "function"):
            if name not in columns:
                continue
            value = texts[name]
            spec = FIELDS_BY_NAME[name]
            if not value and spec.required:
                if not _was_refused(raw[name]):
                    fail(name, "required")
                row_ok = False
            elif spec.max_length and len(value) > spec.max_length:
                fail(name, "too_long", max=spec.max_length)
                row_ok = False
            record[name] = value

        number = record.get("personnel_number", "")
        if number:
            if number in first_row_of:
                fail(
                    "personnel_number",
                    "duplicate_personnel_number",
                    value=number,
                    first=first_row_of[number],
                    row=row_number,
                )
                row_ok = False
            else:
                first_row_of[number] = row_number

        email = record.get("email", "")
        if email:
            try:
                _email_validator(email)
            except ValidationError:
                fail("email", "invalid_email", value=_shorten(email))
                row_ok = False

        language_text = texts["language"]
        language = LANGUAGE_ALIASES.get(normalise_header(language_text))
        if language is None:
            if language_text:
                fail("language", "unknown_language", value=_shorten(language_text))
            elif not _was_refused(raw["language"]):
                fail("language", "required")
            row_ok = False
        record["language"] = language

        unit_code = texts["unit"]
        unit = units.get(unit_code) or units_folded.get(unit_code.casefold())
        if unit is None:
            if unit_code:
                fail("unit", "unknown_unit", value=_shorten(unit_code))
            elif not _was_refused(raw["unit"]):
                fail("unit", "required")
            row_ok = False
        else:
            record["unit_id"] = unit.id
            record["site_id"] = unit.site_id
        if "site" in columns and texts["site"]:
            site_code = texts["site"]
            site_id = sites.get(site_code) or sites_folded.get(site_code.casefold())
            if site_id is None:
                fail("site", "unknown_site", value=_shorten(site_code))
                row_ok = False
            else:
                record["site_id"] = site_id

        for name in ("is_armed", "is_active"):
            if name not in columns:
                continue
            try:
                flag = parse_boolean(raw[name] if not isinstance(raw[name], str) else texts[name])
            except ValueError:
                fail(name, "invalid_boolean", value=_shorten(texts[name]))
                row_ok = False
                continue
            record[name] = flag if flag is not None else name == "is_active"

        for name in ("start_date", "end_date"):
            if name not in columns:
                continue
            try:
                record[name] = parse_date(raw[name] if not isinstance(raw[name], str) else texts[name])
            except ValueError:
                fail(name, "invalid_date", value=_shorten(texts[name]))
                row_ok = False
        start, end = record.get("start_date"), record.get("end_date")
        if start and end and end < start:
            fail("end_date", "end_before_start", end=end.isoformat(), start=start.isoformat())
            row_ok = False

        if row_ok:
            result.records.append(record)
    if progress is not None:
        progress(len(table.rows))
    return result


def _was_refused(value: Any) -> bool:
    """A cell already reported as a formula, so it is not also reported as missing."""
    return isinstance(value, str) and (
        value.startswith(CONTROL_STARTS) or value.strip().startswith(FORMULA_STARTS)
    )


# Fields of Employee that an import compares and writes, in the order the result page lists them.
COMPARED_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "language",
    "unit_id",
    "site_id",
    "function",
    "is_armed",
    "is_active",
    "start_date",
    "end_date",
)
# Fields the file always decides, whether or not their column is mapped.
ALWAYS_MANAGED = frozenset({"first_name", "last_name", "language", "unit_id", "site_id", "is_active"})
MAPPED_FIELD = {
    "email": "email",
    "function": "function",
    "is_armed": "is_armed",
    "start_date": "start_date",
    "end_date": "end_date",
}
DEFAULTS: dict[str, Any] = {
    "email": "",
    "function": "",
    "is_armed": False,
    "is_active": True,
    "start_date": None,
    "end_date": None,
}


def managed_fields(mapping: Iterable[str]) -> frozenset[str]:
    mapped = set(mapping)
    return ALWAYS_MANAGED | {field_name for field_name, column in MAPPED_FIELD.items() if column in mapped}


@dataclass
class Update:
    current: dict[str, Any]
    changes: dict[str, tuple[Any, Any]]
    reactivated: bool


@dataclass
class Plan:
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    deactivations: list[tuple[dict[str, Any], datetime.date | None]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reactivated(self) -> int:
        return sum(1 for update in self.updates if update.reactivated)

    @property
    def updated(self) -> int:
        return len(self.updates) - self.reactivated


def plan_changes(
    records: list[dict[str, Any]],
    existing: dict[str, dict[str, Any]],
    *,
    managed: frozenset[str],
    today: datetime.date,
) -> Plan:
    """What applying the records to the current roster changes.

    ``existing`` maps each personnel number to the Employee's values (``id`` and the compared
    fields). Active employees missing from the records are deactivated, with today as end date
    when they had none (or their start date, when that is still to come)."""
    plan = Plan()
    seen: set[str] = set()
    for record in records:
        number = record["personnel_number"]
        seen.add(number)
        current = existing.get(number)
        if current is None:
            plan.creates.append({**DEFAULTS, **{k: v for k, v in record.items() if k != "row"}})
            continue
        wanted = {name: record.get(name, DEFAULTS.get(name)) for name in managed}
        reactivated = bool(not current["is_active"] and wanted["is_active"])
        if reactivated and "end_date" not in managed:
            wanted["end_date"] = None
        changes = {
            name: (current[name], wanted[name])
            for name in COMPARED_FIELDS
            if name in wanted and current[name] != wanted[name]
        }
        start = changes.get("start_date", (None, current["start_date"]))[1]
        end = changes.get("end_date", (None, current["end_date"]))[1]
        if start and end and end < start:
            plan.errors.append(
                {
                    "row": record["row"],
                    "column": "",
                    "code": "end_before_start",
                    "params": {"end": end.isoformat(), "start": start.isoformat()},
                }
            )
            continue
        if changes:
            plan.updates.append(Update(current=current, changes=changes, reactivated=reactivated))
        else:
            plan.unchanged += 1
    for number, current in existing.items():
        if number in seen or not current["is_active"]:
            continue
        end_date = current["end_date"]
        if end_date is None:
            start = current["start_date"]
            end_date = start if start is not None and start > today else today
        plan.deactivations.append((current, end_date))
    return plan
