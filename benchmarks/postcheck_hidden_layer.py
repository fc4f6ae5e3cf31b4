"""Would a hidden layer help the post checker's classifier? Measured, not shipped.

    .venv/bin/python benchmarks/postcheck_hidden_layer.py

The shipped classifier is one logistic regression per category on hashed word and character n-grams
(`deonto.postcheck.analyzers.classifier`). This script trains, on the same features and the same drafts, a
small network with one hidden layer shared by all categories (`HIDDEN` tanh units, dropout while training,
full-batch Adam by `train_classifier.adam_step`, drafts weighted by `train_classifier.sample_weights`): an
embedding of each feature, summed over the draft, like fastText with a hidden layer. It is the cheapest model
that can learn that two cues together (a complaint and the employer, a quantity and a place) mean more than
each alone, which a logistic regression cannot.

Both are scored on the writers of postcheck_train.jsonl, out of fold by writer, with nested thresholds
(`train_classifier.nested_decisions`: at most 1 % added false alarms, chosen without the writer's fold), beside
the rules, as `train_classifier` reports; the network twice, with two seeds, to show how much of a difference
is chance. It also gives the area under the ROC curve per category (how well the scores rank risky drafts
above the others, whatever the threshold), the time to score one draft once its features are known, and the
size of the weights. About 13 minutes on 2 cores.

Prints a table, and as its last line one JSON object with the figures.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse
import scipy.stats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deonto.postcheck.analyzers import train_classifier  # noqa: E402
from deonto.postcheck.analyzers.classifier import (  # noqa: E402
    CATEGORIES,
    FEATURE_COUNT,
    feature_indices,
    load_default,
)

HIDDEN = 64
EPOCHS = 200
LEARNING_RATE = 0.01
L2 = 1e-4
DROPOUT = 0.3
SEEDS = (0, 1)
TIMED_DRAFTS = 200

Network = tuple[
    npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]
]


def sparse_rows(texts: list[str]) -> scipy.sparse.csr_matrix:
    """The drafts' hashed features, scaled to unit length, exactly as the logistic regression sees them."""
    matrix = train_classifier.Matrix.of(texts)
    return scipy.sparse.csr_matrix(
        (matrix.values, (matrix.rows, matrix.columns)), shape=(len(texts), FEATURE_COUNT)
    )


def fit_network(
    features: scipy.sparse.csr_matrix,
    labels: npt.NDArray[np.float64],
    known: npt.NDArray[np.float64],
    seed: int,
) -> Network:
    """Hidden layer `tanh(x E + b)`, then a logistic output per category; the feature embeddings start at zero
    (a feature never seen stays zero) and the output weights at random, which breaks the symmetry."""
    generator = np.random.default_rng(seed)
    weight = train_classifier.sample_weights(labels, known)
    embedding = np.zeros((FEATURE_COUNT, HIDDEN))
    hidden_bias = np.zeros(HIDDEN)
    output = generator.normal(0, 1 / np.sqrt(HIDDEN), (HIDDEN, labels.shape[1]))
    output_bias = np.zeros(labels.shape[1])
    parameters = [embedding, hidden_bias, output, output_bias]
    first = [np.zeros_like(parameter) for parameter in parameters]
    second = [np.zeros_like(parameter) for parameter in parameters]
    transposed = features.T.tocsr()
    for step in range(1, EPOCHS + 1):
        hidden = np.tanh(features @ embedding + hidden_bias)
        kept = (generator.random(hidden.shape) > DROPOUT) / (1 - DROPOUT)
        dropped = hidden * kept
        error = (1 / (1 + np.exp(-(dropped @ output + output_bias))) - labels) * weight
        back = (error @ output.T) * kept * (1 - hidden**2)
        gradients = (
            transposed @ back + L2 * embedding,
            back.sum(axis=0),
            dropped.T @ error + L2 * output,
            error.sum(axis=0),
        )
        for parameter, gradient, first_moment, second_moment in zip(
            parameters, gradients, first, second, strict=True
        ):
            train_classifier.adam_step(parameter, gradient, first_moment, second_moment, step, LEARNING_RATE)
    return embedding, hidden_bias, output, output_bias


def network_scores(network: Network, features: scipy.sparse.csr_matrix) -> npt.NDArray[np.float64]:
    embedding, hidden_bias, output, output_bias = network
    result: npt.NDArray[np.float64] = 1 / (
        1 + np.exp(-(np.tanh(features @ embedding + hidden_bias) @ output + output_bias))
    )
    return result


def network_out_of_fold(
    drafts: list[train_classifier.Draft], features: scipy.sparse.csr_matrix, seed: int
) -> tuple[npt.NDArray[np.float64], Network]:
    """Like `train_classifier.out_of_fold`, with the network; also the last fold's network, to time."""
    folds = train_classifier.writer_folds(drafts)
    labels = np.array([draft.labels for draft in drafts])
    known = np.array([draft.known for draft in drafts])
    scores = np.zeros((len(drafts), len(CATEGORIES)))
    networks = []
    for fold in range(train_classifier.WRITER_FOLDS):
        held = folds == fold
        networks.append(fit_network(features[~held], labels[~held], known[~held], seed))
        scores[held] = network_scores(networks[-1], features[held])
    return scores, networks[-1]


def area_under_curve(scores: npt.NDArray[np.float64], positive: npt.NDArray[np.bool_]) -> float:
    """The chance that a risky draft scores above a draft without the category (ties count half)."""
    ranks = scipy.stats.rankdata(scores)
    count = int(positive.sum())
    return float((ranks[positive].sum() - count * (count + 1) / 2) / (count * (len(scores) - count)))


def per_draft_ms(score: Any, indices: list[npt.NDArray[np.int64]]) -> float:
    """Median time to score one draft from its hashed features (the features cost the same for both)."""
    times = []
    for row in indices:
        start = time.perf_counter()
        score(row)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    drafts = train_classifier.training_drafts()
    fair = np.array([draft.source.startswith(train_classifier.TRAIN_PREFIX) for draft in drafts])
    positive = (np.array([draft.labels for draft in drafts]) > 0) & fair[:, None]
    harmless = fair & np.array([draft.harmless for draft in drafts])
    print(f"{len(drafts)} training drafts; the rules read each one (a few minutes)", flush=True)
    flags = train_classifier.rule_flags(drafts)
    scores = {"n-grams": train_classifier.out_of_fold(drafts)}
    features = sparse_rows([draft.text for draft in drafts])
    networks = {}
    for seed in SEEDS:
        started = time.perf_counter()
        scores[f"hidden, seed {seed}"], networks[seed] = network_out_of_fold(drafts, features, seed)
        print(f"hidden layer, seed {seed}: four folds in {time.perf_counter() - started:.0f} s", flush=True)

    columns: dict[str, npt.NDArray[np.bool_]] = {"rules": flags}
    columns.update(
        {name: train_classifier.nested_decisions(drafts, score, flags) for name, score in scores.items()}
    )
    figures: dict[str, Any] = {}
    names = list(columns)
    print(
        f"\nrecall out of fold, nested thresholds ({int(fair.sum())} drafts by the writers of postcheck_train.jsonl)"
    )
    print(f"{'category':<22}" + "".join(f"{name:>17}" for name in names))
    for column, category in enumerate(CATEGORIES):
        key = str(category).replace("-", "_")
        recalls = [float(columns[name][positive[:, column], column].mean()) for name in names]
        print(f"{category!s:<22}" + "".join(f"{recall:>17.2f}" for recall in recalls))
        for name, recall in zip(names, recalls, strict=True):
            figures[f"recall_{_key(name)}_{key}"] = round(recall, 3)
    means = [
        float(np.mean([columns[name][positive[:, c], c].mean() for c in range(len(CATEGORIES))]))
        for name in names
    ]
    alarms = [float(columns[name][harmless].any(axis=1).mean()) for name in names]
    print(f"{'mean recall':<22}" + "".join(f"{value:>17.3f}" for value in means))
    print(f"{'false alarms':<22}" + "".join(f"{value:>17.1%}" for value in alarms))
    for name, mean, alarm in zip(names, means, alarms, strict=True):
        figures[f"mean_recall_{_key(name)}"] = round(mean, 3)
        figures[f"false_alarm_rate_{_key(name)}"] = round(alarm, 3)

    print("\narea under the ROC curve, out of fold (1 = every risky draft ranked first)")
    print(f"{'category':<22}" + "".join(f"{name:>17}" for name in scores))
    areas: dict[str, list[float]] = {name: [] for name in scores}
    for column, category in enumerate(CATEGORIES):
        for name, score in scores.items():
            areas[name].append(area_under_curve(score[fair, column], positive[fair, column]))
        print(f"{category!s:<22}" + "".join(f"{areas[name][-1]:>17.3f}" for name in scores))
    print(f"{'mean':<22}" + "".join(f"{np.mean(areas[name]):>17.3f}" for name in scores))
    for name in scores:
        figures[f"mean_auc_{_key(name)}"] = round(float(np.mean(areas[name])), 3)

    shipped = load_default()
    embedding, hidden_bias, output, output_bias = (part.astype(np.float32) for part in networks[SEEDS[0]])
    sample = [feature_indices(draft.text) for draft in drafts if draft.source.startswith("train-")][
        :TIMED_DRAFTS
    ]

    def linear(indices: npt.NDArray[np.int64]) -> Any:
        return shipped.weights[indices].sum(axis=0) / np.sqrt(len(indices)) + shipped.bias

    def network(indices: npt.NDArray[np.int64]) -> Any:
        hidden = np.tanh(embedding[indices].sum(axis=0) / np.sqrt(len(indices)) + hidden_bias)
        return hidden @ output + output_bias

    timings = {"n-grams": per_draft_ms(linear, sample), "hidden layer": per_draft_ms(network, sample)}
    sizes = {
        "n-grams": shipped.weights.nbytes / 2**20,
        "hidden layer": (embedding.nbytes + output.nbytes) / 2**20,
    }
    print(f"\n{'model':<22}{'ms per draft':>14}{'weights MB':>12}  (float32, in memory)")
    for name in timings:
        print(f"{name:<22}{timings[name]:>14.3f}{sizes[name]:>12.1f}")
        figures[f"score_median_{_key(name)}_ms"] = round(timings[name], 4)
        figures[f"weights_{_key(name)}_mb"] = round(sizes[name], 1)
    print(json.dumps(figures))


def _key(name: str) -> str:
    return name.replace("-", "").replace(",", "").replace(" ", "_")


if __name__ == "__main__":
    main()
