"""Drafts the rules had not seen when they were written, kept as regression tests once the rules caught them.

`unseen_drafts.jsonl` holds, one JSON object a line, drafts written to probe the rules in new phrasings
("probe": written by the rules' author before changing the rules) and the "blind-dev" drafts of
benchmarks/data/postcheck_blind.jsonl (written by someone who never saw the rules). Each risky draft must be
shown as a warning for every category it is labelled with; a harmless draft (no categories) must get none.
"""

import json
from pathlib import Path

import pytest

from deonto.postcheck.analyzers.findings import Severity
from deonto.postcheck.analyzers.text import analyze_text

DRAFTS = [
    json.loads(line)
    for line in (Path(__file__).parent / "unseen_drafts.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
RISKY = [draft for draft in DRAFTS if draft["expected"]]
HARMLESS = [draft for draft in DRAFTS if not draft["expected"]]


def _shown(draft):
    analysis = analyze_text(draft["text"], language=draft["language"])
    return {str(finding.category) for finding in analysis.findings if finding.severity >= Severity.WARNING}


def _label(draft):
    return f"{draft['source']}-{draft['language']}-{draft['text'][:40]}"


@pytest.mark.parametrize("draft", RISKY, ids=_label)
def test_an_unseen_risky_draft_is_shown_as_a_warning_for_each_of_its_categories(draft):
    assert set(draft["expected"]) <= _shown(draft)


@pytest.mark.parametrize("draft", HARMLESS, ids=_label)
def test_an_unseen_harmless_draft_gets_no_warning(draft):
    assert _shown(draft) == set()


def test_the_unseen_drafts_cover_the_four_languages_and_harmless_posts():
    assert {draft["language"] for draft in DRAFTS} == {"nl", "fr", "en", "de"}
    assert len(HARMLESS) >= 30
