"""What the findings together reveal: operational details or a service weapon, told in the first person.

A post that tells of seizures, controls or the service weapon as "we" or "I" shows that its author is an
officer, even when no word of it names the job. Writers label such drafts `identifies-officer`; the rules and
the classifier, which look for signs of the job itself, find few of them. So when the analysis warns about
`operational` or `weapon` and the post speaks in the first person, it also warns that the post identifies
the author, unless a rule or the classifier already did.

The first-person words are grammar, not policy, so they are listed here per language. The finding's
explanation, advice and article are those of the language's `officer-voice` rule ("written as the one who
checks, searches or seizes…"), so that the integrity service edits them in the admin with the rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .findings import Category, Finding, Severity
from .rules import LanguageRules, Message, fold

RULE_ID = "inferred:identifies-officer"
REVEALING = frozenset({Category.OPERATIONAL, Category.WEAPON})
FIRST_PERSON = {
    "nl": frozenset({"ik", "mij", "me", "mijn", "m'n", "wij", "we", "ons", "onze"}),
    "fr": frozenset({"je", "j", "moi", "me", "m", "mon", "ma", "mes", "nous", "notre", "nos", "on"}),
    "en": frozenset({"i", "me", "my", "mine", "we", "us", "our", "ours"}),
    "de": frozenset(
        {"ich", "mich", "mir", "mein", "meine", "meinen", "meinem", "meiner", "meines", "wir", "uns", "unser"}
        | {"unsere", "unseren", "unserem", "unserer", "unseres"}
    ),
}
_WORD = re.compile(r"[^\W\d_]+(?:'n)?")


def first_person_words(text: str, language: str) -> list[tuple[int, int]]:
    """The spans of the words of `text` that speak in the first person, in `language`."""
    words = FIRST_PERSON.get(language, frozenset())
    return [match.span() for match in _WORD.finditer(fold(text)) if match.group() in words]


def officer_inferred(text: str, findings: Sequence[Finding], rules: LanguageRules) -> list[Finding]:
    """A `warning` that the post identifies its author, when it warns about operational details or the weapon
    and is told in the first person, and nothing already warned that it identifies an officer.

    The span is the first-person word nearest to the first revealing finding."""
    warned = [
        finding for finding in findings if finding.severity >= Severity.WARNING and finding.source == "text"
    ]
    if any(finding.category == Category.IDENTIFIES_OFFICER for finding in warned):
        return []
    revealing = [finding for finding in warned if finding.category in REVEALING]
    first_person = first_person_words(text, rules.language)
    if not revealing or not first_person:
        return []
    message = _message(rules)
    if message is None:
        return []
    anchor = next((finding.span[0] for finding in revealing if finding.span is not None), 0)
    start, end = min(first_person, key=lambda span: abs(span[0] - anchor))
    return [
        Finding(
            category=Category.IDENTIFIES_OFFICER,
            severity=Severity.WARNING,
            rule=RULE_ID,
            explanation=message.explanation,
            advice=message.advice,
            article=message.article,
            source="text",
            span=(start, end),
            excerpt=text[start:end],
        )
    ]


def _message(rules: LanguageRules) -> Message | None:
    officer = [rule for rule in rules.rules if rule.message.category == Category.IDENTIFIES_OFFICER]
    voice = next((rule for rule in officer if rule.id.endswith("-officer-voice")), None)
    chosen = voice or (officer[0] if officer else None)
    return chosen.message if chosen else None
