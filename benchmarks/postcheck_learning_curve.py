"""How much more writers teach the classifier: its quality on writers it never saw, by number of writers trained on.

    .venv/bin/python benchmarks/postcheck_learning_curve.py [--writers N] [--sizes 0,3,6,9] [--folds 0,1,2,3]

The writers of postcheck_train.jsonl (only w1 to wN with `--writers N`) are dealt into folds as
`train_classifier.writer_folds` deals them. For each fold held out, the other folds' writers are put in a random
order (seeded by the fold), and the classifier is fitted on the first k of them, for each k of `--sizes`, always
with the drafts that are not by a writer (dev, blind-dev, the regression drafts), as the shipped model is. Each
model scores the held-out fold's drafts, and the script gives, per category and averaged over categories:

- the area under the ROC curve (how well the scores rank the category's risky drafts above the harmless ones);
- the recall at 3 %: the share of the category's risky drafts that score above 97 % of the held-out fold's
  harmless drafts. That threshold is chosen on the held-out drafts themselves, so this is a measure of ranking,
  not what the shipped thresholds would catch.

Each fit takes under a minute on 2 cores: `--sizes 0,3,6,9,12` (20 fits) took 14 minutes; one fold (`--folds 0`)
about a quarter of that.

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
import scipy.stats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deonto.postcheck.analyzers import train_classifier  # noqa: E402
from deonto.postcheck.analyzers.classifier import CATEGORIES  # noqa: E402

HARMLESS_QUANTILE = 0.97


def area_under_curve(risky: npt.NDArray[np.float64], harmless: npt.NDArray[np.float64]) -> float:
    """The probability that a risky draft scores above a harmless one (ties count half)."""
    ranks = scipy.stats.rankdata(np.concatenate([risky, harmless]))
    return float(
        (ranks[: len(risky)].sum() - len(risky) * (len(risky) + 1) / 2) / (len(risky) * len(harmless))
    )


def chosen_drafts(writers: int | None) -> list[train_classifier.Draft]:
    drafts = train_classifier.training_drafts()
    if writers is None:
        return drafts
    kept = {f"{train_classifier.TRAIN_PREFIX}w{number}" for number in range(1, writers + 1)}
    return [
        draft
        for draft in drafts
        if not draft.source.startswith(train_classifier.TRAIN_PREFIX) or draft.source in kept
    ]


def held_out_figures(
    drafts: list[train_classifier.Draft], fold: int, sizes: list[int]
) -> dict[int, dict[str, list[float]]]:
    folds = train_classifier.writer_folds(drafts)
    sources = np.array([draft.source for draft in drafts])
    labels = np.array([draft.labels for draft in drafts])
    known = np.array([draft.known for draft in drafts])
    held = np.flatnonzero(folds == fold)
    others = sorted(
        {source for source, draft_fold in zip(sources, folds, strict=True) if draft_fold not in (-1, fold)}
    )
    order = list(np.random.default_rng(fold).permutation(others))
    held_matrix = train_classifier.Matrix.of([drafts[index].text for index in held])
    harmless = np.array([drafts[index].harmless for index in held])
    figures = {}
    for size in sizes:
        chosen = set(order[:size])
        kept = np.flatnonzero(
            [source in chosen or not source.startswith(train_classifier.TRAIN_PREFIX) for source in sources]
        )
        weights, bias = train_classifier.fit(
            train_classifier.Matrix.of([drafts[index].text for index in kept]), labels[kept], known[kept]
        )
        scores = train_classifier._probabilities(held_matrix, weights, bias)
        areas, recalls = [], []
        for column in range(len(CATEGORIES)):
            risky = labels[held, column] > 0
            areas.append(area_under_curve(scores[risky, column], scores[harmless, column]))
            threshold = np.quantile(scores[harmless, column], HARMLESS_QUANTILE)
            recalls.append(float((scores[risky, column] > threshold).mean()))
        figures[size] = {"auc": areas, "recall": recalls}
        print(
            f"fold {fold}, {size} writers: mean AUC {np.mean(areas):.4f}, mean recall at 3 % {np.mean(recalls):.4f}",
            flush=True,
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, help="only writers w1 to wN (default: all)")
    parser.add_argument("--sizes", default="0,3,6,9", help="numbers of writers to train on")
    parser.add_argument("--folds", default="0,1,2,3", help="folds to hold out")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    folds = [int(fold) for fold in arguments.folds.split(",")]

    started = time.perf_counter()
    drafts = chosen_drafts(arguments.writers)
    per_fold = [held_out_figures(drafts, fold, sizes) for fold in folds]

    print(f"\nwriters held out in folds {folds}; averaged over the folds")
    print(
        f"{'writers trained on':<20}"
        + "".join(f"{str(category)[:8]:>9}" for category in CATEGORIES)
        + "     mean"
    )
    result: dict[str, Any] = {}
    for size in sizes:
        for measure, name in (("auc", "AUC"), ("recall", "recall at 3 %")):
            values = np.mean([figures[size][measure] for figures in per_fold], axis=0)
            print(
                f"{f'{size}: {name}':<20}"
                + "".join(f"{value:9.3f}" for value in values)
                + f"{np.mean(values):9.3f}"
            )
            result[f"{measure}_mean_{size}_writers"] = round(float(np.mean(values)), 4)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
