"""`python -m evals.collections`: the answerer scored on whole collections, beyond the seed story.

Each collection is ingested into its own store, `.qa-data/collections/<name>/store/`, and every
question is asked of the whole collection:
- squad: the 9 Wikipedia articles of the SQuAD 2.0 dev hold-out, one article file per paragraph;
  split by title into dev (the first 4 titles sorted) and test (the other 5).
- quail: 30 VOA news texts with QuAIL questions (a dev set); an answerable question counts only
  when its correct option's text occurs in its article; every unanswerable one counts.
- bbc_story: the BBC articles listed in evals/bbc_story.articles, with evals/bbc_story.jsonl (test).
- seed: the project's own articles with evals/testset, heldout and fresh.jsonl (split = the set).

Shared data is read from ../shared/data, never copied into the repository: its articles are
written to the git-ignored cache (`<name>/articles/`); a collection whose data is absent is
skipped. Every question and engine gives one `Row` (results.jsonl); `scores` sums rows for the
table and summary.json. It leaves out retrieval metrics and citation precision (`python -m evals`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, Field, computed_field
from tqdm import tqdm

from evals.answers import grade
from evals.metrics import best_f1, holds, share
from evals.metrics import normalize as normalize  # re-exported: the scorers lived here first
from evals.metrics import token_f1 as token_f1
from evals.testset import EVAL_SETS, Case, load_testset
from qa import Assistant, QASettings
from qa.settings import PROJECT_ROOT
from qa.types import Answer, Turn

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
CACHE = PROJECT_ROOT / ".qa-data" / "collections"
BBC_LIST = Path(__file__).with_name("bbc_story.articles")
BBC_CASES = Path(__file__).with_name("bbc_story.jsonl")
ENGINES = ("rules", "reader")
SQUAD_DEV_TITLES = 4
T = TypeVar("T")


# -- rows and their metrics ---------------------------------------------------------------------


class Row(BaseModel):
    """One question asked of one engine: a line of results.jsonl."""

    collection: str
    split: str
    engine: str
    threshold: float | None = Field(description="The reader's abstention threshold in the run; None for rules.")
    id: str
    question: str
    answerable: bool
    gold: list[str] = Field(description="Answer texts (squad, quail) or answer patterns (seed, bbc_story).")
    answer: str
    abstained: bool
    answer_span: dict[str, Any] | None = Field(description="{doc_id, start, end, text} of the direct answer.")
    confidence: float | None
    margin: float | None = Field(description="The reader's margin over 'no answer'; None when it did not read.")
    citations: list[str] = Field(description="Cited doc_ids, in [n] order.")
    correct_if_answered: bool = Field(description="Answerable, and the answer text holds a gold answer.")
    span_f1: float | None = Field(description="Token F1 of answer_span.text with the best gold; None without either.")
    latency_ms: float

    def abstains_at(self, threshold: float | None = None) -> bool:
        """Abstained in the run, or would below `threshold` (what is answered does not depend on it)."""
        return self.abstained or (threshold is not None and self.margin is not None and self.margin < threshold)

    def correct_at(self, threshold: float | None = None) -> bool:
        abstains = self.abstains_at(threshold)
        return (not abstains and self.correct_if_answered) if self.answerable else abstains

    @computed_field  # type: ignore[prop-decorator]
    @property
    def correct(self) -> bool:
        """Right as run: an answerable question answered with its gold, an unanswerable one abstained."""
        return self.correct_at()


def abstention_scores(rows: Sequence[Row], threshold: float | None = None) -> dict[str, float | None]:
    """Accuracy overall and on answerable rows, abstention precision and recall (None when undefined).

    Example: (answerable right, answerable abstained, unanswerable abstained) -> accuracy 2/3,
    answerable_accuracy 1/2, abstention_precision 1/2, abstention_recall 1.
    """
    abstains = [row.abstains_at(threshold) for row in rows]
    correct = [(not a and r.correct_if_answered) if r.answerable else a for r, a in zip(rows, abstains, strict=True)]
    right_abstentions = sum(a and not r.answerable for r, a in zip(rows, abstains, strict=True))
    answerable = sum(r.answerable for r in rows)
    return {
        "accuracy": share(sum(correct), len(rows)),
        "answerable_accuracy": share(sum(c and r.answerable for r, c in zip(rows, correct, strict=True)), answerable),
        "abstention_precision": share(right_abstentions, sum(abstains)),
        "abstention_recall": share(right_abstentions, len(rows) - answerable),
    }


def span_f1(rows: Sequence[Row], threshold: float | None = None) -> float | None:
    """Mean span F1 over answerable rows, 0 for an abstention; None when no answer gave a span."""
    answerable = [row for row in rows if row.answerable]
    if all(row.span_f1 is None for row in answerable):
        return None
    return statistics.fmean(0.0 if r.abstains_at(threshold) else r.span_f1 or 0.0 for r in answerable)


def scores(rows: Sequence[Row], threshold: float | None = None) -> dict[str, float | int | None]:
    """The table's metrics over rows; squad's 'holds gold' is answerable_accuracy."""
    return {
        "questions": len(rows),
        "answerable": sum(row.answerable for row in rows),
        "abstained": sum(row.abstains_at(threshold) for row in rows),
        **abstention_scores(rows, threshold),
        "span_f1": span_f1(rows, threshold),
        "median_ms": statistics.median(row.latency_ms for row in rows) if rows else None,
    }


def summarize(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Scores per collection, split and engine (engines side by side), then the split "all" if there are several."""
    groups: dict[tuple[str, str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.collection, row.split, row.engine), []).append(row)
    collections, splits, engines = (_first_seen(key[i] for key in groups) for i in range(3))
    for collection, engine in itertools.product(collections, engines):
        keys = [key for key in groups if (key[0], key[2]) == (collection, engine)]
        if len(keys) > 1:
            groups[(collection, "all", engine)] = [row for key in keys for row in groups[key]]
    order = sorted(groups, key=lambda k: (collections[k[0]], k[1] == "all", splits.get(k[1], 0), engines[k[2]]))
    return [{"collection": c, "split": s, "engine": e, **scores(groups[(c, s, e)])} for c, s, e in order]


def _first_seen(values: Iterable[str]) -> dict[str, int]:
    """Each value's rank of first appearance. Example: ["b", "a", "b"] -> {"b": 0, "a": 1}."""
    return {value: rank for rank, value in enumerate(dict.fromkeys(values))}


# -- collections ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One question of a collection and what grades its answer."""

    collection: str
    split: str
    id: str
    question: str
    answerable: bool
    gold: tuple[str, ...] = ()
    history: tuple[Turn, ...] = ()
    case: Case | None = None  # a test-set case, graded by evals.answers.grade


@dataclass
class Collection:
    name: str
    articles: Path
    items: list[Item]
    note: dict[str, Any] = field(default_factory=dict)  # recorded in summary.json


def write_articles(folder: Path, files: dict[str, str]) -> None:
    """`{stem}.txt` files ("headline\\n\\nbody") and a manifest giving each its headline as title.

    Unchanged files are left alone and stale ones removed, so a re-run ingests nothing new.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.txt"):
        if stale.stem not in files:
            stale.unlink()
    titles = {f"{stem}.txt": {"title": text.split("\n", 1)[0].strip()} for stem, text in sorted(files.items())}
    _write_if_changed(folder / "manifest.yaml", yaml.safe_dump(titles, allow_unicode=True))
    for stem, text in files.items():
        _write_if_changed(folder / f"{stem}.txt", text)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def squad_stem(title: str, paragraph: int) -> str:
    """A file stem that is also a valid doc_id. Example: ("Fresno,_California", 3) -> "squad-Fresno_California-003"."""
    return f"squad-{re.sub(r'[^A-Za-z0-9.-]+', '_', title)}-{paragraph:03d}"


def squad_articles(data: dict[str, Any]) -> dict[str, str]:
    """Each paragraph as an article, "title\n\ncontext", keyed by its stem (also its doc_id)."""
    return {
        squad_stem(a["title"], i): f"{a['title'].replace('_', ' ')}\n\n{p['context'].strip()}\n"
        for a in data["data"] for i, p in enumerate(a["paragraphs"])
    }  # fmt: skip


def squad_splits(titles: Sequence[str]) -> dict[str, list[str]]:
    """dev: the first four titles sorted; test: the others."""
    ordered = sorted(set(titles))
    return {"dev": ordered[:SQUAD_DEV_TITLES], "test": ordered[SQUAD_DEV_TITLES:]}


def squad_items(data: dict[str, Any]) -> list[Item]:
    splits = squad_splits([article["title"] for article in data["data"]])
    split_of = {title: split for split, titles in splits.items() for title in titles}
    return [
        _squad_item(split_of[article["title"]], qa)
        for article in data["data"]
        for paragraph in article["paragraphs"]
        for qa in paragraph["qas"]
    ]


def _squad_item(split: str, qa: dict[str, Any]) -> Item:
    golds = tuple(dict.fromkeys(answer["text"] for answer in qa["answers"]))
    return Item("squad", split, qa["id"], qa["question"], not qa.get("is_impossible", False), golds)


def load_squad(shared: Path, articles: Path) -> Collection | None:
    source = shared / "squad2-dev-heldout" / "dev-heldout.json"
    if not source.is_file():
        return None
    data = json.loads(source.read_text(encoding="utf-8"))
    write_articles(articles, squad_articles(data))
    titles = [article["title"] for article in data["data"]]
    return Collection("squad", articles, squad_items(data), {"source": str(source), "splits": squad_splits(titles)})


def quail_items(rows: Sequence[dict[str, Any]], texts: dict[str, str]) -> list[Item]:
    """Every unanswerable question, and the answerable ones whose correct option occurs in their article."""
    items = []
    for row in rows:
        if row["impossible"]:
            items.append(Item("quail", "dev", row["id"], row["question"], False))
        elif holds(texts.get(row["doc"], ""), row["answers"][0]):
            items.append(Item("quail", "dev", row["id"], row["question"], True, (row["answers"][0],)))
    return items


def load_quail(shared: Path, articles: Path) -> Collection | None:
    source = shared / "quail-news"
    if not (source / "questions.jsonl").is_file():
        return None
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sorted((source / "articles").glob("*.txt"))}
    write_articles(articles, texts)
    lines = (source / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    items = quail_items(rows, texts)
    note = {"source": str(source), "splits": {"dev": "all"}, "left_out": len(rows) - len(items),
            "left_out_why": "answerable, but the correct option's text is not in the article"}  # fmt: skip
    return Collection("quail", articles, items, note)


def case_items(collection: str, split: str, cases: Sequence[Case]) -> list[Item]:
    return [Item(collection, split, c.id, c.question, c.answerable, tuple(c.answer_patterns), tuple(c.history), c)
            for c in cases]  # fmt: skip


def load_bbc_story(shared: Path, articles: Path) -> Collection | None:
    source = shared / "bbc-news" / "articles"
    if not (BBC_LIST.is_file() and BBC_CASES.is_file() and source.is_dir()):
        return None
    names = [line.split("#", 1)[0].strip() for line in BBC_LIST.read_text(encoding="utf-8").splitlines()]
    stems = [Path(name).stem for name in names if name]
    write_articles(articles, {stem: (source / f"{stem}.txt").read_text(encoding="utf-8") for stem in stems})
    items = case_items("bbc_story", "test", load_testset(BBC_CASES))
    return Collection("bbc_story", articles, items, {"source": str(BBC_LIST), "splits": {"test": "all"}})


def load_seed(shared: Path, articles: Path) -> Collection | None:
    """The project's own articles, ingested where they are (nothing to materialise)."""
    items = [item for path in EVAL_SETS for item in case_items("seed", path.stem, load_testset(path))]
    corpus = PROJECT_ROOT / "corpus" / "articles"
    return Collection("seed", corpus, items, {"source": str(corpus), "splits": [p.stem for p in EVAL_SETS]})


LOADERS: dict[str, Callable[[Path, Path], Collection | None]] = {
    "squad": load_squad, "quail": load_quail, "bbc_story": load_bbc_story, "seed": load_seed,
}  # fmt: skip


def sample(items: Sequence[T], limit: int | None, seed: int = 0) -> list[T]:
    """`limit` items drawn with a seeded generator, kept in their order; all of them without a limit."""
    if limit is None or limit >= len(items):
        return list(items)
    return [items[i] for i in sorted(random.Random(seed).sample(range(len(items)), limit))]


# -- asking ---------------------------------------------------------------------------------------


def judge(item: Item, answer: Answer) -> tuple[bool, float | None]:
    """Whether the answer holds the gold answer, were it given (not abstained), and its span's F1."""
    if item.case is not None:  # patterns: graded as `python -m evals` grades; quotes are not checked here
        answered = answer.model_copy(update={"abstained": False})
        return item.answerable and grade(item.case, answered, lambda _doc_id: "").correct, None
    span = answer.answer_span
    f1 = best_f1(span.text, item.gold) if span is not None and item.answerable else None
    return item.answerable and any(holds(answer.answer, gold) for gold in item.gold), f1


def make_row(item: Item, engine: str, threshold: float | None, answer: Answer) -> Row:
    right, f1 = judge(item, answer)
    span = answer.answer_span
    return Row(collection=item.collection, split=item.split, engine=engine, threshold=threshold, id=item.id,
               question=item.question, answerable=item.answerable, gold=list(item.gold), answer=answer.answer,
               abstained=answer.abstained, answer_span=span.model_dump() if span is not None else None,
               confidence=answer.confidence, margin=answer.margin,
               citations=[c.doc_id for c in answer.citations], correct_if_answered=right, span_f1=f1,
               latency_ms=answer.timings_ms["total"])  # fmt: skip


def engine_settings(engine: str, store: Path, articles: Path, threshold: float | None) -> QASettings:
    """Settings for one engine over one collection's store; `threshold` overrides the reader's."""
    base = QASettings(data_dir=store, corpus_dir=articles)
    reader = base.answer.reader
    if threshold is not None:
        reader = reader.model_copy(update={"threshold": threshold})
    return base.model_copy(update={"answer": base.answer.model_copy(update={"engine": engine, "reader": reader})})


def timed_ingest(assistant: Assistant, articles: Path) -> dict[str, Any]:
    started = time.perf_counter()
    report = assistant.ingest(articles, prune=True, progress=True)
    for rejection in report.rejected:
        print(f"rejected {rejection.path}: {rejection.reason}", file=sys.stderr)
    return {"seconds": round(time.perf_counter() - started, 1), "added": len(report.added),
            "updated": len(report.updated), "unchanged": len(report.unchanged), "removed": len(report.removed),
            "rejected": len(report.rejected), "texts_encoded": report.texts_encoded}  # fmt: skip


def run_collection(collection: Collection, engines: Sequence[str], store: Path, threshold: float | None) -> list[Row]:
    """Ingest the collection's articles (incrementally), then ask every question of every engine."""
    first = Assistant(engine_settings(engines[0], store, collection.articles, threshold))
    collection.note["ingest"] = timed_ingest(first, collection.articles)
    if not first.articles():
        raise SystemExit(f"no article of {collection.articles} is indexed (is a folder above it hidden, '.name'?)")
    rows = []
    for engine in engines:
        settings = engine_settings(engine, store, collection.articles, threshold)
        assistant = first if engine == engines[0] else Assistant(settings, first.encoder())
        run_threshold = settings.answer.reader.threshold if engine == "reader" else None
        assistant.ask("What is this about?")  # loads the models, so no question's latency counts it
        for item in tqdm(collection.items, desc=f"{collection.name} ({engine})", unit="question"):
            rows.append(make_row(item, engine, run_threshold, assistant.ask(item.question, list(item.history))))
    return rows


# -- command line ---------------------------------------------------------------------------------

COLUMNS = {"questions": "n", "answerable": "ans", "abstained": "abst", "accuracy": "acc",
           "answerable_accuracy": "ans_acc", "span_f1": "span_f1", "abstention_precision": "abst_P",
           "abstention_recall": "abst_R", "median_ms": "ms"}  # fmt: skip


def print_table(summary: Sequence[dict[str, Any]]) -> None:
    """One line per collection, split and engine; ans_acc is 'holds a gold answer' on answerable questions."""
    print(f"{'collection':<11}{'split':<9}{'engine':<8}" + "".join(f"{h:>9}" for h in COLUMNS.values()))
    for line in summary:
        cells = (_cell(line[key]) for key in COLUMNS)
        print(f"{line['collection']:<11}{line['split']:<9}{line['engine']:<8}" + "".join(f"{c:>9}" for c in cells))


def _cell(value: float | int | None) -> str:
    return "-" if value is None else str(value) if isinstance(value, int) else f"{value:.3f}"


def write_results(out: Path, rows: Sequence[Row], summary: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.jsonl").write_text("".join(row.model_dump_json() + "\n" for row in rows), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str) + "\n", encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals.collections", description=__doc__.split("\n")[0])
    parser.add_argument("--collection", action="append", choices=list(LOADERS), help="repeatable; default: all")
    parser.add_argument("--engine", choices=[*ENGINES, "both"], default="reader", help="answerer(s) to score")
    parser.add_argument("--threshold", type=float, help="the reader's abstention threshold (-1000: never abstain)")
    parser.add_argument("--split", action="append", help="keep only these splits (dev, test, testset, ...)")
    parser.add_argument("--limit", type=int, help="ask at most N questions per collection (a seeded sample)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the --limit sample")
    parser.add_argument("--out", type=Path, default=CACHE / "results", help="folder for results.jsonl, summary.json")
    parser.add_argument("--shared-data", type=Path, default=SHARED_DATA, help="the shared data folder")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where collections' articles and stores live")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engines = ENGINES if args.engine == "both" else (args.engine,)
    rows: list[Row] = []
    notes: dict[str, Any] = {}
    for name in args.collection or list(LOADERS):
        collection = LOADERS[name](args.shared_data, args.cache / name / "articles")
        if collection is None:
            print(f"skipping {name}: its data is not under {args.shared_data}", file=sys.stderr)
            notes[name] = {"skipped": f"no data under {args.shared_data}"}
            continue
        kept = [item for item in collection.items if not args.split or item.split in args.split]
        collection.items = sample(kept, args.limit, args.seed)
        collection.note.update(questions=len(kept), asked=len(collection.items))
        if collection.items:
            rows += run_collection(collection, engines, args.cache / name / "store", args.threshold)
        notes[name] = collection.note
    summary = summarize(rows)
    thresholds = {row.engine: row.threshold for row in rows}
    write_results(args.out, rows, {"created": dt.datetime.now().isoformat(timespec="seconds"), "args": vars(args),
                                   "thresholds": thresholds, "collections": notes, "scores": summary})  # fmt: skip
    print_table(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
