"""Quiz questions from Moodle's GIFT and Moodle XML files, as plain dataclasses.

``parse_file`` picks the format by the file's extension; ``parse_gift`` and ``parse_moodle_xml``
read text already in hand. None of them raises on a bad file: problems come back as
``ParseError``s with a line number, and every question that could be read comes back too.
"""

from __future__ import annotations

import os
from pathlib import Path

from deonto.training.formats.gift import parse_gift
from deonto.training.formats.moodlexml import parse_moodle_xml
from deonto.training.formats.questions import (
    ParsedChoice,
    ParsedPair,
    ParsedQuestion,
    ParseError,
    ParseResult,
    QuestionKind,
    html_to_text,
)

__all__ = [
    "ParseError",
    "ParseResult",
    "ParsedChoice",
    "ParsedPair",
    "ParsedQuestion",
    "QuestionKind",
    "html_to_text",
    "parse_file",
    "parse_gift",
    "parse_moodle_xml",
]

GIFT_EXTENSIONS = frozenset({".gift", ".txt"})
XML_EXTENSIONS = frozenset({".xml"})


def parse_file(path: str | os.PathLike[str]) -> ParseResult:
    path = Path(path)
    extension = path.suffix.lower()
    if extension not in GIFT_EXTENSIONS | XML_EXTENSIONS:
        return _failure(0, f"Unknown question file type '{path.suffix}': use .gift, .txt or .xml.")
    try:
        content = path.read_bytes()
    except OSError as error:
        return _failure(0, f"The file cannot be read: {error.strerror or error}.")
    if extension in XML_EXTENSIONS:
        return parse_moodle_xml(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _failure(content.count(b"\n", 0, error.start) + 1, "The file is not UTF-8 text.")
    return parse_gift(text)


def _failure(line: int, message: str) -> ParseResult:
    return ParseResult(errors=[ParseError(line, message)])
