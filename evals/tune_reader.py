"""`python -m evals.tune_reader`: choose the reader's passages and rank prior on the dev sets only.

Reads every dev question's top passages once (the most any setting would read), keeps each
window's span and margin, then scores every (passages, rank prior) pair offline: the answer is
the best window's span by margin less `prior * log2(1 + rank)`, right when its sentence holds a
gold answer. For each pair the best threshold is found by a sweep, and the pair with the highest
mean expected accuracy over the dev collections wins, with a quarter of questions taken to be
unanswerable whatever a dev set's own mix (`UNANSWERABLE_SHARE`). Dev sets
only: the SQuAD held-out articles' dev split and QuAIL news (`evals.threshold.DEV_SETS`).
The threshold itself is then recorded from the full pipeline by `evals.threshold`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from evals.asking import timed_ingest
from evals.items import CACHE, SHARED_DATA, Collection, sample
from evals.loaders import load_quail, load_squad
from evals.metrics import holds
from evals.threshold import DEV_SETS, UNANSWERABLE_SHARE
from qa import Assistant, QASettings
from qa.questions import parse_question
from qa.read import read, windows

PASSAGES = (3, 5, 8)
PRIORS = (0.0, 0.5, 1.0, 2.0, 4.0)
OUTPUT = Path(__file__).with_name("reader_tuning.json")
READS = CACHE / "tune_reads.json"  # what the reader found, so objectives can be compared without reading again


@dataclass(frozen=True)
class Candidate:
    rank: int
    margin: float
    right: bool


@dataclass(frozen=True)
class Read:
    collection: str
    answerable: bool
    candidates: tuple[Candidate, ...]


def read_dev(collection: Collection, limit: int | None) -> list[Read]:
    """Every window of the top `max(PASSAGES)` passages of each dev question, read once."""
    store = CACHE / collection.name / "store"
    assistant = Assistant(QASettings(data_dir=store, corpus_dir=collection.articles))
    timed_ingest(assistant, collection.articles)
    items = sample([i for i in collection.items if i.split == "dev"], limit)
    found = []
    for item in tqdm(items, desc=f"reading {collection.name}", unit="question"):
        question = parse_question(item.question, list(item.history), respell=assistant.retriever.repair)
        hits = assistant.retrieve(item.question, max(PASSAGES), history=list(item.history)).hits
        spans = read(assistant.reader(), question.text, windows(hits, assistant.store.catalog, 99), 0.0)
        candidates = tuple(
            Candidate(s.window.rank, s.margin, any(holds(f"{s.text} {s.sentences[0].text}", g) for g in item.gold))
            for s in spans
        )
        found.append(Read(collection.name, item.answerable, candidates))
    return found


def read_all(limit: int | None) -> dict[str, list[Read]]:
    loaders = {"squad": load_squad, "quail": load_quail}
    by_collection: dict[str, list[Read]] = {}
    for name, _split in DEV_SETS:
        collection = loaders[name](SHARED_DATA, CACHE / name / "articles")
        if collection is None:
            raise SystemExit(f"{name}: its data is not under {SHARED_DATA}")
        by_collection[name] = read_dev(collection, limit)
    READS.write_text(json.dumps({n: [asdict(r) for r in rs] for n, rs in by_collection.items()}), encoding="utf-8")
    return by_collection


def load_reads() -> dict[str, list[Read]]:
    saved = json.loads(READS.read_text(encoding="utf-8"))
    return {
        name: [Read(r["collection"], r["answerable"], tuple(Candidate(**c) for c in r["candidates"])) for r in reads]
        for name, reads in saved.items()
    }


def outcome(r: Read, passages: int, prior: float) -> tuple[float, bool] | None:
    """The chosen candidate's margin and whether it is right, or None when nothing was read."""
    pool = [c for c in r.candidates if c.rank < passages]
    if not pool:
        return None
    best = max(pool, key=lambda c: c.margin - prior * math.log2(1 + c.rank))
    return best.margin, best.right


def accuracy(reads: list[Read], passages: int, prior: float, threshold: float) -> float:
    """Expected accuracy when `UNANSWERABLE_SHARE` of questions have no answer: the share of answerable
    questions answered right and of unanswerable ones abstained on, weighed by that share. A dev
    set's own mix (SQuAD 2.0 is half unanswerable, by design) does not then move the threshold."""
    right = {True: 0, False: 0}
    for r in reads:
        chosen = outcome(r, passages, prior)
        answered = chosen is not None and chosen[0] >= threshold
        right[r.answerable] += (answered and chosen is not None and chosen[1]) if r.answerable else not answered
    counts = {kind: sum(r.answerable == kind for r in reads) for kind in (True, False)}
    if not counts[True] or not counts[False]:
        return (right[True] + right[False]) / max(1, len(reads))
    return (1 - UNANSWERABLE_SHARE) * right[True] / counts[True] + UNANSWERABLE_SHARE * right[False] / counts[False]


def best_threshold(by_collection: dict[str, list[Read]], passages: int, prior: float) -> tuple[float, float]:
    """The threshold maximising the mean accuracy over collections, and that mean."""
    margins = sorted({o[0] for rs in by_collection.values() for r in rs if (o := outcome(r, passages, prior))})
    grid = [margins[i] for i in range(0, len(margins), max(1, len(margins) // 400))] + [math.inf]
    scored = [(statistics.mean(accuracy(rs, passages, prior, t) for rs in by_collection.values()), t) for t in grid]
    mean, threshold = max(scored)
    return threshold, mean


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.tune_reader", description=__doc__)
    parser.add_argument("--limit", type=int, default=400, help="dev questions per collection (seeded sample)")
    parser.add_argument("--reuse", action="store_true", help=f"score the reads saved in {READS} again")
    args = parser.parse_args(argv)
    by_collection = load_reads() if args.reuse else read_all(args.limit)
    table: list[dict[str, Any]] = []
    for passages, prior in itertools.product(PASSAGES, PRIORS):
        threshold, mean = best_threshold(by_collection, passages, prior)
        per = {n: round(accuracy(rs, passages, prior, threshold), 4) for n, rs in by_collection.items()}
        table.append({"passages": passages, "rank_prior": prior, "threshold": round(threshold, 3),
                      "mean_accuracy": round(mean, 4), "per_collection": per})  # fmt: skip
        print(f"passages {passages} prior {prior:<4} threshold {threshold:7.2f} mean {mean:.3f} {per}")
    chosen = max(table, key=lambda row: row["mean_accuracy"])
    record = {"chosen": chosen, "chosen_on": [f"{n}:{s}" for n, s in DEV_SETS],
              "questions": {n: len(rs) for n, rs in by_collection.items()}, "grid": table}  # fmt: skip
    OUTPUT.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"chosen: {chosen}; written to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
