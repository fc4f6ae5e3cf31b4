"""Analysis of a draft post's text: identifiers and the rules of the post's language, weighed by context."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter

from .findings import Analysis, Finding, InputRejected, Severity
from .identifiers import find_identifiers
from .language import detect_language
from .rules import Context, LanguageRules, Rule, RuleSet, fold, load_default_rules

MAX_CHARACTERS = 20_000
# A text repeating one risky word thousands of times needs only a few highlights per rule.
MAX_FINDINGS_PER_RULE = 20

_WORD = re.compile(r"\w+")


class _Words:
    """Maps character offsets to word positions, so that context windows are counted in words."""

    def __init__(self, text: str) -> None:
        self.starts = [match.start() for match in _WORD.finditer(text)]

    def index(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def positions(self, span: tuple[int, int]) -> tuple[int, int]:
        """The first and last word of `span`."""
        return self.index(span[0]), self.index(span[1] - 1)


# A context term or pattern spans at most this many words; only spans starting this far before a match
# need a closer look.
_LONGEST_CONTEXT = 12


class _Nearby:
    """The spans of a context in a text, found near a match by binary search rather than one by one."""

    def __init__(self, context: Context, spans: list[tuple[int, int]], words: _Words) -> None:
        self.window = context.window
        self.spans = sorted(spans)
        self.positions = [words.positions(span) for span in self.spans]
        self.first_words = [first for first, _ in self.positions]

    def near(self, span: tuple[int, int], words: _Words) -> bool:
        first, last = words.positions(span)
        low = bisect_left(self.first_words, first - self.window - _LONGEST_CONTEXT)
        high = bisect_right(self.first_words, last + self.window)
        for other, (other_first, other_last) in zip(
            self.spans[low:high], self.positions[low:high], strict=True
        ):
            if span[0] <= other[0] and other[1] <= span[1]:
                continue  # the match itself is not its own context
            if other_last < first:
                distance = first - other_last
            elif other_first > last:
                distance = other_first - last
            else:
                distance = 0
            if distance <= self.window:
                return True
        return False


def _rule_findings(
    rule: Rule, text: str, folded: str, words: _Words | None
) -> tuple[list[Finding], _Words | None]:
    findings: list[Finding] = []
    spans = rule.matcher.spans(text, folded)
    if not spans:
        return findings, words
    if (rule.context or rule.unless) and words is None:
        words = _Words(text)
    context = (
        _Nearby(rule.context, rule.context.matcher.spans(text, folded), words)
        if rule.context and words
        else None
    )
    unless = (
        _Nearby(rule.unless, rule.unless.matcher.spans(text, folded), words)
        if rule.unless and words
        else None
    )
    message = rule.message
    for span in spans:
        severity = message.severity
        if unless and words and unless.near(span, words):
            continue
        if rule.context and context and words:
            near = context.near(span, words)
            if rule.context.required and not near:
                continue
            if near and rule.context.severity is not None:
                severity = max(severity, rule.context.severity)
        findings.append(
            Finding(
                category=message.category,
                severity=severity,
                rule=rule.id,
                explanation=message.explanation,
                advice=message.advice,
                article=message.article,
                source="text",
                span=span,
                excerpt=text[span[0] : span[1]],
            )
        )
        if len(findings) >= MAX_FINDINGS_PER_RULE:
            break
    return findings, words


def rule_warnings(rule: Rule, text: str) -> list[str]:
    """The words on which this one rule gives a warning (or a high-risk finding) in `text`, with its context
    and its `unless` weighed as in a check: how a rule's examples are checked when it is edited."""
    findings, _words = _rule_findings(rule, text, fold(text), None)
    return [
        finding.excerpt for finding in findings if finding.severity >= Severity.WARNING and finding.excerpt
    ]


def _identifier_findings(text: str, rules: LanguageRules) -> list[Finding]:
    findings = []
    per_kind: Counter[str] = Counter()
    for match in find_identifiers(text):
        per_kind[match.kind] += 1
        if per_kind[match.kind] > MAX_FINDINGS_PER_RULE:
            continue
        message = rules.identifiers[match.kind]
        findings.append(
            Finding(
                category=message.category,
                severity=message.severity,
                rule=f"identifier:{match.kind}",
                explanation=message.explanation,
                advice=message.advice,
                article=message.article,
                source="text",
                span=match.span,
                excerpt=match.text,
            )
        )
    return findings


def analyze_text(
    text: str,
    *,
    language: str | None = None,
    default_language: str = "nl",
    rules: RuleSet | None = None,
) -> Analysis:
    """What could go wrong with posting `text`, with explanations and advice in the post's language.

    `language` forces the language (the rules and messages used); otherwise it is detected, falling back to
    `default_language` (the user's language) when the text is too short or ambiguous to tell.
    """
    if len(text) > MAX_CHARACTERS:
        raise InputRejected(
            "too-long", f"The text is too long to check: at most {MAX_CHARACTERS:,} characters, please."
        )
    if not text.strip():
        raise InputRejected("empty", "There is no text to check.")
    rules = rules or load_default_rules()
    if language in rules.languages:
        confidence = 1.0
    else:
        language, confidence = detect_language(text, default=default_language)
    language_rules = rules.for_language(language)

    findings = _identifier_findings(text, language_rules)
    folded = fold(text)
    words: _Words | None = None
    for rule in language_rules.rules:
        rule_findings, words = _rule_findings(rule, text, folded, words)
        findings.extend(rule_findings)
    findings.sort(key=lambda finding: (-finding.severity.rank, finding.span or (0, 0)))
    return Analysis(language=language_rules.language, language_confidence=confidence, findings=findings)
