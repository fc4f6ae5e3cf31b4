"""A small statistical classifier beside the rules, for risky posts phrased in words no rule lists.

Features are hashed character n-grams (3 to 5 characters, inside words) and words of the folded text (lower
case, no accents, digits as 0), so the same weights serve nl, fr, en and de. One logistic regression per
category gives a score; a category counts when its score reaches the category's threshold, chosen by
cross-validation so that the classifier adds few false alarms on harmless drafts. The weights ship in
`data/classifier.npz` and are made by `train_classifier.py`; nothing is learned or downloaded at run time.

A finding of the classifier is a `warning` without a span, with the explanation, advice and article of the
first rule of its category in the post's language, and only for a category no rule warned about (`analyze()`
passes the categories of the rules' `warning` and `high` findings; an `info` does not count).
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from .findings import Category, Finding, Severity
from .rules import LanguageRules, fold

FEATURE_BITS = 17
FEATURE_COUNT = 1 << FEATURE_BITS
NGRAM_SIZES = (3, 4, 5)
CATEGORIES = tuple(Category)
RULE_ID = "classifier"

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")


def feature_indices(text: str) -> npt.NDArray[np.int64]:
    """The distinct hashed features of `text`, sorted (crc32, so the same in every process)."""
    words = [_DIGIT.sub("0", word) for word in _WORD.findall(fold(text))]
    grams: set[str] = set()
    for word in words:
        grams.add("w:" + word)
        padded = f" {word} "
        for size in NGRAM_SIZES:
            grams.update(padded[start : start + size] for start in range(len(padded) - size + 1))
    grams.update(f"b:{first} {second}" for first, second in pairwise(words))
    mask = FEATURE_COUNT - 1
    return np.unique(np.fromiter((zlib.crc32(gram.encode()) & mask for gram in grams), dtype=np.int64))


@dataclass(frozen=True)
class Classifier:
    """Weights (features x categories), biases and thresholds per category, in the order of `CATEGORIES`."""

    weights: npt.NDArray[np.float32]
    bias: npt.NDArray[np.float32]
    thresholds: npt.NDArray[np.float32]

    def scores(self, text: str) -> dict[Category, float]:
        """The probability the model gives each category for `text`."""
        indices = feature_indices(text)
        if not len(indices):
            logits = self.bias.astype(np.float64)
        else:
            logits = self.weights[indices].sum(axis=0, dtype=np.float64) / np.sqrt(len(indices)) + self.bias
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        return {category: float(p) for category, p in zip(CATEGORIES, probabilities, strict=True)}

    def categories(self, text: str) -> list[Category]:
        """The categories whose score reaches their threshold."""
        scores = self.scores(text)
        return [
            category
            for category, threshold in zip(CATEGORIES, self.thresholds, strict=True)
            if scores[category] >= threshold
        ]


def load(path: str | None = None) -> Classifier:
    """A classifier from an .npz file (by default the shipped one)."""
    if path is None:
        source = resources.files(__name__.rpartition(".")[0]).joinpath("data", "classifier.npz")
        with resources.as_file(source) as shipped, np.load(shipped) as data:
            return _from_arrays(data)
    with np.load(path) as data:
        return _from_arrays(data)


def _from_arrays(data: np.lib.npyio.NpzFile) -> Classifier:
    if [str(name) for name in data["categories"]] != [str(category) for category in CATEGORIES]:
        raise ValueError("the classifier's categories are not the analyzer's")
    weights = np.zeros((FEATURE_COUNT, len(CATEGORIES)), dtype=np.float32)
    weights[data["rows"], data["columns"]] = data["values"]
    return Classifier(
        weights=weights,
        bias=data["bias"].astype(np.float32),
        thresholds=data["thresholds"].astype(np.float32),
    )


_default: Classifier | None = None
_default_lock = threading.Lock()


def load_default() -> Classifier:
    """The shipped classifier, read once per process."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = load()
    return _default


def classifier_findings(
    text: str,
    rules: LanguageRules,
    *,
    found: Iterable[Category],
    classifier: Classifier | None = None,
) -> list[Finding]:
    """Warnings for the categories the classifier sees in `text` that are not among `found` (those the rules
    already warned about)."""
    classifier = classifier or load_default()
    already = set(found)
    findings = []
    for category in classifier.categories(text):
        if category in already:
            continue
        rule = next((rule for rule in rules.rules if rule.message.category == category), None)
        if rule is None:
            continue
        findings.append(
            Finding(
                category=category,
                severity=Severity.WARNING,
                rule=f"{RULE_ID}:{category}",
                explanation=rule.message.explanation,
                advice=rule.message.advice,
                article=rule.message.article,
                source="text",
            )
        )
    return findings
