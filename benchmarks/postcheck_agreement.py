"""How far two careful readers agree with the writers of postcheck_train.jsonl, and what the post checker catches.

    .venv/bin/python benchmarks/postcheck_agreement.py [--readers-only]

`benchmarks/data/postcheck_readers.jsonl` holds 300 drafts of postcheck_train.jsonl (25 drawn at random from
each of the twelve writers), labelled again by two readers who saw neither the writers' labels, nor each
other's, nor the rules or the classifier. Each line: `id` (of the training draft), `reader_a`, `reader_b`
(their categories; [] for harmless).

Per category it prints:
- how many drafts the writers labelled with it, and the share of those each reader labelled with it too
  (a reader's recall against the writer: what a careful person reaches against these labels);
- Cohen's kappa between the two readers;
- the post checker's recall against the writers' labels, and on the clear cases (the drafts the writer and
  both readers labelled with it).

The checker's decisions are the out-of-fold, nested ones of `train_classifier` (`out_of_fold`,
`nested_decisions`): for each draft, rules plus a classifier and thresholds that never saw its writer. This
fits the classifier four times (a few minutes on 2 cores); `--readers-only` skips it.

Prints a table, and as its last line one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deonto.postcheck.analyzers import train_classifier  # noqa: E402
from deonto.postcheck.analyzers.classifier import CATEGORIES  # noqa: E402

READERS = ROOT / "benchmarks" / "data" / "postcheck_readers.jsonl"
TRAIN = ROOT / "benchmarks" / "data" / "postcheck_train.jsonl"
NAMES = [str(category) for category in CATEGORIES]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _matrix(labels: list[list[str]]) -> npt.NDArray[np.bool_]:
    return np.array([[name in categories for name in NAMES] for categories in labels], dtype=bool)


def kappa(first: npt.NDArray[np.bool_], second: npt.NDArray[np.bool_]) -> float:
    """Cohen's kappa of two yes/no labellings of the same drafts."""
    observed = float((first == second).mean())
    expected = float(first.mean() * second.mean() + (1 - first.mean()) * (1 - second.mean()))
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def recall(found: npt.NDArray[np.bool_], truth: npt.NDArray[np.bool_]) -> float | None:
    return round(float(found[truth].mean()), 3) if truth.any() else None


def checker_decisions(texts: list[str]) -> npt.NDArray[np.bool_]:
    """Rules or classifier per text and category, out of fold and nested (see the module's docstring)."""
    drafts = train_classifier.training_drafts()
    flags = train_classifier.rule_flags(drafts)
    decided = train_classifier.nested_decisions(drafts, train_classifier.out_of_fold(drafts), flags)
    index = {train_classifier.normalised(draft.text): row for row, draft in enumerate(drafts)}
    return np.array([decided[index[train_classifier.normalised(text)]] for text in texts])


def measure(*, readers_only: bool) -> dict[str, Any]:
    written = {draft["id"]: draft for draft in _jsonl(TRAIN)}
    readings = _jsonl(READERS)
    drafts = [written[reading["id"]] for reading in readings]
    writer = _matrix([draft["expected"] for draft in drafts])
    reader_a = _matrix([reading["reader_a"] for reading in readings])
    reader_b = _matrix([reading["reader_b"] for reading in readings])
    checker = None if readers_only else checker_decisions([draft["text"] for draft in drafts])
    figures: dict[str, Any] = {"drafts": len(drafts), "writers": len({draft["writer"] for draft in drafts})}
    print("A and B: each reader's recall against the writers' labels; kappa: the two readers' agreement")
    print(
        f"{'category':20} {'writer':>6} {'A':>5} {'B':>5} {'kappa':>6}"
        + ("" if checker is None else f" {'checker':>8} {'clear':>6} {'checker':>8}")
    )
    print(
        f"{'':20} {'drafts':>6} {'recall':>5} {'recall':>5} {'A~B':>6}"
        + ("" if checker is None else f" {'recall':>8} {'cases':>6} {'on clear':>8}")
    )
    for column, name in enumerate(NAMES):
        truth, first, second = writer[:, column], reader_a[:, column], reader_b[:, column]
        clear = truth & first & second
        key = name.replace("-", "_")
        row = {
            f"{key}_writer_drafts": int(truth.sum()),
            f"{key}_reader_a_recall": recall(first, truth),
            f"{key}_reader_b_recall": recall(second, truth),
            f"{key}_readers_kappa": round(kappa(first, second), 3),
        }
        line = (
            f"{name:20} {truth.sum():6} {row[f'{key}_reader_a_recall']:5.2f} "
            f"{row[f'{key}_reader_b_recall']:5.2f} {row[f'{key}_readers_kappa']:6.2f}"
        )
        if checker is not None:
            row[f"{key}_checker_recall"] = recall(checker[:, column], truth)
            row[f"{key}_clear_drafts"] = int(clear.sum())
            row[f"{key}_checker_recall_clear"] = recall(checker[:, column], clear)
            line += f" {row[f'{key}_checker_recall']:8.2f} {clear.sum():6} {row[f'{key}_checker_recall_clear']:8.2f}"
        figures.update(row)
        print(line)
    harmless = ~writer.any(axis=1)
    figures["writer_harmless_drafts"] = int(harmless.sum())
    figures["reader_a_false_alarm_rate"] = round(float(reader_a[harmless].any(axis=1).mean()), 3)
    figures["reader_b_false_alarm_rate"] = round(float(reader_b[harmless].any(axis=1).mean()), 3)
    line = (
        f"harmless by the writer: {harmless.sum()} drafts; reader A flags {figures['reader_a_false_alarm_rate']:.1%}, "
        f"reader B {figures['reader_b_false_alarm_rate']:.1%}"
    )
    if checker is not None:
        figures["checker_false_alarm_rate"] = round(float(checker[harmless].any(axis=1).mean()), 3)
        line += f", the checker {figures['checker_false_alarm_rate']:.1%}"
    print(line)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--readers-only", action="store_true", help="skip the checker (no classifier fit)")
    arguments = parser.parse_args()
    started = time.monotonic()
    figures = measure(readers_only=arguments.readers_only)
    figures["elapsed_s"] = round(time.monotonic() - started, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
