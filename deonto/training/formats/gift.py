"""Moodle's GIFT text format (https://docs.moodle.org/en/GIFT_format), read into ``ParsedQuestion``.

Supported: multiple choice with one right answer (``=``) or with weighted answers (``~%50%``),
true/false, short answer (every answer ``=``) and matching (``=left -> right``, at least three
pairs), with titles, per-answer and general (``####``) feedback, format markers and escapes.
Numerical, essay and missing-word questions, and descriptions, are reported as unsupported.
A problem in one question is reported with its line and the next question is read all the same.

Short-answer entries that are not fully right (``=%0%wrong#feedback``) only carry feedback in
Moodle, so they are left out of the accepted answers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

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

# Escaped characters are swapped for private-use characters while the structure is read, so that
# an escaped "=" or "{" is never taken for markup, and swapped back in the texts.
_ESCAPED = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
    "n": "\ue007",
}
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_UNESCAPE = str.maketrans({hidden: ("\n" if char == "n" else char) for char, hidden in _ESCAPED.items()})

_FORMAT_MARKER = re.compile(r"\s*\[(html|moodle|plain|markdown)\]")
_TRUE_FALSE = re.compile(r"(T|TRUE|F|FALSE)\s*(?:#(.*))?", re.DOTALL | re.IGNORECASE)
_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")
_ANSWER_START = re.compile(r"[=~]")

_Cleaner = Callable[[str], str]


class _QuestionError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class _Block:
    """The lines of one question, comments left out, with the line number of each."""

    text: str
    line_starts: list[int]
    line_numbers: list[int]

    def line_at(self, offset: int) -> int:
        return self.line_numbers[bisect_right(self.line_starts, offset) - 1]


@dataclass(frozen=True)
class _Answer:
    marker: str
    weight: float | None
    text: str
    feedback: str
    line: int


def parse_gift(text: str) -> ParseResult:
    result = ParseResult()
    if not text.strip():
        result.errors.append(ParseError(1, "The file is empty."))
        return result
    for block in _blocks(text.removeprefix("\ufeff")):
        try:
            result.questions.append(_question(block))
        except _QuestionError as error:
            result.errors.append(ParseError(error.line, error.message))
    if not result.questions and not result.errors:
        result.errors.append(ParseError(1, "The file contains no questions."))
    return result


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    lines: list[tuple[int, str]] = []
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        stripped = line.strip()
        if not stripped:
            if lines:
                blocks.append(_block(lines))
                lines = []
        elif not stripped.startswith(("//", "$CATEGORY:")):
            lines.append((number, _ESCAPE.sub(lambda match: _ESCAPED[match.group(1)], line)))
    return blocks


def _block(lines: list[tuple[int, str]]) -> _Block:
    starts: list[int] = []
    offset = 0
    for _, line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return _Block(
        text="\n".join(line for _, line in lines),
        line_starts=starts,
        line_numbers=[number for number, _ in lines],
    )


def _question(block: _Block) -> ParsedQuestion:
    text = block.text
    line = block.line_numbers[0]
    name: str | None = None
    start = 0
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            raise _QuestionError(line, "The title is not closed with '::'.")
        name = _unescape(text[2:end]).strip() or None
        start = end + 2

    opening = text.find("{", start)
    closing = text.find("}", start)
    if opening == -1 and closing == -1:
        raise _QuestionError(line, "The question has no answers in braces (descriptions are not supported).")
    if opening == -1 or -1 < closing < opening:
        raise _QuestionError(block.line_at(closing), "Closing brace '}' without an opening brace '{'.")
    if closing == -1:
        raise _QuestionError(block.line_at(opening), "Unclosed brace: '{' has no matching '}'.")
    nested = text.find("{", opening + 1, closing)
    if nested != -1:
        raise _QuestionError(block.line_at(nested), "A brace '{' inside the answers; escape it as '\\{'.")
    if text[closing + 1 :].strip():
        raise _QuestionError(
            block.line_at(closing),
            "Text after the answers: missing-word questions are not supported "
            "(or a blank line is missing between two questions).",
        )

    prompt = text[start:opening]
    marker = _FORMAT_MARKER.match(prompt)
    is_html = bool(marker and marker.group(1) == "html")
    if marker:
        prompt = prompt[marker.end() :]

    def clean(raw: str) -> str:
        plain = _unescape(raw)
        return html_to_text(plain) if is_html else plain.strip()

    prompt = clean(prompt)
    if not prompt:
        raise _QuestionError(line, "The question has no text.")

    body = text[opening + 1 : closing]
    body_offset = opening + 1
    general_feedback = ""
    split = body.find("####")
    if split != -1:
        general_feedback = clean(body[split + 4 :])
        body = body[:split]

    content = body.strip()
    if not content:
        raise _QuestionError(line, "Essay questions ({}) are not supported.")
    if content.startswith("#"):
        raise _QuestionError(line, "Numerical questions ({#...}) are not supported.")

    kind: QuestionKind
    choices: list[ParsedChoice] = []
    pairs: list[ParsedPair] = []
    accepted: list[str] = []
    true_false = _TRUE_FALSE.fullmatch(content)
    if true_false:
        kind = "truefalse"
        choices = _true_false_choices(true_false, clean)
    else:
        answers = _answers(block, body, body_offset, clean)
        if "~" in content:
            kind = "single" if any(answer.marker == "=" for answer in answers) else "multiple"
            choices = _choices(answers, kind, line)
        elif "->" in content:
            kind = "matching"
            pairs = _pairs(answers, line)
        else:
            kind = "short"
            accepted = [answer.text for answer in answers if answer.weight is None or answer.weight >= 1]
            if not accepted:
                raise _QuestionError(line, "The short-answer question has no fully correct answer.")
    return ParsedQuestion(
        kind=kind,
        name=name,
        prompt=prompt,
        choices=choices,
        answers=accepted,
        pairs=pairs,
        feedback=general_feedback,
        line=line,
    )


def _unescape(text: str) -> str:
    return text.translate(_UNESCAPE)


def _true_false_choices(match: re.Match[str], clean: _Cleaner) -> list[ParsedChoice]:
    """``{T#feedback when wrong#feedback when right}``, as Moodle reads it."""
    is_true = match.group(1).upper().startswith("T")
    wrong, _, right = (match.group(2) or "").partition("#")
    return [
        ParsedChoice(
            key=key,
            text=key.capitalize(),
            feedback=clean(right if correct else wrong),
            correct=correct,
            weight=1.0 if correct else 0.0,
        )
        for key, correct in (("true", is_true), ("false", not is_true))
    ]


def _answers(block: _Block, body: str, body_offset: int, clean: _Cleaner) -> list[_Answer]:
    starts = [match.start() for match in _ANSWER_START.finditer(body)]
    if not starts or body[: starts[0]].strip():
        raise _QuestionError(
            block.line_at(body_offset), "Each answer must start with '=' (right) or '~' (wrong)."
        )
    answers: list[_Answer] = []
    for number, (begin, end) in enumerate(zip(starts, [*starts[1:], len(body)], strict=True), start=1):
        raw = body[begin + 1 : end]
        line = block.line_at(body_offset + begin)
        weight: float | None = None
        weight_match = _WEIGHT.match(raw)
        if weight_match:
            weight = float(weight_match.group(1)) / 100
            if not -1 <= weight <= 1:
                raise _QuestionError(line, f"Answer {number} has a weight outside -100% to 100%.")
            raw = raw[weight_match.end() :]
        answer_text, _, feedback = raw.partition("#")
        answer = _Answer(
            marker=body[begin], weight=weight, text=clean(answer_text), feedback=clean(feedback), line=line
        )
        if not answer.text:
            raise _QuestionError(line, f"Answer {number} has no text.")
        answers.append(answer)
    return answers


def _choices(answers: list[_Answer], kind: str, line: int) -> list[ParsedChoice]:
    choices: list[ParsedChoice] = []
    for index, answer in enumerate(answers):
        if kind == "single":
            correct = answer.marker == "="
            weight = answer.weight if answer.weight is not None else (1.0 if correct else 0.0)
        else:
            weight = answer.weight or 0.0
            correct = weight > 0
        choices.append(
            ParsedChoice(
                key=choice_key(index),
                text=answer.text,
                feedback=answer.feedback,
                correct=correct,
                weight=weight,
            )
        )
    correct_count = sum(choice.correct for choice in choices)
    if correct_count == 0:
        raise _QuestionError(
            line, "The question has no correct answer (mark one with '=' or give weights like '~%50%')."
        )
    if kind == "single" and correct_count > 1:
        raise _QuestionError(line, "A multiple-choice question with '=' must have exactly one '=' answer.")
    return choices


def _pairs(answers: list[_Answer], line: int) -> list[ParsedPair]:
    pairs: list[ParsedPair] = []
    for index, answer in enumerate(answers):
        left, arrow, right = answer.text.partition("->")
        if not arrow:
            raise _QuestionError(answer.line, f"Pair {index + 1} has no '->' between its two sides.")
        if not left.strip() or not right.strip():
            raise _QuestionError(answer.line, f"Pair {index + 1} has an empty side.")
        pairs.append(ParsedPair(key=pair_key(index), left=left.strip(), right=right.strip()))
    if len(pairs) < MIN_MATCHING_PAIRS:
        raise _QuestionError(line, f"A matching question needs at least {MIN_MATCHING_PAIRS} pairs.")
    return pairs
