"""A draft post as a whole: its text and its photo analysed together, in one language."""

from __future__ import annotations

from .classifier import Classifier, classifier_findings
from .findings import Analysis, InputRejected, Severity
from .inference import officer_inferred
from .photo import analyze_photo
from .rules import RuleSet, load_default_rules
from .text import analyze_text


def analyze(
    *,
    text: str | None,
    photo: bytes | None,
    language: str | None,
    default_language: str = "nl",
    rules: RuleSet | None = None,
    classifier: Classifier | None = None,
    photo_preview: bool = False,
) -> Analysis:
    """Findings on the text and the photo, most serious first, with messages in the post's language.

    The text's findings are the rules' and then the classifier's, for categories no rule warned about (an
    `info` of a rule does not stop the classifier's warning); then, if they warn about operational details or
    the weapon in a post told in the first person, that the post identifies its author (`inference.py`).

    `classifier` is the shipped one unless given (the Django side gives it the thresholds the integrity
    service chose, `sensitivity.py`).

    The photo's messages (and the analysis of the text read in it) follow the language of the text; a photo
    posted without text uses `language`, or else `default_language` (the user's language). A blank text next
    to a photo counts as no text; with neither, InputRejected("empty"). With `photo_preview`, the photo's
    report carries a small copy of it to draw the findings' boxes on.
    """
    if (text is None or not text.strip()) and not photo:
        raise InputRejected("empty", "There is nothing to check: add the text of the post or a photo.")
    rules = rules or load_default_rules()
    if text is not None and text.strip():
        analysis = analyze_text(text, language=language, default_language=default_language, rules=rules)
        language_code, confidence = analysis.language, analysis.language_confidence
        language_rules = rules.for_language(language_code)
        found = [
            *analysis.findings,
            *classifier_findings(
                text,
                language_rules,
                found={
                    finding.category for finding in analysis.findings if finding.severity >= Severity.WARNING
                },
                classifier=classifier,
            ),
        ]
        findings = sorted(
            [*found, *officer_inferred(text, found, language_rules)],
            key=lambda finding: -finding.severity.rank,
        )
    else:
        language_code = rules.for_language(language or default_language).language
        confidence = 1.0 if language in rules.languages else 0.0
        findings = []
    if not photo:
        return Analysis(language=language_code, language_confidence=confidence, findings=findings)
    report = analyze_photo(photo, language=language_code, rules=rules, preview=photo_preview)
    combined = sorted([*findings, *report.findings], key=lambda finding: -finding.severity.rank)
    return Analysis(language=language_code, language_confidence=confidence, findings=combined, photo=report)
