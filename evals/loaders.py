"""The collections' loaders: each source's articles written to the cache and its questions as `Item`s.

- squad: the 9 Wikipedia articles of the SQuAD 2.0 dev hold-out, one article file per paragraph;
  split by title into dev (the first 4 titles sorted) and test (the other 5).
- quail: 30 VOA news texts with QuAIL questions (a dev set); an answerable question counts only
  when its correct option's text occurs in its article; every unanswerable one counts.
- bbc_story, bbc_story2: BBC News stories written for the project, each the articles listed in
  evals/<name>.articles with the questions of evals/<name>.jsonl; split = the set's role in its
  header (bbc_story: the Yukos sale, test; bbc_story2: detention without trial, dev).
- seed: the project's own articles with evals/testset, heldout and fresh.jsonl (split = the set).

A loader returns None when its data is absent under the shared data folder. It leaves out what an
item and a collection are (`evals.items`) and ingesting and asking (`evals.asking`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from evals.case import Case
from evals.items import Collection, Item, write_articles
from evals.metrics import holds
from evals.testset import EVAL_SETS, TestSetError, check_doc_ids, load_testset, read_testset
from qa.settings import PROJECT_ROOT

EVALS = Path(__file__).parent
SQUAD_DEV_TITLES = 4


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


def story_stems(listing: Path) -> list[str]:
    """The article stems of a story's .articles file: one file name a line, `#` starts a comment."""
    names = [line.split("#", 1)[0].strip() for line in listing.read_text(encoding="utf-8").splitlines()]
    return [Path(name).stem for name in names if name]


def load_bbc_story(shared: Path, articles: Path, name: str = "bbc_story", folder: Path = EVALS) -> Collection | None:
    """The story `name`: <folder>/<name>.articles read from the BBC data, <name>.jsonl split by its role."""
    source = shared / "bbc-news" / "articles"
    listing, cases = folder / f"{name}.articles", folder / f"{name}.jsonl"
    if not (listing.is_file() and cases.is_file() and source.is_dir()):
        return None
    testset = read_testset(cases)
    if testset.role is None:
        raise TestSetError(f"{cases}:1: a story's first line must give its role, dev or test")
    stems = story_stems(listing)
    check_doc_ids(testset, set(stems))
    write_articles(articles, {stem: (source / f"{stem}.txt").read_text(encoding="utf-8") for stem in stems})
    items = case_items(name, testset.role, testset.cases)
    return Collection(name, articles, items, {"source": str(listing), "splits": {testset.role: "all"}})


def load_bbc_story2(shared: Path, articles: Path) -> Collection | None:
    return load_bbc_story(shared, articles, "bbc_story2")


def load_seed(shared: Path, articles: Path) -> Collection | None:
    """The project's own articles, ingested where they are (nothing to materialise)."""
    items = [item for path in EVAL_SETS for item in case_items("seed", path.stem, load_testset(path))]
    corpus = PROJECT_ROOT / "corpus" / "articles"
    return Collection("seed", corpus, items, {"source": str(corpus), "splits": [p.stem for p in EVAL_SETS]})


LOADERS: dict[str, Callable[[Path, Path], Collection | None]] = {
    "squad": load_squad, "quail": load_quail, "bbc_story": load_bbc_story, "bbc_story2": load_bbc_story2,
    "seed": load_seed,
}  # fmt: skip
