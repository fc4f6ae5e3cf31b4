"""Quality of the post checker's text analysis on labelled drafts (benchmarks/data/postcheck_dev.jsonl by default).

    .venv/bin/python benchmarks/postcheck_eval.py [--split NAME|all] [--misses] [--data FILE] [--rules-only]

`--split` takes any split named in the file (a draft without one is in "dev"), or "all". The text goes through
the analysis as shipped (rules, then the classifier where it is wired in); `--rules-only` measures the rules alone.

A draft counts as detected for a category when the analysis gives at least one finding of that category
with severity `warning` or `high` (an `info` finding is not shown as a warning, so it does not count).
A false alarm is a `warning` or `high` finding on a draft expected to be harmless (no categories).
Precision per category: of the drafts flagged (warning or high) for that category, the share labelled with it.

Prints a table, and as its last line one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deonto.postcheck.analyzers.analyze import analyze  # noqa: E402
from deonto.postcheck.analyzers.findings import Category, Severity  # noqa: E402
from deonto.postcheck.analyzers.text import analyze_text  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "postcheck_dev.jsonl"


def load_drafts(path: Path, split: str) -> list[dict[str, Any]]:
    drafts = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if split == "all":
        return drafts
    return [draft for draft in drafts if draft.get("split", "dev") == split]


def split_names(path: Path) -> list[str]:
    """The split of every draft in the file."""
    return [draft.get("split", "dev") for draft in load_drafts(path, "all")]


def flagged_categories(text: str, user_language: str, *, rules_only: bool) -> set[str]:
    """The categories the analysis would show as a warning: severity warning or high."""
    if rules_only:
        analysis = analyze_text(text, default_language=user_language)
    else:
        analysis = analyze(text=text, photo=None, language=None, default_language=user_language)
    return {str(finding.category) for finding in analysis.findings if finding.severity >= Severity.WARNING}


def evaluate(drafts: list[dict[str, Any]], *, show_misses: bool, rules_only: bool) -> dict[str, Any]:
    expected_count: Counter[str] = Counter()
    detected: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    flagged_correctly: Counter[str] = Counter()
    harmless = false_alarms = language_right = 0
    for draft in drafts:
        expected = set(draft["expected"])
        found = flagged_categories(draft["text"], draft["language"], rules_only=rules_only)
        language_right += analyze_text(draft["text"], default_language="nl").language == draft["language"]
        for category in expected:
            expected_count[category] += 1
            detected[category] += category in found
        for category in found:
            flagged[category] += 1
            flagged_correctly[category] += category in expected
        if not expected:
            harmless += 1
            false_alarms += bool(found)
        if show_misses and (expected - found or found - expected):
            missed = ", ".join(sorted(expected - found)) or "-"
            extra = ", ".join(sorted(found - expected)) or "-"
            print(f"{draft['id']:<8} missed: {missed:<40} extra: {extra:<40} {draft['text'][:90]!r}")

    print(f"\n{'category':<22} {'drafts':>6} {'recall':>7} {'flagged':>8} {'precision':>9}")
    figures: dict[str, Any] = {}
    recalls = []
    for category in Category:
        name = str(category)
        total = expected_count[name]
        recall = detected[name] / total if total else None
        precision = flagged_correctly[name] / flagged[name] if flagged[name] else None
        if recall is not None:
            recalls.append(recall)
        shown_recall = f"{recall:.2f}" if recall is not None else "-"
        shown_precision = f"{precision:.2f}" if precision is not None else "-"
        print(f"{name:<22} {total:>6} {shown_recall:>7} {flagged[name]:>8} {shown_precision:>9}")
        key = name.replace("-", "_")
        figures[f"recall_{key}"] = round(recall, 3) if recall is not None else None
        figures[f"precision_{key}"] = round(precision, 3) if precision is not None else None
    false_alarm_rate = false_alarms / harmless if harmless else 0.0
    print(f"\nharmless drafts: {harmless}, false alarms: {false_alarms} ({false_alarm_rate:.1%})")
    print(f"language detected right: {language_right}/{len(drafts)}")
    return {
        "recall_min": round(min(recalls), 3) if recalls else None,
        **figures,
        "false_alarm_rate": round(false_alarm_rate, 3),
        "language_accuracy": round(language_right / len(drafts), 3) if drafts else None,
        "drafts": len(drafts),
        "harmless": harmless,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", default="dev", help="a split named in the file, or all (default: dev)")
    parser.add_argument("--misses", action="store_true", help="list every draft whose categories differ")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--rules-only", action="store_true", help="the rules alone, without the classifier")
    arguments = parser.parse_args()
    drafts = load_drafts(arguments.data, arguments.split)
    if not drafts:
        splits = sorted(set(split_names(arguments.data)))
        sys.exit(
            f"no drafts in split {arguments.split!r} of {arguments.data}; its splits: {', '.join(splits)}"
        )
    print(f"post checker evaluation: {len(drafts)} drafts, split {arguments.split}")
    result = evaluate(drafts, show_misses=arguments.misses, rules_only=arguments.rules_only)
    result["split"] = arguments.split
    result["rules_only"] = arguments.rules_only
    print(json.dumps(result))


if __name__ == "__main__":
    main()
