"""Train the classifier beside the rules and write `data/classifier.npz`; seeded, so it reproduces the file.

    .venv/bin/python -m deonto.postcheck.analyzers.train_classifier [--output FILE] [--check]

Training data, and only these: split "dev" of benchmarks/data/postcheck_dev.jsonl, split "blind-dev" of
benchmarks/data/postcheck_blind.jsonl, deonto/postcheck/tests/unseen_drafts.jsonl and the drafts of
deonto/postcheck/tests/test_rules_generalise.py (read as literals, not imported). The splits "holdout" and
"blind-test" are dropped as the files are read, before any text is looked at.

A draft of test_rules_generalise.py is labelled with one category only (the list it is in), so it is a
positive example of that category and no example at all of the others; a harmless draft is a negative of all.

Thresholds: five-fold cross-validation gives every draft a score from a model that did not see it; per
category the threshold lets through at most k harmless drafts (of those the rules leave quiet), with the
largest k for which the harmless drafts flagged by the rules or the classifier stay at or below 3 %.
`--check` trains again and fails unless the result equals the shipped file. The cross-validated figures (rules
alone against rules and classifier) are printed as a table and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .classifier import CATEGORIES, FEATURE_COUNT, Classifier, feature_indices
from .findings import Severity
from .text import analyze_text

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = Path(__file__).resolve().parent / "data" / "classifier.npz"
SEED = 20261124
FOLDS = 5
EPOCHS = 250
LEARNING_RATE = 0.05
L2 = 1e-4
MAX_FALSE_ALARMS = 0.03
NEVER_READ = frozenset({"holdout", "blind-test"})
GENERALISE_LISTS = {
    "OPERATIONAL": "operational",
    "LOCATION": "location",
    "EMPLOYER_CRITICISM": "employer-criticism",
    "HARASSMENT_OR_HATE": "harassment-or-hate",
    "IDENTIFIES_OFFICER": "identifies-officer",
    "HARMLESS": None,
}


@dataclass(frozen=True)
class Draft:
    text: str
    language: str
    labels: npt.NDArray[np.float64]  # 1 risky, 0 not, per category
    known: npt.NDArray[np.float64]  # 1 where the label is known
    source: str

    @property
    def harmless(self) -> bool:
        return bool(self.known.all() and not self.labels.any())


def _labelled(text: str, language: str, expected: list[str], source: str) -> Draft:
    labels = np.array([float(str(category) in expected) for category in CATEGORIES])
    return Draft(text, language, labels, np.ones(len(CATEGORIES)), source)


def _jsonl(path: Path, source: str) -> list[Draft]:
    drafts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("split", "dev") in NEVER_READ:
            continue
        drafts.append(_labelled(row["text"], row["language"], row["expected"], source))
    return drafts


def _generalise(path: Path) -> list[Draft]:
    drafts = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)):
            continue
        name = node.targets[0].id
        if name not in GENERALISE_LISTS:
            continue
        category = GENERALISE_LISTS[name]
        for language, text in ast.literal_eval(node.value):
            if category is None:
                drafts.append(_labelled(text, language, [], "generalise"))
                continue
            known = np.array([float(str(other) == category) for other in CATEGORIES])
            drafts.append(Draft(text, language, known.copy(), known, "generalise"))
    return drafts


def training_drafts() -> list[Draft]:
    return [
        *_jsonl(ROOT / "benchmarks" / "data" / "postcheck_dev.jsonl", "dev"),
        *_jsonl(ROOT / "benchmarks" / "data" / "postcheck_blind.jsonl", "blind-dev"),
        *_jsonl(ROOT / "deonto" / "postcheck" / "tests" / "unseen_drafts.jsonl", "unseen"),
        *_generalise(ROOT / "deonto" / "postcheck" / "tests" / "test_rules_generalise.py"),
    ]


@dataclass(frozen=True)
class Matrix:
    """Sparse rows of hashed features (binary, scaled to unit length), as in `Classifier.scores`."""

    starts: npt.NDArray[np.int64]
    columns: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]
    rows: npt.NDArray[np.int64]

    @classmethod
    def of(cls, texts: list[str]) -> Matrix:
        per_text = [feature_indices(text) for text in texts]
        lengths = np.array([len(indices) for indices in per_text])
        if not lengths.all():
            raise ValueError("a training text has no features")
        return cls(
            starts=np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64),
            columns=np.concatenate(per_text),
            values=np.repeat(1.0 / np.sqrt(lengths), lengths),
            rows=np.repeat(np.arange(len(texts)), lengths),
        )

    def times(self, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        result: npt.NDArray[np.float64] = np.add.reduceat(
            weights[self.columns] * self.values[:, None], self.starts, axis=0
        )
        return result

    def transposed_times(self, gradient: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        per_entry = gradient[self.rows] * self.values[:, None]
        return np.stack(
            [
                np.bincount(self.columns, weights=per_entry[:, column], minlength=FEATURE_COUNT)
                for column in range(gradient.shape[1])
            ],
            axis=1,
        )


def fit(
    matrix: Matrix, labels: npt.NDArray[np.float64], known: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """One-vs-rest logistic regression, full-batch Adam, positives weighted up by the square root of rarity."""
    positives = (labels * known).sum(axis=0)
    negatives = ((1 - labels) * known).sum(axis=0)
    positive_weight = np.sqrt(np.maximum(negatives, 1) / np.maximum(positives, 1))
    sample_weight = known * np.where(labels > 0, positive_weight, 1.0)
    sample_weight /= sample_weight.sum(axis=0, keepdims=True)
    weights = np.zeros((FEATURE_COUNT, len(CATEGORIES)))
    bias = np.zeros(len(CATEGORIES))
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros_like(bias), np.zeros_like(bias)]
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    for step in range(1, EPOCHS + 1):
        probabilities = 1.0 / (1.0 + np.exp(-(matrix.times(weights) + bias)))
        error = (probabilities - labels) * sample_weight
        gradients = (matrix.transposed_times(error) + L2 * weights, error.sum(axis=0))
        for index, (parameter, gradient) in enumerate(zip((weights, bias), gradients, strict=True)):
            first, second = moments[2 * index], moments[2 * index + 1]
            first *= beta1
            first += (1 - beta1) * gradient
            second *= beta2
            second += (1 - beta2) * gradient**2
            parameter -= (
                LEARNING_RATE * (first / (1 - beta1**step)) / (np.sqrt(second / (1 - beta2**step)) + epsilon)
            )
    return weights, bias


def _probabilities(
    matrix: Matrix, weights: npt.NDArray[np.float64], bias: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    result: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-(matrix.times(weights) + bias)))
    return result


def rule_flags(drafts: list[Draft]) -> npt.NDArray[np.bool_]:
    """Per draft and category, whether the rules show a warning (as benchmarks/postcheck_eval.py counts)."""
    flags = np.zeros((len(drafts), len(CATEGORIES)), dtype=bool)
    for row, draft in enumerate(drafts):
        analysis = analyze_text(draft.text, default_language=draft.language)
        found = {finding.category for finding in analysis.findings if finding.severity >= Severity.WARNING}
        flags[row] = [category in found for category in CATEGORIES]
    return flags


def out_of_fold(drafts: list[Draft]) -> npt.NDArray[np.float64]:
    """Every draft's scores from a model trained on the other folds."""
    order = np.random.default_rng(SEED).permutation(len(drafts))
    scores = np.zeros((len(drafts), len(CATEGORIES)))
    labels = np.array([draft.labels for draft in drafts])
    known = np.array([draft.known for draft in drafts])
    for fold_number in range(FOLDS):
        held = order[fold_number::FOLDS]
        kept = np.setdiff1d(order, held)
        weights, bias = fit(Matrix.of([drafts[i].text for i in kept]), labels[kept], known[kept])
        scores[held] = _probabilities(Matrix.of([drafts[i].text for i in held]), weights, bias)
    return scores


def _thresholds_letting_through(scores: npt.NDArray[np.float64], allowed: int) -> npt.NDArray[np.float64]:
    """Per category, a threshold halfway between the allowed-th and next highest harmless score."""
    thresholds = np.empty(scores.shape[1])
    for column in range(scores.shape[1]):
        ranked = np.sort(scores[:, column])[::-1]
        above = ranked[allowed - 1] if allowed else 1.0
        below = ranked[allowed] if allowed < len(ranked) else 0.0
        thresholds[column] = (above + below) / 2
    return thresholds


def choose_thresholds(
    drafts: list[Draft], scores: npt.NDArray[np.float64], flags: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    harmless = np.array([draft.harmless for draft in drafts])
    quiet = harmless & ~flags.any(axis=1)
    best = _thresholds_letting_through(scores[quiet], 0)
    for allowed in range(1, int(quiet.sum())):
        thresholds = _thresholds_letting_through(scores[quiet], allowed)
        flagged = np.asarray((flags | (scores >= thresholds)).any(axis=1))
        alarms = flagged[harmless].mean()
        if alarms > MAX_FALSE_ALARMS:
            break
        best = thresholds
    return best


def report(
    drafts: list[Draft],
    scores: npt.NDArray[np.float64],
    flags: npt.NDArray[np.bool_],
    thresholds: npt.NDArray[np.float64],
) -> dict[str, Any]:
    """Cross-validated recall per category and false alarms, rules alone and with the classifier."""
    alone = scores >= thresholds
    combined = flags | alone
    figures: dict[str, Any] = {}
    groups = {
        "all": np.ones(len(drafts), dtype=bool),
        "other-writers": np.array([draft.source in {"dev", "blind-dev"} for draft in drafts]),
    }
    for group, members in groups.items():
        print(f"\ncross-validated, {group} ({int(members.sum())} drafts)")
        print(f"{'category':<22} {'drafts':>6} {'rules':>6} {'alone':>6} {'+clf':>6} {'threshold':>9}")
        for column, category in enumerate(CATEGORIES):
            positive = members & np.array([draft.labels[column] > 0 for draft in drafts])
            total = int(positive.sum())
            rules_recall = flags[positive, column].mean() if total else float("nan")
            alone_recall = alone[positive, column].mean() if total else float("nan")
            combined_recall = combined[positive, column].mean() if total else float("nan")
            print(
                f"{category!s:<22} {total:>6} {rules_recall:>6.2f} {alone_recall:>6.2f} {combined_recall:>6.2f} "
                f"{thresholds[column]:>9.3f}"
            )
            key = f"{group.replace('-', '_')}_{str(category).replace('-', '_')}"
            figures[f"recall_rules_{key}"] = round(float(rules_recall), 3)
            figures[f"recall_classifier_alone_{key}"] = round(float(alone_recall), 3)
            figures[f"recall_with_classifier_{key}"] = round(float(combined_recall), 3)
        harmless = members & np.array([draft.harmless for draft in drafts])
        rules_alarms = float(flags[harmless].any(axis=1).mean())
        alone_alarms = float(alone[harmless].any(axis=1).mean())
        combined_alarms = float(combined[harmless].any(axis=1).mean())
        print(
            f"harmless: {int(harmless.sum())}, false alarms: rules {rules_alarms:.1%}, "
            f"classifier alone {alone_alarms:.1%}, both {combined_alarms:.1%}"
        )
        figures[f"false_alarm_rate_rules_{group.replace('-', '_')}"] = round(rules_alarms, 3)
        figures[f"false_alarm_rate_classifier_alone_{group.replace('-', '_')}"] = round(alone_alarms, 3)
        figures[f"false_alarm_rate_with_classifier_{group.replace('-', '_')}"] = round(combined_alarms, 3)
    return figures


def save(
    path: Path, weights: npt.NDArray[np.float64], bias: npt.NDArray[np.float64], thresholds: Any
) -> None:
    stored = weights.astype(np.float32)
    rows, columns = np.nonzero(stored)
    np.savez_compressed(
        path,
        categories=np.array([str(category) for category in CATEGORIES]),
        rows=rows.astype(np.int32),
        columns=columns.astype(np.int8),
        values=stored[rows, columns],
        bias=bias.astype(np.float32),
        thresholds=np.asarray(thresholds, dtype=np.float32),
    )


def train() -> tuple[
    npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], dict[str, Any]
]:
    drafts = training_drafts()
    print(f"training drafts: {len(drafts)} ({sum(draft.harmless for draft in drafts)} harmless)")
    flags = rule_flags(drafts)
    scores = out_of_fold(drafts)
    thresholds = choose_thresholds(drafts, scores, flags)
    figures = report(drafts, scores, flags, thresholds)
    labels = np.array([draft.labels for draft in drafts])
    known = np.array([draft.known for draft in drafts])
    weights, bias = fit(Matrix.of([draft.text for draft in drafts]), labels, known)
    return weights, bias, thresholds, figures


def same_as_shipped(classifier: Classifier, weights: Any, bias: Any, thresholds: Any) -> bool:
    return bool(
        np.allclose(classifier.weights, weights.astype(np.float32), atol=1e-5)
        and np.allclose(classifier.bias, bias, atol=1e-5)
        and np.allclose(classifier.thresholds, thresholds, atol=1e-5)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=SHIPPED)
    parser.add_argument(
        "--check", action="store_true", help="fail unless training reproduces the shipped file"
    )
    arguments = parser.parse_args()
    weights, bias, thresholds, figures = train()
    if arguments.check:
        from .classifier import load

        if not same_as_shipped(load(str(SHIPPED)), weights, bias, thresholds):
            sys.exit("the trained weights differ from the shipped data/classifier.npz")
        print("the trained weights equal the shipped data/classifier.npz")
    else:
        save(arguments.output, weights, bias, thresholds)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
