"""How sensitive the classifier is per category: its thresholds, chosen on drafts it never saw.

The classifier may add only a few false alarms to those of the rules (the allowance, a share of harmless
drafts). Which categories get that allowance is a policy choice, so the integrity service gives each
category a priority: 0 switches the classifier off for the category, 1 is the default, 2 or 3 make a
risky draft caught in it count two or three times. `choose_thresholds` spends the allowance accordingly.

It works on the `Calibration` shipped inside `data/classifier.npz`: per draft of the eighteen writers, the
score a model trained without that writer gave it, its labels, what the shipped rules flagged, whether it
is harmless, its writer's fold and whether it speaks in the first person. No text. So the thresholds can
be chosen again in a fraction of a second, without training, and `expected_figures` says what a new
writer would meet: each fold's thresholds chosen on the other folds only ("nested").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .classifier import CATEGORIES, classifier_file
from .findings import Category
from .inference import REVEALING

DEFAULT_ALLOWANCE = 0.01
OFF = float("inf")


@dataclass(frozen=True)
class Calibration:
    """Per draft (rows) and category (columns, in the order of `CATEGORIES`)."""

    scores: npt.NDArray[np.float64]
    risky: npt.NDArray[np.bool_]
    flags: npt.NDArray[np.bool_]
    harmless: npt.NDArray[np.bool_]
    folds: npt.NDArray[np.int64]
    first_person: npt.NDArray[np.bool_]

    def subset(self, rows: npt.NDArray[np.bool_]) -> Calibration:
        return Calibration(
            scores=self.scores[rows],
            risky=self.risky[rows],
            flags=self.flags[rows],
            harmless=self.harmless[rows],
            folds=self.folds[rows],
            first_person=self.first_person[rows],
        )


def default_priorities() -> npt.NDArray[np.float64]:
    return np.ones(len(CATEGORIES))


def choose_thresholds(
    calibration: Calibration,
    *,
    priorities: npt.NDArray[np.float64] | None = None,
    allowance: float = DEFAULT_ALLOWANCE,
) -> npt.NDArray[np.float64]:
    """Per category, a threshold that catches what the rules miss, while the classifier adds at most
    `allowance` of the harmless drafts to those the rules flag; `OFF` for a category of priority 0.

    Greedy over all categories, looking ahead: each step lowers one category's threshold to the score of one
    of its missed risky drafts, the move (any category, any depth) that gains the most recall, weighted by
    the category's priority, per harmless draft it adds; a move that adds none comes first, the deepest such.
    Looking ahead matters: the first harmless draft below a category's threshold can hide many risky ones
    after it, which a search one missed draft at a time never reaches once cheaper single steps have spent
    the allowance. It stops when no move fits within the allowance. Deterministic."""
    priorities = default_priorities() if priorities is None else np.asarray(priorities, dtype=np.float64)
    thresholds = np.where(priorities > 0, 1.0, OFF)
    scores, risky, flags = calibration.scores, calibration.risky, calibration.flags
    if not calibration.harmless.any():
        return thresholds
    harmless_scores, ruled = scores[calibration.harmless], flags[calibration.harmless].any(axis=1)
    limit = int(np.floor(allowance * int(calibration.harmless.sum()) + 1e-9))
    weight = priorities / np.maximum(risky.sum(axis=0), 1)
    while True:
        flagged = ruled | (harmless_scores >= thresholds).any(axis=1)
        spent = int((flagged & ~ruled).sum())
        best: tuple[tuple[float, float], int, float] | None = None
        for column in (int(index) for index in np.flatnonzero(priorities > 0)):
            missed = np.sort(
                scores[
                    risky[:, column] & ~flags[:, column] & (scores[:, column] < thresholds[column]), column
                ]
            )
            if not len(missed):
                continue
            candidates = np.unique(missed)[::-1]
            gains = len(missed) - np.searchsorted(missed, candidates, side="left")
            free = np.sort(harmless_scores[~flagged, column])
            costs = len(free) - np.searchsorted(free, candidates, side="left")
            within = spent + costs <= limit
            if not within.any():
                continue
            ratios = np.where(costs > 0, weight[column] * gains / np.maximum(costs, 1), np.inf)
            ratios[~within] = -np.inf
            chosen = int(np.flatnonzero(ratios == ratios.max())[-1])
            key = (float(ratios[chosen]), float(weight[column] * gains[chosen]))
            if best is None or key > best[0]:
                best = (key, column, float(candidates[chosen]))
        if best is None:
            return thresholds
        _key, column, threshold = best
        thresholds[column] = threshold


def nested_decisions(
    calibration: Calibration,
    *,
    priorities: npt.NDArray[np.float64] | None = None,
    allowance: float = DEFAULT_ALLOWANCE,
) -> npt.NDArray[np.bool_]:
    """Rules or classifier, per draft and category, with each fold's thresholds chosen on the other folds
    only: what a writer the model, the thresholds and the rules' tuning never saw would meet."""
    decided = calibration.flags.copy()
    for fold in np.unique(calibration.folds):
        held = calibration.folds == fold
        thresholds = choose_thresholds(calibration.subset(~held), priorities=priorities, allowance=allowance)
        decided[held] = calibration.flags[held] | (calibration.scores[held] >= thresholds)
    return decided


def with_officer_inferred(calibration: Calibration, decided: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """`decided` with `inference.officer_inferred` applied: identifies-officer also where operational or weapon
    is decided and the draft speaks in the first person."""
    revealing = [CATEGORIES.index(category) for category in REVEALING]
    inferred = decided.copy()
    inferred[:, CATEGORIES.index(Category.IDENTIFIES_OFFICER)] |= (
        decided[:, revealing].any(axis=1) & calibration.first_person
    )
    return inferred


def expected_figures(
    calibration: Calibration,
    *,
    priorities: npt.NDArray[np.float64] | None = None,
    allowance: float = DEFAULT_ALLOWANCE,
) -> dict[str, Any]:
    """What a new writer's drafts would meet, with the first-person inference, for the rules alone and for
    the rules with the classifier (nested): recall per category and the share of harmless drafts flagged."""
    columns = {
        "rules": with_officer_inferred(calibration, calibration.flags),
        "with_classifier": with_officer_inferred(
            calibration, nested_decisions(calibration, priorities=priorities, allowance=allowance)
        ),
    }
    figures: dict[str, Any] = {
        "risky": {
            str(category): int(calibration.risky[:, column].sum())
            for column, category in enumerate(CATEGORIES)
        },
        "harmless": int(calibration.harmless.sum()),
    }
    for name, decided in columns.items():
        figures[name] = {
            "recall": {
                str(category): round(float(decided[calibration.risky[:, column], column].mean()), 3)
                for column, category in enumerate(CATEGORIES)
            },
            "false_alarms": round(float(decided[calibration.harmless].any(axis=1).mean()), 3),
        }
    return figures


def load_calibration(path: str | None = None) -> Calibration:
    """The calibration shipped with the classifier (or the one in the .npz file at `path`)."""
    with classifier_file(path) as data:
        return _from_arrays(data)


def _from_arrays(data: np.lib.npyio.NpzFile) -> Calibration:
    return Calibration(
        scores=data["calibration_scores"].astype(np.float64),
        risky=data["calibration_risky"].astype(bool),
        flags=data["calibration_flags"].astype(bool),
        harmless=data["calibration_harmless"].astype(bool),
        folds=data["calibration_folds"].astype(np.int64),
        first_person=data["calibration_first_person"].astype(bool),
    )


def calibration_arrays(calibration: Calibration) -> dict[str, npt.NDArray[Any]]:
    """The arrays `load_calibration` reads, to be saved beside the classifier's weights."""
    return {
        "calibration_scores": calibration.scores,
        "calibration_risky": calibration.risky,
        "calibration_flags": calibration.flags,
        "calibration_harmless": calibration.harmless,
        "calibration_folds": calibration.folds,
        "calibration_first_person": calibration.first_person,
    }
