"""The questions read from GIFT and Moodle XML files, in the shape of the course bundle's items:
a language-neutral structure (kind, choice keys, which choices are correct) with the texts of the
one language the file was written in.

``html_to_text`` turns the HTML that Moodle stores into plain text, paragraphs kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from string import ascii_lowercase
from typing import Literal

QuestionKind = Literal["single", "multiple", "truefalse", "short", "matching"]

MIN_MATCHING_PAIRS = 3


@dataclass(frozen=True, kw_only=True)
class ParsedChoice:
    """One answer of a single, multiple or true/false question.

    ``weight`` is the share of the question's points the choice earns, Moodle's percentage divided
    by 100: 1.0 for a fully correct answer, 0.5 for half, negative for a penalty.
    """

    key: str
    text: str
    feedback: str
    correct: bool
    weight: float


@dataclass(frozen=True, kw_only=True)
class ParsedPair:
    key: str
    left: str
    right: str


@dataclass(frozen=True, kw_only=True)
class ParsedQuestion:
    kind: QuestionKind
    name: str | None
    prompt: str
    choices: list[ParsedChoice] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    pairs: list[ParsedPair] = field(default_factory=list)
    feedback: str = ""
    points: int = 1
    line: int


@dataclass(frozen=True)
class ParseError:
    """A problem in the file; ``line`` is 0 when it concerns the file as a whole."""

    line: int
    message: str


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)


def choice_key(index: int) -> str:
    """The bundle's keys for choices in their order: a, b, … z, then aa, ab, …"""
    if index < len(ascii_lowercase):
        return ascii_lowercase[index]
    return choice_key(index // len(ascii_lowercase) - 1) + ascii_lowercase[index % len(ascii_lowercase)]


def pair_key(index: int) -> str:
    return f"p{index + 1}"


_SPACES = re.compile(r"\s+")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")
_BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "hr"}
    | {"section", "article", "header", "footer", "figure", "dl"}
)
_HIDDEN_TAGS = frozenset({"script", "style", "template"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in {"br", "tr", "dt", "dd"}:
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(_SPACES.sub(" ", data))


def html_to_text(html: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, paragraphs kept as blank lines.

    The result is text, not markup: whoever displays it escapes it like any other text.
    """
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = [_RUNS_OF_SPACES.sub(" ", line).strip() for line in "".join(extractor.parts).split("\n")]
    return _EXTRA_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
