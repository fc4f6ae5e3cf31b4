"""Rules as data: per language, the terms and patterns that signal a risk, and every message the analyzers give.

A `RuleSet` is built from plain dicts (the shipped YAML files, later database rows edited in the admin) and
compiled once: each rule becomes one regular expression, so checking a post is a handful of regex scans.

Term syntax: a term matches whole words, case-insensitively, with or without accents ("cocaine" matches
"cocaïne"); a `*` at either end lets the word continue ("*controle" matches "containercontrole", "seiz*"
matches "seized"); a space matches any run of whitespace. `patterns` are regular expressions used as given
(case-insensitive).

A rule's `context` makes it weigh what is near: with `required: true` the rule fires only when a context term
or pattern is within `window` words; otherwise a nearby context raises the rule to the context's `severity`.
`unless` suppresses a match when one of its terms is within its window ("zonder uniform").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .findings import Category, Severity

LANGUAGES = ("nl", "fr", "en", "de")

# The identifier findings and the photo findings every language must have a message for.
IDENTIFIER_KINDS = (
    "national-register",
    "bis-number",
    "iban",
    "container",
    "company-number",
    "phone",
    "email",
    "licence-plate",
    "flight",
)
PHOTO_KINDS = (
    "gps",
    "taken-at",
    "camera-serial",
    "camera",
    "faces",
    "faces-several",
    "face-marking",
    "marking",
    "code",
    "boarding-pass",
)


def _fold(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))
    return base if len(base) == 1 else lower


# Lower case without accents, one character for one character, so offsets in the folded text are offsets in
# the original. Covers Latin-1 and Latin Extended-A/B; other characters are left as they are.
_FOLD_TABLE = {code: _fold(chr(code)) for code in range(0x250) if _fold(chr(code)) != chr(code)}
_FOLD_TABLE[0x2019] = "'"  # the typographic apostrophe


def fold(text: str) -> str:
    """`text` in lower case without accents, with the same length (terms are matched on this)."""
    return text.translate(_FOLD_TABLE)


class RuleError(ValueError):
    """The rule data is incomplete or malformed; the message names the rule and the field."""


@dataclass(frozen=True)
class Message:
    """What a finding says: its category and severity, why it is a risk, how to fix it, which article to read."""

    category: Category
    severity: Severity
    explanation: str
    advice: str
    article: str | None


@dataclass(frozen=True)
class Context:
    matcher: Matcher
    window: int
    required: bool
    severity: Severity | None


@dataclass(frozen=True)
class Rule:
    id: str
    matcher: Matcher
    message: Message
    context: Context | None = None
    unless: Context | None = None


@dataclass(frozen=True)
class LanguageRules:
    language: str
    rules: tuple[Rule, ...]
    identifiers: Mapping[str, Message]
    photo: Mapping[str, Message]


def _parse_term(term: str) -> tuple[bool, str, bool]:
    """(continues to the left, folded core, continues to the right) of a term.

    In the core, words are separated by one space, "\x00" marks a word that continues ("technische* kontrolle")
    and "\x01" stands for any one word ("vanaf *").
    """
    words = [fold(word) for word in term.split()]
    if not any(word.strip("*") for word in words):
        raise RuleError(f"empty term: {term!r}")
    parts = []
    for position, word in enumerate(words):
        if word == "*":
            parts.append("\x01")
            continue
        if "*" in word.strip("*") or (position > 0 and word.startswith("*")):
            raise RuleError(f"'*' may only end a word, or start the first word: {term!r}")
        last = position == len(words) - 1
        parts.append(word.strip("*") + ("\x00" if word.endswith("*") and not last else ""))
    left_open = words[0].startswith("*") and words[0] != "*"
    right_open = words[-1].endswith("*") and words[-1] != "*"
    return left_open, " ".join(parts), right_open


class _Trie:
    __slots__ = ("bare", "children", "closed", "open")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.closed = False  # a term ends here, at the end of a word
        self.bare = False  # a term ending in punctuation or an emoji ends here, whatever follows
        self.open = False  # a term ends here, and the word may continue

    def add(self, core: str, right_open: bool) -> None:
        node = self
        for char in core:
            node = node.children.setdefault(char, _Trie())
        if right_open:
            node.open = True
        elif _is_word_char(core[-1]):
            node.closed = True
        else:
            node.bare = True

    def regex(self) -> str:
        alternatives = []
        for char, child in sorted(self.children.items()):
            if char == " ":
                piece = r"\s+"
            elif char == "\x00":
                piece = r"\w*"
            elif char == "\x01":
                piece = r"\w+"
            else:
                piece = re.escape(char)
            alternatives.append(piece + child.regex())
        # Longer continuations first: the alternation takes the first that matches.
        if self.open:
            alternatives.append(r"\w*")
        if self.closed:
            alternatives.append(r"(?!\w)")
        if self.bare:
            alternatives.append("")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "_\x00\x01"


def terms_regex(terms: Iterable[str]) -> str | None:
    """One regex for all `terms`, as tries (shared prefixes are tried once), to run on folded text.

    A term starts at the start of a word, unless it starts with `*` or with punctuation or an emoji ("📍",
    "#douane"), which may follow a word directly.
    """
    word_start, any_start, open_start = _Trie(), _Trie(), _Trie()
    count = 0
    for term in terms:
        left_open, core, right_open = _parse_term(str(term))
        if left_open:
            open_start.add(core, right_open)
        elif _is_word_char(core[0]):
            word_start.add(core, right_open)
        else:
            any_start.add(core, right_open)
        count += 1
    if not count:
        return None
    sources = []
    if word_start.children:
        sources.append(r"(?<!\w)" + word_start.regex())
    if any_start.children:
        sources.append(any_start.regex())
    if open_start.children:
        sources.append(r"(?<!\w)\w*?" + open_start.regex())
    return "|".join(sources)


@dataclass(frozen=True)
class Matcher:
    """Terms (matched on the folded text) and patterns (on the original text, case-insensitive)."""

    terms: re.Pattern[str] | None
    patterns: re.Pattern[str] | None

    def spans(self, text: str, folded: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        if self.terms is not None:
            found.extend(match.span() for match in self.terms.finditer(folded) if match.end() > match.start())
        if self.patterns is not None:
            found.extend(
                match.span() for match in self.patterns.finditer(text) if match.end() > match.start()
            )
        if self.terms is not None and self.patterns is not None:
            found.sort()
        return found


def _matcher(terms: Iterable[str], patterns: Iterable[str], where: str) -> Matcher:
    terms_source = terms_regex(terms)
    pattern_sources = []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise RuleError(f"{where}: invalid pattern {pattern!r}: {error}") from error
        pattern_sources.append(f"(?:{pattern})")
    if terms_source is None and not pattern_sources:
        raise RuleError(f"{where}: needs terms or patterns")
    return Matcher(
        terms=re.compile(terms_source) if terms_source else None,
        patterns=re.compile("|".join(pattern_sources), re.IGNORECASE) if pattern_sources else None,
    )


def _context(data: Mapping[str, Any] | None, where: str, *, default_required: bool) -> Context | None:
    if not data:
        return None
    severity = data.get("severity")
    return Context(
        matcher=_matcher(data.get("terms", ()), data.get("patterns", ()), where),
        window=int(data.get("window", 8)),
        required=bool(data.get("required", default_required)),
        severity=Severity(severity) if severity else None,
    )


def _message(data: Mapping[str, Any], where: str) -> Message:
    try:
        return Message(
            category=Category(data["category"]),
            severity=Severity(data.get("severity", "warning")),
            explanation=str(data["explanation"]).strip(),
            advice=str(data["advice"]).strip(),
            article=data.get("article"),
        )
    except KeyError as error:
        raise RuleError(f"{where}: missing {error.args[0]}") from error
    except ValueError as error:
        raise RuleError(f"{where}: {error}") from error


def _rule(data: Mapping[str, Any], language: str) -> Rule:
    rule_id = str(data.get("id", ""))
    where = f"{language}/{rule_id or '?'}"
    if not rule_id:
        raise RuleError(f"{where}: missing id")
    return Rule(
        id=rule_id,
        matcher=_matcher(data.get("terms", ()), data.get("patterns", ()), where),
        message=_message(data, where),
        context=_context(data.get("context"), f"{where}/context", default_required=False),
        unless=_context(data.get("unless"), f"{where}/unless", default_required=True),
    )


def _messages(data: Mapping[str, Any], kinds: Iterable[str], where: str) -> dict[str, Message]:
    messages = {}
    for kind in kinds:
        if kind not in data:
            raise RuleError(f"{where}: no message for {kind}")
        messages[kind] = _message(data[kind], f"{where}/{kind}")
    return messages


class RuleSet:
    """All rules and messages, per language; compiled once, then shared read-only between threads."""

    def __init__(self, languages: Mapping[str, LanguageRules]) -> None:
        self.languages = dict(languages)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> RuleSet:
        """Build from `{"nl": {"rules": [...], "identifiers": {...}, "photo": {...}}, "fr": ...}`."""
        languages = {}
        for language, language_data in data.items():
            rules = tuple(_rule(rule, language) for rule in language_data.get("rules", ()))
            ids = [rule.id for rule in rules]
            if len(ids) != len(set(ids)):
                raise RuleError(f"{language}: duplicate rule ids")
            languages[language] = LanguageRules(
                language=language,
                rules=rules,
                identifiers=_messages(language_data.get("identifiers", {}), IDENTIFIER_KINDS, language),
                photo=_messages(language_data.get("photo", {}), PHOTO_KINDS, language),
            )
        if not languages:
            raise RuleError("no languages")
        return cls(languages)

    def for_language(self, language: str) -> LanguageRules:
        """The rules of `language`, or of the first language present when it has none."""
        return self.languages.get(language) or next(iter(self.languages.values()))


_default: RuleSet | None = None
_default_lock = threading.Lock()


def load_default_rules() -> RuleSet:
    """The rules shipped with Deonto (data/rules/<language>.yaml), read and compiled once per process."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                folder = resources.files(__name__.rpartition(".")[0]).joinpath("data", "rules")
                data = {
                    language: yaml.safe_load(folder.joinpath(f"{language}.yaml").read_text(encoding="utf-8"))
                    for language in LANGUAGES
                }
                _default = RuleSet.from_data(data)
    return _default
