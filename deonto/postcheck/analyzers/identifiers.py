"""Identifiers found in text, validated by their check digits where they have one.

A candidate whose check digit is wrong is not that identifier: "12.34.56-789.01" with a bad checksum is just
a number. Each match gives the kind (one of rules.IDENTIFIER_KINDS), the span and the matched text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from stdnum import iban, iso6346
from stdnum.be import bis, nn, vat
from stdnum.exceptions import ValidationError

_SEP = r"[ .\-/]?"
_NATIONAL_NUMBER = re.compile(
    rf"(?<![\w.])\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{2}}(?![\w])"
)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])")
_CONTAINER = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{3}[UJZujz] ?\d{3} ?\d{3}[ -]?\d(?![A-Za-z0-9])")
_COMPANY = re.compile(r"(?<![\w.])(?:BE ?)?[01]\d{3}[ .]?\d{3}[ .]?\d{3}(?![\w])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
# Belgian plates: 1-ABC-123 since 2010 (also written without dashes), ABC-123 and 123-ABC before.
_PLATE = re.compile(r"(?<![\w-])(?:[1-9][ .-]?[A-Z]{3}[ .-]?\d{3}|[A-Z]{3}-\d{3}|\d{3}-[A-Z]{3})(?![\w-])")
# Airlines seen at Belgian airports (passengers and cargo); anything else is too easy to confuse.
_AIRLINES = ("SN", "FR", "U2", "HV", "TB", "LH", "KL", "AF", "BA", "EK", "QR", "TK", "ET", "EY", "MS", "RJ",
             "AT", "3V", "QY", "X7", "CV", "LX", "OS", "AZ", "TP", "SK", "IB", "VY", "UA", "AA", "DL", "W6",
             "PC", "A3", "LO", "EW", "4U", "DY", "D8", "AY", "EI", "FX", "5Y", "JU", "TO", "BJ", "AH")  # fmt: skip
_FLIGHT = re.compile(
    r"(?<![\w-])(?P<code>" + "|".join(_AIRLINES) + r")(?P<space> ?)(?P<number>\d{1,4})(?![\w-])"
)
_FLIGHT_WORD = re.compile(r"(?:vlucht|vol|flight|flug|flugnummer|vluchtnummer)\w*\W{1,3}$", re.IGNORECASE)

_PHONE_LENIENCY = phonenumbers.Leniency.VALID


@dataclass(frozen=True)
class IdentifierMatch:
    kind: str
    span: tuple[int, int]
    text: str


def _compact(value: str) -> str:
    return re.sub(r"[ .\-/]", "", value)


def _national_numbers(text: str) -> list[IdentifierMatch]:
    matches = []
    for match in _NATIONAL_NUMBER.finditer(text):
        number = _compact(match.group())
        if nn.is_valid(number):
            matches.append(IdentifierMatch("national-register", match.span(), match.group()))
        elif bis.is_valid(number):
            matches.append(IdentifierMatch("bis-number", match.span(), match.group()))
    return matches


def _ibans(text: str) -> list[IdentifierMatch]:
    matches = []
    for match in _IBAN.finditer(text):
        candidate = match.group()
        # The pattern may swallow a following block of digits; shorten by groups until the checksum holds.
        while len(_compact(candidate)) >= 12:
            try:
                iban.validate(candidate, check_country=False)
            except ValidationError:
                candidate = candidate.rsplit(" ", 1)[0] if " " in candidate else candidate[:-1]
                continue
            start = match.start()
            matches.append(IdentifierMatch("iban", (start, start + len(candidate)), candidate))
            break
    return matches


def _containers(text: str) -> list[IdentifierMatch]:
    return [
        IdentifierMatch("container", match.span(), match.group())
        for match in _CONTAINER.finditer(text)
        if iso6346.is_valid(_compact(match.group()).upper())
    ]


def _companies(text: str) -> list[IdentifierMatch]:
    return [
        IdentifierMatch("company-number", match.span(), match.group())
        for match in _COMPANY.finditer(text)
        if vat.is_valid(_compact(match.group()))
    ]


def _phones(text: str) -> list[IdentifierMatch]:
    if sum(char.isdigit() for char in text) < 8:
        return []
    return [
        IdentifierMatch("phone", (match.start, match.end), match.raw_string)
        for match in phonenumbers.PhoneNumberMatcher(text, "BE", leniency=_PHONE_LENIENCY)
    ]


def _emails(text: str) -> list[IdentifierMatch]:
    if "@" not in text:
        return []
    return [IdentifierMatch("email", match.span(), match.group()) for match in _EMAIL.finditer(text)]


def _plates(text: str) -> list[IdentifierMatch]:
    return [IdentifierMatch("licence-plate", match.span(), match.group()) for match in _PLATE.finditer(text)]


def _flights(text: str) -> list[IdentifierMatch]:
    matches = []
    for match in _FLIGHT.finditer(text):
        # "SN2583" is a flight number; "SN 2583" only when a word like "flight" comes just before it.
        if match.group("space") and not _FLIGHT_WORD.search(text, max(0, match.start() - 20), match.start()):
            continue
        matches.append(IdentifierMatch("flight", match.span(), match.group()))
    return matches


# Earlier finders win where two matches overlap (a valid IBAN is not also a phone number).
_FINDERS = (_ibans, _national_numbers, _containers, _companies, _emails, _plates, _flights, _phones)


def find_identifiers(text: str) -> list[IdentifierMatch]:
    """Every validated identifier in `text`, in order of position, without overlaps."""
    found: list[IdentifierMatch] = []
    for finder in _FINDERS:
        for match in finder(text):
            start, end = match.span
            if all(end <= other.span[0] or start >= other.span[1] for other in found):
                found.append(match)
    return sorted(found, key=lambda match: match.span)
