"""The classifier beside the rules: shipped weights, offline, deterministic, and only where the rules are silent."""

import json
import re
import socket
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from deonto.postcheck.analyzers import train_classifier
from deonto.postcheck.analyzers.analyze import analyze
from deonto.postcheck.analyzers.classifier import (
    CATEGORIES,
    EVIDENCE_REACH,
    RULE_ID,
    classifier_findings,
    feature_indices,
    load,
    load_default,
)
from deonto.postcheck.analyzers.findings import Category, Severity
from deonto.postcheck.analyzers.rules import load_default_rules
from deonto.postcheck.analyzers.text import analyze_text

# Written for these tests; the rules find nothing in either.
RISKY_PARAPHRASES = [
    (
        "fr",
        "Vive la direction qui nous supprime encore deux postes, bravo les génies",
        Category.EMPLOYER_CRITICISM,
    ),
    ("nl", "Wij controleren morgen alle vrachtwagens op de E17", Category.OPERATIONAL),
    ("en", "Screenshot from the targeting app, look at this one lol", Category.INTERNAL_DOCUMENT),
]
HARMLESS = [
    ("en", "Lovely walk on the beach with the kids this afternoon"),
    ("nl", "Heerlijke wandeling met de kinderen aan zee vanmiddag"),
    ("fr", "Belle balade en forêt avec les enfants cet après-midi"),
    ("de", "Schöner Spaziergang mit den Kindern am Strand heute"),
    ("en", "Recipe for the best chocolate cake, thanks grandma"),
]


def test_the_shipped_classifier_loads_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the classifier tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    classifier = load()
    assert classifier.thresholds.shape == (len(CATEGORIES),)
    assert classifier.thresholds.min() > 0
    assert classifier.thresholds.max() < 1


def test_the_scores_are_the_same_in_another_process():
    text = "Unser Abteilungsleiter ist eine Witzfigur"
    script = (
        "from deonto.postcheck.analyzers.classifier import load_default;"
        f"print(repr(sorted((str(c), round(s, 6)) for c, s in load_default().scores({text!r}).items())))"
    )
    other = subprocess.run(  # noqa: S603 — our own interpreter and a fixed script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        cwd=train_classifier.ROOT,
    )
    here = sorted((str(category), round(score, 6)) for category, score in load_default().scores(text).items())
    assert other.stdout.strip() == repr(here)


@pytest.mark.parametrize(("language", "text", "category"), RISKY_PARAPHRASES)
def test_a_risky_paraphrase_the_rules_miss_gets_a_warning_from_the_classifier(language, text, category):
    assert category not in analyze_text(text, language=language).categories
    from_classifier = [
        finding
        for finding in analyze(text=text, photo=None, language=language).findings
        if finding.rule == f"{RULE_ID}:{category}"
    ]
    assert len(from_classifier) == 1
    finding = from_classifier[0]
    assert finding.severity == Severity.WARNING
    assert finding.span is not None
    assert finding.excerpt == text[finding.span[0] : finding.span[1]]
    rule = next(
        rule
        for rule in load_default_rules().for_language(language).rules
        if rule.message.category == category
    )
    assert (finding.explanation, finding.advice, finding.article) == (
        rule.message.explanation,
        rule.message.advice,
        rule.message.article,
    )


def test_the_words_shares_add_up_to_the_score() -> None:
    classifier = load_default()
    for _language, text, _category in RISKY_PARAPHRASES:
        spans, shares = classifier.word_weights(text)
        assert [text[start:end] for start, end in spans] == text.replace(",", " ,").split()
        logits = shares.sum(axis=0) + classifier.bias
        scores = classifier.scores(text)
        assert [scores[category] for category in CATEGORIES] == pytest.approx(
            1 / (1 + np.exp(-logits)), abs=1e-5
        )


@pytest.mark.parametrize(("language", "text", "category"), RISKY_PARAPHRASES)
def test_the_marked_words_are_the_ones_that_carry_the_warning(language, text, category):
    classifier = load_default()
    start, end = classifier.evidence(text)[category]
    spans, shares = classifier.word_weights(text)
    column = shares[:, CATEGORIES.index(category)]
    marked = [position for position, (first, last) in enumerate(spans) if start <= first and last <= end]
    assert int(np.argmax(column)) in marked
    assert max(marked) - min(marked) <= 2 * EVIDENCE_REACH
    # Taking the marked words out lowers the category's score more than taking out any other word.
    without_marked = classifier.scores(text[:start] + text[end:])[category]
    assert without_marked < classifier.scores(text)[category]
    for position, (first, last) in enumerate(spans):
        if position not in marked:
            assert classifier.scores(text[:first] + text[last:])[category] > without_marked


def test_no_words_no_marks() -> None:
    assert load_default().evidence(" \n ") == {}


def test_an_emoji_or_a_punctuation_mark_is_a_word_of_its_own() -> None:
    spans, _shares = load_default().word_weights("Merci la direction 🙄?!")
    assert spans == [(0, 5), (6, 8), (9, 18), (19, 20), (20, 21), (21, 22)]
    assert len(feature_indices("Merci la direction 🙄")) > len(feature_indices("Merci la direction"))


@pytest.mark.parametrize(("language", "text"), HARMLESS)
def test_a_clearly_harmless_post_gets_nothing_from_the_classifier(language, text):
    rules = load_default_rules().for_language(language)
    assert classifier_findings(text, rules, found=()) == []


def test_the_classifier_never_repeats_a_category_the_rules_found():
    text = "Unser Chef ist eine totale Witzfigur, der hat keine Ahnung"
    assert Category.EMPLOYER_CRITICISM in load_default().categories(text)
    analysis = analyze(text=text, photo=None, language="de")
    criticism = [finding for finding in analysis.findings if finding.category == Category.EMPLOYER_CRITICISM]
    assert criticism
    assert not any(finding.rule.startswith(RULE_ID) for finding in criticism)


def test_the_classifier_adds_nothing_when_the_rules_found_every_category():
    rules = load_default_rules().for_language("de")
    assert classifier_findings("Unser Abteilungsleiter ist eine Witzfigur", rules, found=CATEGORIES) == []


def test_training_again_reproduces_the_shipped_weights():
    drafts = train_classifier.training_drafts()
    labels = np.array([draft.labels for draft in drafts])
    known = np.array([draft.known for draft in drafts])
    weights, bias = train_classifier.fit(
        train_classifier.Matrix.of([draft.text for draft in drafts]), labels, known
    )
    shipped = load()
    assert np.allclose(shipped.weights, weights.astype(np.float32), atol=1e-5)
    assert np.allclose(shipped.bias, bias, atol=1e-5)


def test_training_leaves_out_the_holdout_and_the_blind_test():
    sources = Counter(draft.source for draft in train_classifier.training_drafts())
    data = train_classifier.ROOT / "benchmarks" / "data"
    for name, source, never in (
        ("postcheck_dev.jsonl", "dev", "holdout"),
        ("postcheck_blind.jsonl", "blind-dev", "blind-test"),
    ):
        lines = (data / name).read_text(encoding="utf-8").splitlines()
        splits = [json.loads(line).get("split", "dev") for line in lines if line.strip()]
        assert never in splits
        assert sources[source] == len(splits) - splits.count(never)


def test_a_text_is_trained_on_once():
    texts = [train_classifier.normalised(draft.text) for draft in train_classifier.training_drafts()]
    assert len(texts) == len(set(texts))


# Ordinary harmless sentences that a training writer and the writer of an untouched split phrased alike by
# chance (more than 60 % of their words shared). Kept: each was written independently.
KNOWN_NEAR_TWINS = {
    "Magnifique coucher de soleil sur la piste ce soir 🌅",
    "Bonne fête à toutes les mamans ❤️",
    "Stolz auf 25 Jahre im öffentlichen Dienst. Danke an alle, die mich begleitet haben 🙏",
    "Onze kat heeft 3 kittens gekregen, wie wil er eentje?",
    "Magnifique lever de soleil sur la digue d'Ostende ce matin 🌅",
}


def test_no_training_draft_nearly_repeats_a_draft_of_an_untouched_split():
    def words(text):
        return frozenset(re.findall(r"\w+", text.lower()))

    data = train_classifier.ROOT / "benchmarks" / "data"
    untouched = [
        words(row["text"])
        for name in ("postcheck_dev.jsonl", "postcheck_blind.jsonl", "postcheck_blind2.jsonl")
        for row in map(json.loads, (data / name).read_text(encoding="utf-8").splitlines())
        if row.get("split") in train_classifier.NEVER_READ
    ]
    assert len(untouched) > 400
    twins = {
        draft.text
        for draft in train_classifier.training_drafts()
        if len(mine := words(draft.text)) >= 4
        and any(len(mine & theirs) > 0.6 * len(mine | theirs) for theirs in untouched)
    }
    assert twins == KNOWN_NEAR_TWINS


def test_every_draft_of_the_training_file_with_a_word_is_trained_on_under_its_writer():
    sources = Counter(draft.source for draft in train_classifier.training_drafts())
    path = train_classifier.ROOT / "benchmarks" / "data" / "postcheck_train.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    writers = Counter(row["writer"] for row in rows if len(feature_indices(row["text"])))
    assert len(writers) >= train_classifier.WRITER_FOLDS
    assert len({row["writer"] for row in rows}) == len(writers)
    assert {f"train-{writer}": count for writer, count in writers.items()} == {
        source: count for source, count in sources.items() if source.startswith("train-")
    }


def test_the_readers_labels_are_of_training_drafts_drawn_from_every_writer():
    data = train_classifier.ROOT / "benchmarks" / "data"
    written = {
        row["id"]: row
        for row in map(json.loads, (data / "postcheck_train.jsonl").read_text(encoding="utf-8").splitlines())
    }
    readings = [
        json.loads(line)
        for line in (data / "postcheck_readers.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    names = {str(category) for category in CATEGORIES}
    assert len({reading["id"] for reading in readings}) == len(readings) == 300
    assert Counter(written[reading["id"]]["writer"] for reading in readings) == {
        f"w{n}": 25 for n in range(1, 13)
    }
    for reading in readings:
        assert set(reading["reader_a"]) <= names and set(reading["reader_b"]) <= names


def test_the_labelling_guide_cites_drafts_the_writer_and_the_readers_disagreed_on():
    data = train_classifier.ROOT / "benchmarks" / "data"
    expected = {
        row["id"]: set(row["expected"])
        for row in map(json.loads, (data / "postcheck_train.jsonl").read_text(encoding="utf-8").splitlines())
    }
    disputed: dict[str, int] = {}
    for reading in map(
        json.loads, (data / "postcheck_readers.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        votes = (expected[reading["id"]], set(reading["reader_a"]), set(reading["reader_b"]))
        cases = sum(len({category in labels for labels in votes}) > 1 for category in set().union(*votes))
        if cases:
            disputed[reading["id"]] = cases
    guide = (data / "labelling-guide.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"\btr\d+-(?:nl|fr|de|en)-\d{3}\b", guide))
    assert len(cited) > 40
    assert cited <= set(disputed)
    assert f"in {sum(disputed.values())} cases (a draft and a category)" in " ".join(guide.split())


def test_no_draft_of_an_evaluation_split_is_trained_on():
    normal = train_classifier.normalised
    trained = {normal(draft.text) for draft in train_classifier.training_drafts()}
    data = train_classifier.ROOT / "benchmarks" / "data"
    evaluated = [
        json.loads(line)
        for name in ("postcheck_dev.jsonl", "postcheck_blind.jsonl", "postcheck_blind2.jsonl")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    held_out = [row for row in evaluated if row.get("split", "dev") in train_classifier.NEVER_READ]
    assert {row["split"] for row in held_out} == {"holdout", "blind-test", "blind2-test"}
    assert not [row["id"] for row in held_out if normal(row["text"]) in trained]


def test_a_writer_is_never_split_across_folds():
    drafts = train_classifier.training_drafts()
    folds = train_classifier.writer_folds(drafts)
    by_source: dict[str, set[int]] = {}
    for draft, fold in zip(drafts, folds, strict=True):
        by_source.setdefault(draft.source, set()).add(int(fold))
    assert all(len(folds_of) == 1 for folds_of in by_source.values())
    assert {fold for source, (fold,) in by_source.items() if source.startswith("train-")} == set(
        range(train_classifier.WRITER_FOLDS)
    )
    assert {fold for source, (fold,) in by_source.items() if not source.startswith("train-")} == {-1}


def _draft(source: str, *categories: Category) -> train_classifier.Draft:
    return train_classifier._labelled("text", "en", [str(category) for category in categories], source)


def test_thresholds_catch_what_the_rules_miss_within_the_false_alarm_limit(monkeypatch):
    monkeypatch.setattr(train_classifier, "MAX_ADDED_FALSE_ALARMS", 0.1)
    weapon = CATEGORIES.index(Category.WEAPON)
    harmless_scores = [0.05 * index for index in range(10)]  # 0.00 … 0.45, ten harmless drafts
    risky_scores = [0.9, 0.8, 0.43, 0.2]
    drafts = [_draft("train-a") for _ in harmless_scores] + [
        _draft("train-a", Category.WEAPON) for _ in risky_scores
    ]
    scores = np.zeros((len(drafts), len(CATEGORIES)))
    scores[:, weapon] = harmless_scores + risky_scores
    flags = np.zeros_like(scores, dtype=bool)
    thresholds = train_classifier.choose_thresholds(drafts, scores, flags)
    # 0.43 would flag one harmless draft (0.45): allowed, 1 in 10; 0.2 would flag six: not allowed.
    assert thresholds[weapon] == pytest.approx(0.43)
    assert (np.delete(thresholds, weapon) == 1.0).all()


def test_thresholds_look_past_the_first_harmless_draft_to_the_risky_ones_behind_it(monkeypatch):
    monkeypatch.setattr(train_classifier, "MAX_ADDED_FALSE_ALARMS", 0.1)  # one harmless draft in ten
    weapon, political = CATEGORIES.index(Category.WEAPON), CATEGORIES.index(Category.POLITICAL)
    drafts = [_draft("train-a") for _ in range(10)]
    drafts += [_draft("train-a", Category.WEAPON) for _ in range(5)]
    drafts += [_draft("train-a", Category.POLITICAL) for _ in range(5)]
    scores = np.zeros((len(drafts), len(CATEGORIES)))
    scores[0, weapon] = 0.85  # a harmless draft above all five weapon drafts …
    scores[10:15, weapon] = [0.8, 0.79, 0.78, 0.77, 0.76]
    scores[1, political] = 0.95  # … and one above the two best political drafts
    scores[15:20, political] = [0.9, 0.9, 0.1, 0.1, 0.1]
    thresholds = train_classifier.choose_thresholds(drafts, scores, np.zeros_like(scores, dtype=bool))
    # One step at a time, political's first step (two drafts for one false alarm) beats weapon's (one for
    # one) and spends the limit; looking ahead, weapon's five drafts for the same false alarm win.
    assert thresholds[weapon] == pytest.approx(0.76)
    assert thresholds[political] == 1.0


def test_thresholds_take_what_costs_no_false_alarm_first_and_whole():
    weapon = CATEGORIES.index(Category.WEAPON)
    drafts = [_draft("train-a") for _ in range(10)] + [_draft("train-a", Category.WEAPON) for _ in range(3)]
    scores = np.zeros((len(drafts), len(CATEGORIES)))
    scores[:10, weapon] = 0.2
    scores[10:, weapon] = [0.9, 0.6, 0.3]
    flags = np.zeros_like(scores, dtype=bool)
    flags[10, weapon] = True  # the rules already catch the best-scored one
    thresholds = train_classifier.choose_thresholds(drafts, scores, flags)
    assert thresholds[weapon] == pytest.approx(0.3)


def test_thresholds_ignore_the_drafts_the_rules_were_tuned_on():
    weapon = CATEGORIES.index(Category.WEAPON)
    drafts = [_draft("unseen") for _ in range(10)] + [_draft("unseen", Category.WEAPON)]
    scores = np.zeros((len(drafts), len(CATEGORIES)))
    scores[-1, weapon] = 0.9
    thresholds = train_classifier.choose_thresholds(drafts, scores, np.zeros_like(scores, dtype=bool))
    assert (thresholds == 1.0).all()


def test_an_info_of_a_rule_does_not_stop_the_classifiers_warning(monkeypatch):
    from deonto.postcheck.analyzers import classifier as classifier_module

    weapon = CATEGORIES.index(Category.WEAPON)
    thresholds = np.full(len(CATEGORIES), 2.0, dtype=np.float32)  # no score reaches 2 …
    thresholds[weapon] = 0.0  # … but every text reaches 0 for weapon
    always_weapon = classifier_module.Classifier(
        weights=np.zeros((classifier_module.FEATURE_COUNT, len(CATEGORIES)), dtype=np.float32),
        bias=np.zeros(len(CATEGORIES), dtype=np.float32),
        thresholds=thresholds,
    )
    monkeypatch.setattr(classifier_module, "_default", always_weapon)
    text = "Un revolver chez le voisin"
    from_rules = analyze_text(text, language="fr").findings
    assert [(finding.category, finding.severity) for finding in from_rules] == [
        (Category.WEAPON, Severity.INFO)
    ]
    findings = analyze(text=text, photo=None, language="fr").findings
    assert [
        (finding.rule, finding.severity) for finding in findings if finding.category == Category.WEAPON
    ] == [
        (f"{RULE_ID}:{Category.WEAPON}", Severity.WARNING),
        (from_rules[0].rule, Severity.INFO),
    ]
