"""Operational details or the service weapon told in the first person identify the author as an officer."""

import pytest

from deonto.postcheck.analyzers.analyze import analyze
from deonto.postcheck.analyzers.findings import Category, Finding, Severity
from deonto.postcheck.analyzers.inference import RULE_ID, first_person_words, officer_inferred
from deonto.postcheck.analyzers.rules import load_default_rules


def _inferred(text: str, language: str) -> list[Finding]:
    return [
        finding
        for finding in analyze(text=text, photo=None, language=language).findings
        if finding.rule == RULE_ID
    ]


def _officer_voice(language: str):
    return next(
        rule
        for rule in load_default_rules().for_language(language).rules
        if rule.id == f"{language}-officer-voice"
    )


@pytest.mark.parametrize(
    ("language", "text", "pronoun"),
    [
        ("nl", "Mooie vangst vandaag: 200 kg coke in een container, wij waren er als eersten bij", "wij"),
        ("nl", "Morgen controleren we alle vrachtwagens op de E17", "we"),
        ("fr", "Belle prise cette nuit, on a sorti 40 kilos de cocaïne d'un conteneur de bananes", "on"),
    ],
)
def test_operational_details_told_in_the_first_person_identify_the_author(language, text, pronoun):
    analysis = analyze(text=text, photo=None, language=language)
    assert Category.OPERATIONAL in analysis.categories
    [finding] = _inferred(text, language)
    assert finding.category == Category.IDENTIFIES_OFFICER
    assert finding.severity == Severity.WARNING
    assert finding.excerpt.lower() == pronoun
    assert text[finding.span[0] : finding.span[1]] == finding.excerpt
    message = _officer_voice(language).message
    assert (finding.explanation, finding.advice, finding.article) == (
        message.explanation,
        message.advice,
        message.article,
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Grosse saisie au port hier : 200 kg de cocaïne dans un conteneur, selon la presse"),
        ("nl", "Volgens de krant werd er gisteren 200 kg coke in een container in de haven gevonden"),
    ],
)
def test_operational_details_told_as_news_do_not(language, text):
    assert Category.OPERATIONAL in analyze(text=text, photo=None, language=language).categories
    assert _inferred(text, language) == []


def test_nothing_is_added_when_a_rule_already_warned_that_the_post_identifies_an_officer():
    text = "Wij controleren vandaag alle containers aan de kaai, in uniform en met onze honden"
    analysis = analyze(text=text, photo=None, language="nl")
    officer = [finding for finding in analysis.findings if finding.category == Category.IDENTIFIES_OFFICER]
    assert officer
    assert all(finding.rule != RULE_ID for finding in officer)


def _finding(category: Category, severity: Severity, source: str = "text") -> Finding:
    return Finding(
        category=category,
        severity=severity,
        rule="test",
        explanation="",
        advice="",
        article=None,
        source=source,
        span=(0, 4),
    )


def test_only_a_warning_about_operations_or_the_weapon_in_the_text_counts():
    rules = load_default_rules().for_language("en")
    text = "We were there all night"
    assert officer_inferred(text, [_finding(Category.OPERATIONAL, Severity.INFO)], rules) == []
    assert officer_inferred(text, [_finding(Category.LOCATION, Severity.WARNING)], rules) == []
    assert (
        officer_inferred(text, [_finding(Category.WEAPON, Severity.HIGH, source="photo-text")], rules) == []
    )
    [finding] = officer_inferred(text, [_finding(Category.WEAPON, Severity.HIGH)], rules)
    assert finding.excerpt == "We"


def test_first_person_words_are_those_of_the_posts_language():
    assert first_person_words("Seized on the dock, 3 kilos", "en") == []
    assert first_person_words("On a saisi 3 kilos", "fr") == [(0, 2)]
    assert first_person_words("Je moet dat zien", "nl") == []
    assert first_person_words("Dat is m'n hond", "nl") == [(7, 10)]
