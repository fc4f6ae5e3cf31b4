"""Train the classifier beside the rules and write `data/classifier.npz`; deterministic, so it reproduces the file.

    .venv/bin/python -m deonto.postcheck.analyzers.train_classifier [--output FILE] [--check]

Training data, and only these: benchmarks/data/postcheck_train.jsonl (drafts by eighteen writers who never saw the
rules, the tests or the evaluation sets; each line names its writer), split "dev" of
benchmarks/data/postcheck_dev.jsonl, split "blind-dev" of benchmarks/data/postcheck_blind.jsonl,
deonto/postcheck/tests/unseen_drafts.jsonl and the drafts of deonto/postcheck/tests/test_rules_generalise.py
(read as literals, not imported). The splits "holdout", "blind-test" and "blind2-test" are dropped as the files
are read, before any text is looked at.

A draft of test_rules_generalise.py is labelled with one category only (the list it is in), so it is a
positive example of that category and no example at all of the others; a harmless draft is a negative of all.

Thresholds: the writers of postcheck_train.jsonl are dealt into four folds; a model trained on everything but
one fold scores that fold's drafts, which is what a new writer meets (the rules were not tuned on these
writers' risky drafts). Per category the threshold is lowered, greedily across categories, while it catches
risky drafts the rules miss and the classifier adds at most 1 % of the harmless drafts to those the rules
flag (`sensitivity.choose_thresholds`, every category at priority 1). Those scores, with the drafts' labels,
rule flags and folds but no text, ship in the file too (the calibration), so that the integrity service can
give the categories other priorities without training again. `--check` trains again and fails unless the
result equals the shipped file. The figures (rules alone, with the classifier, and nested: thresholds chosen
without the fold) are printed as a table and, last, one JSON line.
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

from . import sensitivity
from .classifier import CATEGORIES, FEATURE_COUNT, feature_indices, load
from .findings import Severity
from .inference import first_person_words
from .text import analyze_text

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = Path(__file__).resolve().parent / "data" / "classifier.npz"
EPOCHS = 250
LEARNING_RATE = 0.05
L2 = 1e-4
MAX_ADDED_FALSE_ALARMS = sensitivity.DEFAULT_ALLOWANCE
WRITER_FOLDS = 4
NEVER_READ = frozenset({"holdout", "blind-test", "blind2-test"})
TRAIN_PREFIX = "train-"
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
        writer = f"{source}{row['writer']}" if source == TRAIN_PREFIX else source
        drafts.append(_labelled(row["text"], row["language"], row["expected"], writer))
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
    """Every training draft once: a text met again in a later file (the regression drafts copy some drafts of
    the training file) is dropped, so no draft is both held out and trained on. A text with no feature (only
    white space) teaches nothing and is left out; emojis and punctuation are features."""
    drafts = [
        *_jsonl(ROOT / "benchmarks" / "data" / "postcheck_train.jsonl", TRAIN_PREFIX),
        *_jsonl(ROOT / "benchmarks" / "data" / "postcheck_dev.jsonl", "dev"),
        *_jsonl(ROOT / "benchmarks" / "data" / "postcheck_blind.jsonl", "blind-dev"),
        *_jsonl(ROOT / "deonto" / "postcheck" / "tests" / "unseen_drafts.jsonl", "unseen"),
        *_generalise(ROOT / "deonto" / "postcheck" / "tests" / "test_rules_generalise.py"),
    ]
    seen: set[str] = set()
    once = []
    for draft in drafts:
        key = normalised(draft.text)
        if key not in seen and len(feature_indices(draft.text)):
            seen.add(key)
            once.append(draft)
    return once


def normalised(text: str) -> str:
    """A text as compared for duplicates: lower case, runs of white space as one space."""
    return " ".join(text.split()).lower()


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


def sample_weights(
    labels: npt.NDArray[np.float64], known: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Per draft and category, its weight in the loss: positives weighted up by the square root of their rarity,
    drafts whose label is unknown for the category not at all; each category's weights sum to 1."""
    positives = (labels * known).sum(axis=0)
    negatives = ((1 - labels) * known).sum(axis=0)
    positive_weight = np.sqrt(np.maximum(negatives, 1) / np.maximum(positives, 1))
    weight: npt.NDArray[np.float64] = known * np.where(labels > 0, positive_weight, 1.0)
    weight /= weight.sum(axis=0, keepdims=True)
    return weight


def fit(
    matrix: Matrix, labels: npt.NDArray[np.float64], known: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """One-vs-rest logistic regression, full-batch Adam, drafts weighted by `sample_weights`."""
    sample_weight = sample_weights(labels, known)
    weights = np.zeros((FEATURE_COUNT, len(CATEGORIES)))
    bias = np.zeros(len(CATEGORIES))
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros_like(bias), np.zeros_like(bias)]
    for step in range(1, EPOCHS + 1):
        probabilities = 1.0 / (1.0 + np.exp(-(matrix.times(weights) + bias)))
        error = (probabilities - labels) * sample_weight
        gradients = (matrix.transposed_times(error) + L2 * weights, error.sum(axis=0))
        for index, (parameter, gradient) in enumerate(zip((weights, bias), gradients, strict=True)):
            adam_step(parameter, gradient, moments[2 * index], moments[2 * index + 1], step, LEARNING_RATE)
    return weights, bias


def adam_step(
    parameter: npt.NDArray[np.float64],
    gradient: npt.NDArray[np.float64],
    first: npt.NDArray[np.float64],
    second: npt.NDArray[np.float64],
    step: int,
    learning_rate: float,
) -> None:
    """One step of Adam (beta 0.9 and 0.999), in place: `parameter` and its moments `first` and `second`."""
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    first *= beta1
    first += (1 - beta1) * gradient
    second *= beta2
    second += (1 - beta2) * gradient**2
    parameter -= learning_rate * (first / (1 - beta1**step)) / (np.sqrt(second / (1 - beta2**step)) + epsilon)


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


def writer_folds(drafts: list[Draft]) -> npt.NDArray[np.int64]:
    """Each draft's fold: the writers of postcheck_train.jsonl, in order, dealt round-robin into `WRITER_FOLDS`
    folds (all drafts of a writer in one fold); -1 for the other drafts, which are always trained on."""
    writers = sorted({draft.source for draft in drafts if draft.source.startswith(TRAIN_PREFIX)})
    fold_of = {writer: index % WRITER_FOLDS for index, writer in enumerate(writers)}
    return np.array([fold_of.get(draft.source, -1) for draft in drafts])


def out_of_fold(drafts: list[Draft]) -> npt.NDArray[np.float64]:
    """The scores of every draft of postcheck_train.jsonl from a model that saw nothing of its writer (nor of
    the other writers of its fold); 0 for the other drafts, which no threshold or figure uses."""
    folds = writer_folds(drafts)
    scores = np.zeros((len(drafts), len(CATEGORIES)))
    labels = np.array([draft.labels for draft in drafts])
    known = np.array([draft.known for draft in drafts])
    for fold in range(WRITER_FOLDS):
        held = np.flatnonzero(folds == fold)
        kept = np.flatnonzero(folds != fold)
        if not len(held):
            continue
        weights, bias = fit(Matrix.of([drafts[i].text for i in kept]), labels[kept], known[kept])
        scores[held] = _probabilities(Matrix.of([drafts[i].text for i in held]), weights, bias)
    return scores


def calibration(
    drafts: list[Draft], scores: npt.NDArray[np.float64], flags: npt.NDArray[np.bool_]
) -> sensitivity.Calibration:
    """What the thresholds are chosen on, shipped with the weights: the drafts of the writers the rules were not
    tuned on (postcheck_train.jsonl), with their out-of-fold scores, labels, rule flags, folds and whether they
    speak in the first person. No text."""
    fair = np.array([draft.source.startswith(TRAIN_PREFIX) for draft in drafts])
    chosen = [draft for draft, kept in zip(drafts, fair, strict=True) if kept]
    return sensitivity.Calibration(
        scores=scores[fair],
        risky=np.array([draft.labels > 0 for draft in chosen]).reshape(len(chosen), len(CATEGORIES)),
        flags=flags[fair],
        harmless=np.array([draft.harmless for draft in chosen], dtype=bool),
        folds=writer_folds(drafts)[fair],
        first_person=np.array(
            [bool(first_person_words(draft.text, draft.language)) for draft in chosen], dtype=bool
        ),
    )


def choose_thresholds(
    drafts: list[Draft], scores: npt.NDArray[np.float64], flags: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """The shipped thresholds: every category at priority 1, at most `MAX_ADDED_FALSE_ALARMS` of the harmless
    drafts added to those the rules flag (`sensitivity.choose_thresholds`)."""
    return sensitivity.choose_thresholds(calibration(drafts, scores, flags), allowance=MAX_ADDED_FALSE_ALARMS)


def nested_decisions(
    drafts: list[Draft], scores: npt.NDArray[np.float64], flags: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Rules or classifier, per draft and category, with each fold's thresholds chosen on the other folds only
    (`sensitivity.nested_decisions`, every category at priority 1); the rules alone for the drafts outside the
    folds, which no figure uses."""
    fair = np.array([draft.source.startswith(TRAIN_PREFIX) for draft in drafts])
    decided = flags.copy()
    decided[fair] = sensitivity.nested_decisions(
        calibration(drafts, scores, flags), allowance=MAX_ADDED_FALSE_ALARMS
    )
    return decided


def report(shipped: sensitivity.Calibration, thresholds: npt.NDArray[np.float64]) -> dict[str, Any]:
    """Recall per category and false alarms on the drafts of postcheck_train.jsonl: rules alone, rules and the
    classifier with the shipped thresholds (chosen on these very drafts), nested (thresholds chosen
    without the draft's fold), and nested with the inference that first-person operational details identify
    the author."""
    nested = sensitivity.nested_decisions(shipped, allowance=MAX_ADDED_FALSE_ALARMS)
    columns = {
        "rules": shipped.flags,
        "with_classifier": shipped.flags | (shipped.scores >= thresholds),
        "nested": nested,
        "nested_inferred": sensitivity.with_officer_inferred(shipped, nested),
    }
    figures: dict[str, Any] = {}
    print(f"\nwriters of postcheck_train.jsonl, out of fold ({len(shipped.scores)} drafts)")
    print(
        f"{'category':<22} {'drafts':>6} {'rules':>6} {'+clf':>6} {'nested':>6} {'+infer':>6} {'threshold':>9}"
    )
    for column, category in enumerate(CATEGORIES):
        positive = shipped.risky[:, column]
        recalls = {name: float(decided[positive, column].mean()) for name, decided in columns.items()}
        print(
            f"{category!s:<22} {int(positive.sum()):>6} {recalls['rules']:>6.2f} "
            f"{recalls['with_classifier']:>6.2f} {recalls['nested']:>6.2f} {recalls['nested_inferred']:>6.2f} "
            f"{thresholds[column]:>9.3f}"
        )
        for name, recall in recalls.items():
            figures[f"recall_{name}_{str(category).replace('-', '_')}"] = round(recall, 3)
    harmless = shipped.harmless
    alarms = {name: float(decided[harmless].any(axis=1).mean()) for name, decided in columns.items()}
    print(
        f"harmless: {int(harmless.sum())}, false alarms: rules {alarms['rules']:.1%}, "
        f"with the classifier {alarms['with_classifier']:.1%}, nested {alarms['nested']:.1%} "
        f"(with the inference {alarms['nested_inferred']:.1%})"
    )
    for name, rate in alarms.items():
        figures[f"false_alarm_rate_{name}"] = round(rate, 3)
    return figures


@dataclass(frozen=True)
class Trained:
    weights: npt.NDArray[np.float64]
    bias: npt.NDArray[np.float64]
    thresholds: npt.NDArray[np.float64]
    calibration: sensitivity.Calibration


def save(path: Path, trained: Trained) -> None:
    stored = trained.weights.astype(np.float32)
    rows, columns = np.nonzero(stored)
    arrays = {
        "categories": np.array([str(category) for category in CATEGORIES]),
        "rows": rows.astype(np.int32),
        "columns": columns.astype(np.int8),
        "values": stored[rows, columns],
        "bias": trained.bias.astype(np.float32),
        "thresholds": np.asarray(trained.thresholds, dtype=np.float32),
        **sensitivity.calibration_arrays(trained.calibration),
    }
    np.savez_compressed(path, allow_pickle=False, **arrays)


def train() -> tuple[Trained, dict[str, Any]]:
    drafts = training_drafts()
    print(f"training drafts: {len(drafts)} ({sum(draft.harmless for draft in drafts)} harmless)")
    shipped = calibration(drafts, out_of_fold(drafts), rule_flags(drafts))
    thresholds = sensitivity.choose_thresholds(shipped, allowance=MAX_ADDED_FALSE_ALARMS)
    figures = report(shipped, thresholds)
    labels = np.array([draft.labels for draft in drafts])
    known = np.array([draft.known for draft in drafts])
    weights, bias = fit(Matrix.of([draft.text for draft in drafts]), labels, known)
    return Trained(weights, bias, thresholds, shipped), figures


def same_as_shipped(trained: Trained, path: Path = SHIPPED) -> bool:
    """Whether the weights, the thresholds and the calibration equal those in the file at `path`."""
    classifier = load(str(path))
    shipped = sensitivity.load_calibration(str(path))
    return bool(
        np.allclose(classifier.weights, trained.weights.astype(np.float32), atol=1e-5)
        and np.allclose(classifier.bias, trained.bias, atol=1e-5)
        and np.allclose(classifier.thresholds, trained.thresholds, atol=1e-5)
        and all(
            np.array_equal(mine, theirs)
            for mine, theirs in zip(
                sensitivity.calibration_arrays(trained.calibration).values(),
                sensitivity.calibration_arrays(shipped).values(),
                strict=True,
            )
        )
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
    trained, figures = train()
    if arguments.check:
        if not same_as_shipped(trained):
            sys.exit("the trained weights differ from the shipped data/classifier.npz")
        print("the trained weights equal the shipped data/classifier.npz")
    else:
        save(arguments.output, trained)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
