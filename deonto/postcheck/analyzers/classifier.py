"""A small statistical classifier beside the rules, for risky posts phrased in words no rule lists.

Features are hashed character n-grams (3 to 5 characters, inside words), words and word pairs of the folded
text (lower case, no accents, digits as 0), so the same weights serve nl, fr, en and de. Each emoji, symbol
or punctuation mark counts as a word of its own: "bravo 👏", "🙄" and "?!" carry much of a post's irony. One logistic regression per
category gives a score; a category counts when its score reaches the category's threshold, chosen by
cross-validation so that the classifier adds few false alarms on harmless drafts. The weights ship in
`data/classifier.npz` and are made by `train_classifier.py`; nothing is learned or downloaded at run time.

A finding of the classifier is a `warning` with the explanation, advice and article of the first rule of its
category in the post's language, and only for a category no rule warned about (`analyze()` passes the
categories of the rules' `warning` and `high` findings; an `info` does not count). Its span marks the words
that weigh most towards the category (`Classifier.evidence`).
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
EVIDENCE_REACH = 4

_WORD = re.compile(r"\w+|[^\w\s]")
_DIGIT = re.compile(r"\d")


def _words(text: str) -> list[tuple[int, int, str]]:
    """The words of the folded `text` (digits as 0; each other character that is neither a letter, a digit nor
    a space is a word of its own), with their offsets in `text` (folding keeps the length)."""
    return [
        (match.start(), match.end(), _DIGIT.sub("0", match.group())) for match in _WORD.finditer(fold(text))
    ]


def _word_grams(word: str) -> set[str]:
    """The features one word gives: itself and its character n-grams, padded with a space at each end."""
    grams = {"w:" + word}
    padded = f" {word} "
    for size in NGRAM_SIZES:
        grams.update(padded[start : start + size] for start in range(len(padded) - size + 1))
    return grams


def _hashed(gram: str) -> int:
    return zlib.crc32(gram.encode()) & (FEATURE_COUNT - 1)


def feature_indices(text: str) -> npt.NDArray[np.int64]:
    """The distinct hashed features of `text`, sorted (crc32, so the same in every process)."""
    words = [word for _start, _end, word in _words(text)]
    grams: set[str] = set()
    for word in words:
        grams.update(_word_grams(word))
    grams.update(f"b:{first} {second}" for first, second in pairwise(words))
    return np.unique(np.fromiter((_hashed(gram) for gram in grams), dtype=np.int64))


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

    def word_weights(self, text: str) -> tuple[list[tuple[int, int]], npt.NDArray[np.float64]]:
        """Each word's share of the score: the words' spans in `text`, and a (words x categories) array.

        A feature's weight is shared equally among the words that give it (a word pair's between its two
        words; a feature given by several words, or twice by one repeated word, is counted once, as in
        `scores`), and scaled like the features in `scores`. So a category's column, summed, plus its bias, is
        the logit behind its score: the words with the largest shares are the ones that weigh most.
        """
        words = _words(text)
        givers: dict[int, set[int]] = {}
        for position, (_start, _end, word) in enumerate(words):
            for gram in _word_grams(word):
                givers.setdefault(_hashed(gram), set()).add(position)
        for position, ((_s1, _e1, first), (_s2, _e2, second)) in enumerate(pairwise(words)):
            givers.setdefault(_hashed(f"b:{first} {second}"), set()).update((position, position + 1))
        features = np.fromiter(
            (feature for feature, positions in givers.items() for _ in positions), dtype=np.int64
        )
        positions = np.fromiter((position for group in givers.values() for position in group), dtype=np.int64)
        parts = np.fromiter((1.0 / len(group) for group in givers.values() for _ in group), dtype=np.float64)
        shares = np.zeros((len(words), len(CATEGORIES)))
        np.add.at(shares, positions, self.weights[features].astype(np.float64) * parts[:, None])
        if givers:
            shares /= np.sqrt(len(givers))
        return [(start, end) for start, end, _word in words], shares

    def evidence(self, text: str) -> dict[Category, tuple[int, int]]:
        """Per category, the span of the words that weigh most towards it: the word with the largest share,
        with the words near it (at most `EVIDENCE_REACH` words away) whose share is at least half of it. A
        category towards which no word pushes the score has no span."""
        spans, shares = self.word_weights(text)
        found = {}
        for column, category in zip(shares.T, CATEGORIES, strict=True):
            if not spans or column.max() <= 0:
                continue
            best = int(np.argmax(column))
            near = range(max(0, best - EVIDENCE_REACH), min(len(spans), best + EVIDENCE_REACH + 1))
            strong = [position for position in near if column[position] >= column[best] / 2]
            found[category] = (spans[min(strong)][0], spans[max(strong)][1])
        return found

    def categories(self, text: str) -> list[Category]:
        """The categories whose score reaches their threshold."""
        scores = self.scores(text)
        return [
            category
            for category, threshold in zip(CATEGORIES, self.thresholds, strict=True)
            if scores[category] >= threshold
        ]


@contextmanager
def classifier_file(path: str | None = None) -> Iterator[np.lib.npyio.NpzFile]:
    """The .npz file at `path` (by default the shipped data/classifier.npz), open for reading."""
    if path is None:
        source = resources.files(__name__.rpartition(".")[0]).joinpath("data", "classifier.npz")
        with resources.as_file(source) as shipped, np.load(shipped) as data:
            yield data
    else:
        with np.load(path) as data:
            yield data


def load(path: str | None = None) -> Classifier:
    """A classifier from an .npz file (by default the shipped one)."""
    with classifier_file(path) as data:
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
    spans: dict[Category, tuple[int, int]] | None = None
    for category in classifier.categories(text):
        if category in already:
            continue
        rule = next((rule for rule in rules.rules if rule.message.category == category), None)
        if rule is None:
            continue
        if spans is None:
            spans = classifier.evidence(text)
        span = spans.get(category)
        findings.append(
            Finding(
                category=category,
                severity=Severity.WARNING,
                rule=f"{RULE_ID}:{category}",
                explanation=rule.message.explanation,
                advice=rule.message.advice,
                article=rule.message.article,
                source="text",
                span=span,
                excerpt=text[span[0] : span[1]] if span else "",
            )
        )
    return findings
