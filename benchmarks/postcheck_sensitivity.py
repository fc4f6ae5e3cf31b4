"""What each allowance of false alarms buys: the classifier's settings the integrity service can choose, measured.

    .venv/bin/python benchmarks/postcheck_sensitivity.py

On the calibration shipped with the classifier (`analyzers/sensitivity.py`: the out-of-fold scores of the
drafts by the writers of postcheck_train.jsonl, no text), for every allowance the admin offers and every
category at normal priority, then for political at two and three times normal with the shipped 1 %: recall
per category, mean recall, and the share of harmless drafts warned about, nested (each writer's fold judged
with thresholds chosen without it) and with the first-person inference, as the admin's table shows them.
Takes a second.

Prints a table, and as its last line one JSON object with the figures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deonto.postcheck.analyzers import sensitivity  # noqa: E402
from deonto.postcheck.analyzers.classifier import CATEGORIES  # noqa: E402
from deonto.postcheck.analyzers.findings import Category  # noqa: E402

ALLOWANCES = (0.0, 0.005, 0.01, 0.02, 0.03)
NAMES = [str(category) for category in CATEGORIES]


def main() -> None:
    calibration = sensitivity.load_calibration()
    political = CATEGORIES.index(Category.POLITICAL)
    settings: dict[str, tuple[np.ndarray[Any, Any], float]] = {}
    for allowance in ALLOWANCES:
        settings[f"allowance_{allowance * 100:g}_pct"] = (sensitivity.default_priorities(), allowance)
    for priority in (2, 3):
        priorities = sensitivity.default_priorities()
        priorities[political] = priority
        settings[f"political_x{priority}_allowance_1_pct"] = (priorities, 0.01)

    rules = sensitivity.expected_figures(calibration)["rules"]
    rows = {"rules_alone": rules}
    for name, (priorities, allowance) in settings.items():
        rows[name] = sensitivity.expected_figures(calibration, priorities=priorities, allowance=allowance)[
            "with_classifier"
        ]

    print(
        f"{int(calibration.harmless.sum())} harmless and {len(calibration.scores)} drafts in all, "
        "by the writers of postcheck_train.jsonl"
    )
    print(f"{'setting':34}" + " ".join(f"{name[:6]:>6}" for name in NAMES) + "   mean  alarms")
    figures: dict[str, float] = {}
    for name, row in rows.items():
        recalls = [row["recall"][category] for category in NAMES]
        mean = float(np.mean(recalls))
        print(
            f"{name:34}"
            + " ".join(f"{value:6.2f}" for value in recalls)
            + f" {mean:6.3f} {row['false_alarms']:6.1%}"
        )
        figures[f"{name}_mean_recall"] = round(mean, 3)
        figures[f"{name}_false_alarm_rate"] = row["false_alarms"]
        figures.update(
            {f"{name}_recall_{category.replace('-', '_')}": row["recall"][category] for category in NAMES}
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
