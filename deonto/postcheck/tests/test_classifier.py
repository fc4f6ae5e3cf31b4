"""The classifier beside the rules: shipped weights, offline, deterministic, and only where the rules are silent."""

import json
import socket
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from deonto.postcheck.analyzers import train_classifier
from deonto.postcheck.analyzers.analyze import analyze
from deonto.postcheck.analyzers.classifier import (
    CATEGORIES,
    RULE_ID,
    classifier_findings,
    load,
    load_default,
)
from deonto.postcheck.analyzers.findings import Category, Severity
from deonto.postcheck.analyzers.rules import load_default_rules
from deonto.postcheck.analyzers.text import analyze_text

# Written for these tests; the rules find nothing in either.
RISKY_PARAPHRASES = [
    ("de", "Unser Abteilungsleiter ist eine Witzfigur", Category.EMPLOYER_CRITICISM),
    ("nl", "Wij controleren morgen alle vrachtwagens op de E17", Category.OPERATIONAL),
]
HARMLESS = [
    ("en", "Lovely walk on the beach with the kids this afternoon"),
    ("nl", "Heerlijke wandeling met de kinderen aan zee vanmiddag"),
    ("fr", "Belle balade en forêt avec les enfants cet après-midi"),
    ("de", "Schöner Spaziergang mit den Kindern am Strand heute"),
    ("en", "Recipe for the best chocolate cake, thanks grandma"),
]


def test_the_shipped_classifier_loads_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the classifier tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    classifier = load()
    assert classifier.thresholds.shape == (len(CATEGORIES),)
    assert classifier.thresholds.min() > 0
    assert classifier.thresholds.max() < 1


def test_the_scores_are_the_same_in_another_process():
    text = "Unser Abteilungsleiter ist eine Witzfigur"
    script = (
        "from deonto.postcheck.analyzers.classifier import load_default;"
        f"print(repr(sorted((str(c), round(s, 6)) for c, s in load_default().scores({text!r}).items())))"
    )
    other = subprocess.run(  # noqa: S603 — our own interpreter and a fixed script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        cwd=train_classifier.ROOT,
    )
    here = sorted((str(category), round(score, 6)) for category, score in load_default().scores(text).items())
    assert other.stdout.strip() == repr(here)


@pytest.mark.parametrize(("language", "text", "category"), RISKY_PARAPHRASES)
def test_a_risky_paraphrase_the_rules_miss_gets_a_warning_from_the_classifier(language, text, category):
    assert category not in analyze_text(text, language=language).categories
    from_classifier = [
        finding
        for finding in analyze(text=text, photo=None, language=language).findings
        if finding.rule == f"{RULE_ID}:{category}"
    ]
    assert len(from_classifier) == 1
    finding = from_classifier[0]
    assert finding.severity == Severity.WARNING
    assert finding.span is None
    rule = next(
        rule
        for rule in load_default_rules().for_language(language).rules
        if rule.message.category == category
    )
    assert (finding.explanation, finding.advice, finding.article) == (
        rule.message.explanation,
        rule.message.advice,
        rule.message.article,
    )


@pytest.mark.parametrize(("language", "text"), HARMLESS)
def test_a_clearly_harmless_post_gets_nothing_from_the_classifier(language, text):
    rules = load_default_rules().for_language(language)
    assert classifier_findings(text, rules, found=()) == []


def test_the_classifier_never_repeats_a_category_the_rules_found():
    text = "Management here couldn't organise a piss-up in a brewery"
    assert Category.EMPLOYER_CRITICISM in load_default().categories(text)
    analysis = analyze(text=text, photo=None, language="en")
    criticism = [finding for finding in analysis.findings if finding.category == Category.EMPLOYER_CRITICISM]
    assert criticism
    assert not any(finding.rule.startswith(RULE_ID) for finding in criticism)


def test_the_classifier_adds_nothing_when_the_rules_found_every_category():
    rules = load_default_rules().for_language("de")
    assert classifier_findings("Unser Abteilungsleiter ist eine Witzfigur", rules, found=CATEGORIES) == []


def test_training_again_reproduces_the_shipped_weights():
    drafts = train_classifier.training_drafts()
    labels = np.array([draft.labels for draft in drafts])
    known = np.array([draft.known for draft in drafts])
    weights, bias = train_classifier.fit(
        train_classifier.Matrix.of([draft.text for draft in drafts]), labels, known
    )
    shipped = load()
    assert np.allclose(shipped.weights, weights.astype(np.float32), atol=1e-5)
    assert np.allclose(shipped.bias, bias, atol=1e-5)


def test_training_leaves_out_the_holdout_and_the_blind_test():
    sources = Counter(draft.source for draft in train_classifier.training_drafts())
    data = train_classifier.ROOT / "benchmarks" / "data"
    for name, source, never in (
        ("postcheck_dev.jsonl", "dev", "holdout"),
        ("postcheck_blind.jsonl", "blind-dev", "blind-test"),
    ):
        lines = (data / name).read_text(encoding="utf-8").splitlines()
        splits = [json.loads(line).get("split", "dev") for line in lines if line.strip()]
        assert never in splits
        assert sources[source] == len(splits) - splits.count(never)
