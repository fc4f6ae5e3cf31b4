"""The classifier in force: the shipped weights, with thresholds for the priorities the integrity service chose.

The newest `ClassifierSensitivity` is the version, read with one small query per check. The thresholds are
chosen again (in a fraction of a second, on the calibration shipped with the weights) only when it changes.
Without a version, the shipped thresholds apply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from deonto.postcheck.analyzers import sensitivity
from deonto.postcheck.analyzers.classifier import CATEGORIES, Classifier, load_default
from deonto.postcheck.models import Allowance, ClassifierSensitivity, Priority
from deonto.postcheck.versioned import PerVersion

DEFAULT_PRIORITIES = {str(category): int(Priority.NORMAL) for category in CATEGORIES}


@cache
def shipped_calibration() -> sensitivity.Calibration:
    return sensitivity.load_calibration()


def priorities_array(priorities: Mapping[str, int]) -> npt.NDArray[np.float64]:
    """The priorities in the order of `CATEGORIES`; a category not named keeps the default."""
    return np.array(
        [float(priorities.get(str(category), Priority.NORMAL)) for category in CATEGORIES], dtype=np.float64
    )


def thresholds_for(priorities: Mapping[str, int], allowance_per_mille: int) -> npt.NDArray[np.float64]:
    return sensitivity.choose_thresholds(
        shipped_calibration(),
        priorities=priorities_array(priorities),
        allowance=allowance_per_mille / 1000,
    )


def figures_for(priorities: Mapping[str, int], allowance_per_mille: int) -> dict[str, Any]:
    """What a writer the classifier never saw would meet with these settings (`sensitivity.expected_figures`)."""
    return sensitivity.expected_figures(
        shipped_calibration(),
        priorities=priorities_array(priorities),
        allowance=allowance_per_mille / 1000,
    )


def _newest() -> tuple[int, dict[str, int], int] | None:
    """The newest version's id, priorities and allowance: one small query."""
    return (
        ClassifierSensitivity.objects.order_by("-id")
        .values_list("id", "priorities", "allowance_per_mille")
        .first()
    )


def current_settings() -> tuple[dict[str, int], int]:
    """The priorities and the allowance in force (the shipped ones without a version)."""
    newest = _newest()
    if newest is None:
        return dict(DEFAULT_PRIORITIES), int(Allowance.ONE)
    return {**DEFAULT_PRIORITIES, **newest[1]}, newest[2]


_in_force: PerVersion[Classifier] = PerVersion()


def current_classifier() -> Classifier:
    """The classifier in force: built once per process and version, shared read-only between threads. The
    version is the newest row whole, not its id alone: a rolled-back transaction can give an id again."""
    newest = _newest()
    return _in_force.get(newest, lambda: _classifier_for(newest))


def _classifier_for(newest: tuple[int, dict[str, int], int] | None) -> Classifier:
    shipped = load_default()
    if newest is None:
        return shipped
    thresholds = thresholds_for(newest[1], newest[2])
    return dataclasses.replace(shipped, thresholds=thresholds.astype(np.float32))
