"""The classifier's sensitivity per category: thresholds chosen again for other priorities, on the calibration
shipped with the weights, without training."""

import numpy as np
import pytest

from deonto.postcheck.analyzers import sensitivity
from deonto.postcheck.analyzers.classifier import CATEGORIES, load
from deonto.postcheck.analyzers.findings import Category

WEAPON = CATEGORIES.index(Category.WEAPON)
POLITICAL = CATEGORIES.index(Category.POLITICAL)


def _competing() -> sensitivity.Calibration:
    """Ten harmless drafts and two categories that each need one of them flagged: weapon catches four of its
    five risky drafts for it, political one of its two. Going deeper flags every harmless draft."""
    rows = 10 + 5 + 2
    scores = np.zeros((rows, len(CATEGORIES)))
    risky = np.zeros_like(scores, dtype=bool)
    scores[:10, [WEAPON, POLITICAL]] = 0.5
    scores[0, WEAPON] = 0.9
    scores[10:15, WEAPON] = [0.8, 0.8, 0.8, 0.8, 0.1]
    risky[10:15, WEAPON] = True
    scores[1, POLITICAL] = 0.9
    scores[15:17, POLITICAL] = [0.8, 0.1]
    risky[15:17, POLITICAL] = True
    return sensitivity.Calibration(
        scores=scores,
        risky=risky,
        flags=np.zeros_like(risky),
        harmless=np.arange(rows) < 10,
        folds=np.zeros(rows, dtype=np.int64),
        first_person=np.zeros(rows, dtype=bool),
    )


def test_at_normal_priority_the_allowance_goes_where_it_catches_the_most() -> None:
    thresholds = sensitivity.choose_thresholds(_competing(), allowance=0.1)
    assert thresholds[WEAPON] == pytest.approx(0.8)
    assert thresholds[POLITICAL] == 1.0


def test_a_higher_priority_wins_the_allowance_for_its_category() -> None:
    priorities = sensitivity.default_priorities()
    priorities[POLITICAL] = 2  # half of political's drafts, counted twice, beats four fifths of weapon's
    thresholds = sensitivity.choose_thresholds(_competing(), priorities=priorities, allowance=0.1)
    assert thresholds[POLITICAL] == pytest.approx(0.8)
    assert thresholds[WEAPON] == 1.0


def test_a_category_switched_off_gets_no_threshold_and_leaves_the_allowance_to_the_others() -> None:
    priorities = sensitivity.default_priorities()
    priorities[WEAPON] = 0
    thresholds = sensitivity.choose_thresholds(_competing(), priorities=priorities, allowance=0.1)
    assert thresholds[WEAPON] == sensitivity.OFF
    assert thresholds[POLITICAL] == pytest.approx(0.8)


def test_with_no_allowance_only_what_costs_no_false_alarm_is_taken() -> None:
    calibration = _competing()
    calibration.scores[0, WEAPON] = 0.0  # weapon's four drafts now cost nothing
    thresholds = sensitivity.choose_thresholds(calibration, allowance=0.0)
    assert thresholds[WEAPON] == pytest.approx(0.8)
    assert thresholds[POLITICAL] == 1.0


def test_at_normal_priority_the_shipped_calibration_gives_the_shipped_thresholds() -> None:
    thresholds = sensitivity.choose_thresholds(sensitivity.load_calibration())
    assert np.allclose(thresholds.astype(np.float32), load().thresholds)


def test_the_shipped_calibration_holds_numbers_and_flags_only() -> None:
    calibration = sensitivity.load_calibration()
    arrays = sensitivity.calibration_arrays(calibration)
    assert {array.dtype.kind for array in arrays.values()} <= {"f", "b", "i"}
    assert calibration.scores.shape == calibration.risky.shape == calibration.flags.shape
    assert calibration.scores.shape[1] == len(CATEGORIES)
    assert len(np.unique(calibration.folds)) == 4
    assert calibration.harmless.sum() > 1000


@pytest.mark.parametrize("allowance", [0.0, 0.005, 0.02])
def test_the_classifier_adds_no_more_harmless_drafts_than_allowed(allowance: float) -> None:
    calibration = sensitivity.load_calibration()
    thresholds = sensitivity.choose_thresholds(calibration, allowance=allowance)
    harmless = calibration.harmless
    ruled = calibration.flags[harmless].any(axis=1)
    added = (calibration.scores[harmless] >= thresholds).any(axis=1) & ~ruled
    assert added.sum() <= allowance * harmless.sum()


def test_a_new_writer_meets_more_political_warnings_when_political_comes_first() -> None:
    calibration = sensitivity.load_calibration()
    priorities = sensitivity.default_priorities()
    normal = sensitivity.expected_figures(calibration)
    priorities[POLITICAL] = 3
    first = sensitivity.expected_figures(calibration, priorities=priorities)
    political = str(Category.POLITICAL)
    assert first["with_classifier"]["recall"][political] > normal["with_classifier"]["recall"][political]


def test_a_category_switched_off_is_left_to_the_rules_in_the_figures() -> None:
    calibration = sensitivity.load_calibration()
    priorities = sensitivity.default_priorities()
    priorities[POLITICAL] = 0
    figures = sensitivity.expected_figures(calibration, priorities=priorities)
    political = str(Category.POLITICAL)
    assert figures["with_classifier"]["recall"][political] == figures["rules"]["recall"][political]
    assert figures["rules"]["recall"][political] < 1.0
