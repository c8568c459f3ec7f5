"""`qa ingest` and `qa reindex` killed (SIGKILL) at their own write stages leave a store that heals.

Each test runs the real command in a subprocess on a small made-up collection (a ferry strike in
a harbour town, four articles, then an edited, an added and a removed one), with
QA_INGEST__PAUSE_AT naming a stage: the command says "paused at STAGE" there and sleeps, and the
test kills it. Then, as a new process would: the store opens; it either answers exactly as a
store built cleanly from the old or the new articles does, or refuses, naming the problem; every
problem is one the next ingest repairs; and the next ingest leaves catalog, Chroma and BM25 in
agreement and answering exactly as a clean build of the new articles, nothing duplicated or lost.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient

from index.catalog import Catalog, StoreDamaged
from index.encoder import Encoder
from index.ingest import IngestReport
from qa import Assistant, QASettings
from tests.conftest import PROJECT

QUESTIONS = [
    "Who leads the ferry workers' union?",
    "How big was the pay rise in the deal?",
    "What did the operator raise its offer to?",
    "Which councillor wants a second vessel?",
]
ARTICLES = {
    "strike-begins.md": """---
title: Ferry crews walk out on the Kellsby to Marrow Island route
publisher: Kellsby Courier
published: 2025-03-03
---
Ferry crews on the Kellsby to Marrow Island route walked out on Monday morning, cancelling all 46
sailings planned for the week. The strike was called by the Seafarers' Guild, whose local leader,
Tomas Breck, said crews had worked without a pay rise for three years.

Northsound Ferries, which runs the route under a council contract, said it was disappointed and
urged the guild to return to talks. About 900 people live on Marrow Island, which has no bridge.
""",
    "talks.md": """---
title: Strike talks at the harbour office end without a deal
publisher: Island Gazette
published: 2025-03-07
---
Talks between Northsound Ferries and the Seafarers' Guild ended on Thursday without agreement. The
mediator, Ruth Okafor, said both sides had moved but were still far apart.

The operator offered a pay rise of three percent, which the guild rejected as an insult. Tomas Breck
said his members would stay out until the rota was fixed as well.
""",
    "islanders.md": """---
title: Marrow Island runs short of milk and medicine
publisher: Kellsby Courier
published: 2025-03-05
---
The only shop on Marrow Island ran out of fresh milk on Wednesday, the third day of the ferry strike.
The island school closed because its two teachers live in Kellsby.

A fishing boat, the Grey Heron, carried insulin and other medicine across on Tuesday night, the
harbour master said.
""",
    "deal.md": """---
title: Ferry strike ends with a pay deal and a new rota
publisher: Island Gazette
published: 2025-03-12
---
The Kellsby ferry strike ended on Wednesday after the Seafarers' Guild accepted a pay rise of five and a
half percent and a new rota that limits crews to four days in a row.

Sailings to Marrow Island resume on Thursday. Tomas Breck said the deal was hard won.
""",
}
EDITED = "talks.md"
EDIT = (
    "\nOn Friday evening the operator raised its offer to four percent, which the guild also turned down,"
    " saying the rota mattered as much as the money.\n"
)
REMOVED = "islanders.md"
ADDED = {
    "review.md": """---
title: Council orders a review of the island ferry service
publisher: Kellsby Courier
published: 2025-04-02
---
Kellsby council has ordered a review of the Marrow Island ferry service after the strike left the
island cut off for nine days. Councillor Ines Varga said the route needed a second vessel so that one
breakdown or dispute could never strand the island again.
"""
}


def write_corpus(folder: Path, version: str) -> Path:
    """The collection as it was before (`old`) or after (`new`: one edited, one added, one removed)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    articles = dict(ARTICLES)
    if version == "new":
        articles[EDITED] += EDIT
        del articles[REMOVED]
        articles.update(ADDED)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def reopen(settings: QASettings, encoder: Encoder) -> Assistant:
    """The store as a new process opens it (Chroma keeps one connection per folder in a process)."""
    SharedSystemClient.clear_system_cache()
    return Assistant(settings, encoder)


def versions(catalog: Catalog) -> list[tuple[str, str]]:
    return sorted((doc_id, article.content_hash) for doc_id, article in catalog.articles.items())


def answers(assistant: Assistant) -> tuple[object, ...]:
    """What a reader gets: the articles with their versions, and the ranked passages for each question."""
    hits = [[(h.chunk_id, round(h.score, 5)) for h in assistant.retrieve(q, 5).hits] for q in QUESTIONS]
    return versions(assistant.store.catalog), hits


def agree(assistant: Assistant) -> bool:
    """Catalog, Chroma and BM25 hold exactly the same chunks and sentences, each once."""
    store = assistant.store
    catalog, chunks, sentences = store.catalog, store.chunk_vectors, store.sentence_vectors
    return (store.health().ok and chunks.ids() == catalog.chunk_ids() and sentences.ids() == catalog.sentence_ids()
            and chunks.collection.count() == len(catalog.chunk_ids())
            and sentences.collection.count() == len(catalog.sentence_ids())
            and sorted(store.bm25().ids) == sorted(catalog.chunk_ids()))  # fmt: skip


Clean = dict[str, tuple[object, ...]]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, real_encoder: Encoder) -> Clean:
    """For the old and the new collection, what a store built cleanly (no kill) answers."""
    built = {}
    for version in ("old", "new"):
        root = tmp_path_factory.mktemp(f"clean-{version}")
        settings = QASettings(data_dir=root / "data", corpus_dir=write_corpus(root / "corpus", version))
        assistant = Assistant(settings, real_encoder)
        assistant.ingest()
        assert agree(assistant)
        built[version] = answers(assistant)
    return built


@pytest.fixture
def settings(tmp_path: Path) -> QASettings:
    return QASettings(data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus")


def start_from_old(settings: QASettings, encoder: Encoder) -> None:
    """A store of the old collection, whose articles then change on disk."""
    Assistant(settings, encoder).ingest(write_corpus(settings.corpus_dir, "old"))
    write_corpus(settings.corpus_dir, "new")


def kill_at(stage: str, settings: QASettings, *command: str) -> None:
    """Run `qa COMMAND` until it says it paused at `stage`, then SIGKILL it."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HF_HUB_OFFLINE": "1", "QA_INGEST__PAUSE_AT": stage,
           "QA_DATA_DIR": str(settings.data_dir), "QA_CORPUS_DIR": str(settings.corpus_dir)}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "qa", *command], cwd=PROJECT, env=env, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    watchdog = threading.Timer(240, process.kill)
    watchdog.start()
    said: list[str] = []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            said.append(line)
            if line.strip() == f"paused at {stage}":
                process.send_signal(signal.SIGKILL)
                break
    finally:
        watchdog.cancel()
        process.kill()
        process.wait(30)
    assert said and said[-1].strip() == f"paused at {stage}", f"qa {command[0]} never paused: {''.join(said)[-2000:]}"
    assert process.returncode == -signal.SIGKILL


def after_the_kill(settings: QASettings, encoder: Encoder, clean: Clean) -> tuple[Assistant, str | None]:
    """Open the killed store; it answers as a clean build of one version does, or refuses. Which version?"""
    assistant = reopen(settings, encoder)
    health = assistant.doctor()
    assert all(f.repair == "ingest" for f in health.findings), health.findings  # a kill never needs a reindex
    version = next((v for v, got in clean.items() if got[0] == versions(assistant.store.catalog)), None)
    if health.answerable:
        assert version is not None and answers(assistant) == clean[version]
    else:
        with pytest.raises(StoreDamaged, match="qa ingest"):
            assistant.retrieve(QUESTIONS[0])
    return assistant, version


def heals(settings: QASettings, encoder: Encoder, clean: Clean) -> IngestReport:
    """The next ingest completes, and the store is whole and answers as a clean build of the new articles."""
    report = reopen(settings, encoder).ingest(prune=True)
    assistant = reopen(settings, encoder)
    assert agree(assistant) and answers(assistant) == clean["new"]
    return report


def test_a_first_ingest_killed_between_chunk_and_sentence_vectors_is_refused_then_completed(
    settings: QASettings, real_encoder: Encoder, clean: Clean
) -> None:
    write_corpus(settings.corpus_dir, "new")
    kill_at("chunk-vectors", settings, "ingest")
    assistant, version = after_the_kill(settings, real_encoder, clean)
    assert version is None and not assistant.health().index_loaded  # no catalog yet: nothing to answer from
    assert "catalog.json is missing" in assistant.health().problems[0]
    report = heals(settings, real_encoder, clean)
    sentences = len(reopen(settings, real_encoder).store.catalog.sentence_ids())
    assert report.texts_encoded == sentences  # the chunk vectors the killed run stored were kept, not embedded again


def test_an_ingest_killed_before_its_catalog_answers_from_the_old_articles(
    settings: QASettings, real_encoder: Encoder, clean: Clean
) -> None:
    start_from_old(settings, real_encoder)
    kill_at("bm25", settings, "ingest", "--prune")
    assistant, version = after_the_kill(settings, real_encoder, clean)
    assert version == "old" and assistant.health().index_loaded
    generation = assistant.store.catalog.generation
    assert any(f"{settings.data_dir}/bm25/{generation + 1} left by" in p for p in assistant.health().problems)
    heals(settings, real_encoder, clean)


def test_a_prune_killed_after_its_catalog_leaves_orphans_that_the_next_ingest_sweeps(
    settings: QASettings, real_encoder: Encoder, clean: Clean
) -> None:
    start_from_old(settings, real_encoder)
    kill_at("catalog", settings, "ingest", "--prune")
    assistant, version = after_the_kill(settings, real_encoder, clean)
    problems = assistant.health().problems
    assert version == "new" and any("no indexed article uses" in p for p in problems)
    report = heals(settings, real_encoder, clean)
    assert report.repaired == problems and report.texts_encoded == 0 and not report.changed


def test_a_reindex_killed_before_it_switches_keeps_the_old_store_and_its_leftovers_are_swept(
    settings: QASettings, real_encoder: Encoder, clean: Clean
) -> None:
    start_from_old(settings, real_encoder)
    kill_at("bm25", settings, "reindex")
    assistant, version = after_the_kill(settings, real_encoder, clean)
    unused = [p for p in assistant.health().problems if "left by an interrupted" in p]
    assert version == "old" and len(unused) == 1 and f"{settings.data_dir}/chroma-r" in unused[0]
    heals(settings, real_encoder, clean)
    assert [p.name for p in settings.data_dir.iterdir() if p.name.startswith("chroma")] == ["chroma"]
