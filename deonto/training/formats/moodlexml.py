"""Moodle XML question files (https://docs.moodle.org/en/Moodle_XML_format), read into ``ParsedQuestion``.

Supported types: multichoice (single or multiple answers), truefalse, shortanswer and matching;
categories are skipped and any other type is reported as unsupported, with its line, while the
other questions are read all the same. Texts in HTML become plain text; other formats are kept.

Files with a DOCTYPE are refused before any entity could be declared or expanded (the attacks
``defusedxml`` guards against: external entities and entity expansion bombs). Expat is driven
directly so that each element's line is known for the error messages.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from xml.parsers import expat

from deonto.training.formats.questions import (
    MIN_MATCHING_PAIRS,
    ParsedChoice,
    ParsedPair,
    ParsedQuestion,
    ParseError,
    ParseResult,
    QuestionKind,
    choice_key,
    html_to_text,
    pair_key,
)

SUPPORTED_TYPES = ("multichoice", "truefalse", "shortanswer", "matching")
_HTML_FORMATS = frozenset({"html"})


class _QuestionError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _DeclarationRefusedError(Exception):
    def __init__(self, line: int) -> None:
        super().__init__("DOCTYPE")
        self.line = line


def parse_moodle_xml(source: str | bytes) -> ParseResult:
    """Bytes are decoded as the XML declaration says; text is taken as it is."""
    result = ParseResult()
    if not source.strip():
        result.errors.append(ParseError(1, "The file is empty."))
        return result
    try:
        root, lines = _tree(source)
    except _DeclarationRefusedError as refused:
        result.errors.append(
            ParseError(refused.line, "DOCTYPE and ENTITY declarations are not allowed in question files.")
        )
        return result
    except expat.ExpatError as error:
        result.errors.append(ParseError(error.lineno, f"Invalid XML: {expat.ErrorString(error.code)}."))
        return result

    if root.tag != "quiz":
        result.errors.append(ParseError(lines[root], f"The root element is <{root.tag}>, expected <quiz>."))
        return result
    for element in root.findall("question"):
        kind = element.get("type", "")
        if kind == "category":
            continue
        try:
            result.questions.append(_question(element, kind, lines))
        except _QuestionError as error:
            result.errors.append(ParseError(error.line, error.message))
    if not result.questions and not result.errors:
        result.errors.append(ParseError(lines[root], "The file contains no questions."))
    return result


def _tree(source: str | bytes) -> tuple[ET.Element, dict[ET.Element, int]]:
    parser = expat.ParserCreate()
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        lines[builder.start(tag, attributes)] = parser.CurrentLineNumber

    def end(tag: str) -> None:
        builder.end(tag)

    def refuse(*_: object) -> None:
        raise _DeclarationRefusedError(parser.CurrentLineNumber)

    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(source, True)
    return builder.close(), lines


def _question(element: ET.Element, kind: str, lines: dict[ET.Element, int]) -> ParsedQuestion:
    line = lines[element]
    if not kind:
        raise _QuestionError(line, "The question has no type attribute.")
    if kind not in SUPPORTED_TYPES:
        raise _QuestionError(line, f"Questions of type '{kind}' are not supported.")
    prompt = _text(element.find("questiontext"))
    if not prompt:
        raise _QuestionError(line, "The question has no text.")

    choices: list[ParsedChoice] = []
    pairs: list[ParsedPair] = []
    accepted: list[str] = []
    parsed_kind: QuestionKind
    if kind == "multichoice":
        single = (element.findtext("single") or "true").strip().lower() in {"true", "1"}
        parsed_kind = "single" if single else "multiple"
        choices = _choices(element, single=single, line=line, lines=lines)
    elif kind == "truefalse":
        parsed_kind = "truefalse"
        choices = _true_false_choices(element, line=line, lines=lines)
    elif kind == "shortanswer":
        parsed_kind = "short"
        accepted = [
            _text(answer)
            for answer in element.findall("answer")
            if _fraction(answer, lines) >= 1 and _text(answer)
        ]
        if not accepted:
            raise _QuestionError(line, "The short-answer question has no answer with fraction 100.")
    else:
        parsed_kind = "matching"
        pairs = _pairs(element, line=line, lines=lines)

    name = _text(element.find("name")) or None
    return ParsedQuestion(
        kind=parsed_kind,
        name=name,
        prompt=prompt,
        choices=choices,
        answers=accepted,
        pairs=pairs,
        feedback=_text(element.find("generalfeedback")),
        points=_points(element, lines),
        line=line,
    )


def _text(element: ET.Element | None) -> str:
    """The ``<text>`` of an element such as ``<questiontext format="html">``, as plain text."""
    if element is None:
        return ""
    raw = element.findtext("text") or ""
    if element.get("format", "") in _HTML_FORMATS:
        return html_to_text(raw)
    return raw.strip()


def _fraction(answer: ET.Element, lines: dict[ET.Element, int]) -> float:
    """Moodle's percentage as a share: "100" is 1.0, "-50" is -0.5."""
    raw = answer.get("fraction", "0")
    try:
        fraction = float(raw) / 100
    except ValueError:
        fraction = math.nan
    if not -1 <= fraction <= 1:
        raise _QuestionError(lines[answer], f"The answer fraction '{raw}' is not a number from -100 to 100.")
    return fraction


def _points(element: ET.Element, lines: dict[ET.Element, int]) -> int:
    grade = element.find("defaultgrade")
    if grade is None or not (grade.text or "").strip():
        return 1
    raw = (grade.text or "").strip()
    try:
        points = float(raw)
    except ValueError:
        points = math.nan
    if not (points.is_integer() and points >= 1):
        raise _QuestionError(lines[grade], f"The default grade '{raw}' is not a whole number of points.")
    return int(points)


def _choices(
    element: ET.Element, *, single: bool, line: int, lines: dict[ET.Element, int]
) -> list[ParsedChoice]:
    choices: list[ParsedChoice] = []
    for index, answer in enumerate(element.findall("answer")):
        text = _text(answer)
        if not text:
            raise _QuestionError(lines[answer], f"Answer {index + 1} has no text.")
        weight = _fraction(answer, lines)
        choices.append(
            ParsedChoice(
                key=choice_key(index),
                text=text,
                feedback=_text(answer.find("feedback")),
                correct=weight >= 1 if single else weight > 0,
                weight=weight,
            )
        )
    correct_count = sum(choice.correct for choice in choices)
    if correct_count == 0:
        raise _QuestionError(line, "The question has no correct answer.")
    if single and correct_count > 1:
        raise _QuestionError(line, "A single-answer question has more than one answer with fraction 100.")
    return choices


def _true_false_choices(
    element: ET.Element, *, line: int, lines: dict[ET.Element, int]
) -> list[ParsedChoice]:
    found: dict[str, ET.Element] = {}
    for answer in element.findall("answer"):
        value = _text(answer).lower()
        if value not in {"true", "false"} or value in found:
            raise _QuestionError(
                lines[answer], "A true/false question needs one answer 'true' and one 'false'."
            )
        found[value] = answer
    if len(found) != 2:
        raise _QuestionError(line, "A true/false question needs one answer 'true' and one 'false'.")
    choices = [
        ParsedChoice(
            key=key,
            text=key.capitalize(),
            feedback=_text(found[key].find("feedback")),
            correct=_fraction(found[key], lines) >= 1,
            weight=_fraction(found[key], lines),
        )
        for key in ("true", "false")
    ]
    if sum(choice.correct for choice in choices) != 1:
        raise _QuestionError(line, "Exactly one of 'true' and 'false' must have fraction 100.")
    return choices


def _pairs(element: ET.Element, *, line: int, lines: dict[ET.Element, int]) -> list[ParsedPair]:
    pairs: list[ParsedPair] = []
    for index, subquestion in enumerate(element.findall("subquestion")):
        left = _text(subquestion)
        right = (subquestion.findtext("answer/text") or "").strip()
        if not left or not right:
            raise _QuestionError(
                lines[subquestion],
                f"Pair {index + 1} has an empty side (extra wrong answers are not supported).",
            )
        pairs.append(ParsedPair(key=pair_key(index), left=left, right=right))
    if len(pairs) < MIN_MATCHING_PAIRS:
        raise _QuestionError(line, f"A matching question needs at least {MIN_MATCHING_PAIRS} pairs.")
    return pairs
