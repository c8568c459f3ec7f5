"""The store heals: a missing or damaged part is named, never answered from, and repaired.

Each test damages one file of a store the fake encoder built, then opens it as a new process
would (Chroma keeps one connection per folder in a process, so the shared one is dropped first).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient
from fastapi.testclient import TestClient

import app
import index.ingest
from index.catalog import StoreDamaged
from index.vectors import connect
from qa import Assistant, QASettings
from qa.chat_page import ChatPage
from qa.cli import main
from tests.conftest import FakeEncoder
from tests.test_chroma_server import chroma_url  # noqa: F401  (a fixture: a Chroma server on loopback)

QUESTION = "how many troops were sent to Vladivostok?"


def reopen(settings: QASettings, encoder: FakeEncoder | None = None) -> Assistant:
    """An assistant over the store as a new process would open it."""
    SharedSystemClient.clear_system_cache()
    return Assistant(settings, encoder or FakeEncoder())


def snapshot(assistant: Assistant) -> tuple[object, ...]:
    """What answers depend on: the articles, the ids in every part, and a ranking that uses all three."""
    store = assistant.store
    store.reload()
    hits = [(h.chunk_id, round(h.score, 5)) for h in assistant.retrieve(QUESTION, 8).hits]
    return (sorted(store.catalog.articles), store.chunk_vectors.ids(), store.sentence_vectors.ids(),
            sorted(store.bm25().ids), hits)  # fmt: skip


def agree(assistant: Assistant) -> bool:
    store = assistant.store
    store.reload()
    catalog = store.catalog
    return (store.health().ok and store.chunk_vectors.ids() == catalog.chunk_ids()
            and store.sentence_vectors.ids() == catalog.sentence_ids()
            and sorted(store.bm25().ids) == sorted(catalog.chunk_ids()))  # fmt: skip


@pytest.fixture
def built(settings: QASettings) -> tuple[Assistant, tuple[object, ...]]:
    assistant = Assistant(settings, FakeEncoder())
    assistant.ingest()
    assert agree(assistant)
    return assistant, snapshot(assistant)


def test_a_whole_store_is_healthy_and_says_so(built, settings: QASettings) -> None:  # type: ignore[no-untyped-def]
    assistant, before = built
    health = assistant.health()
    assert health.index_loaded and health.problems == [] and health.articles == 5
    assert assistant.doctor().describe()[-1] == "healthy: the catalog, Chroma and the BM25 index agree"
    catalog = settings.data_dir / "catalog.json"
    written = json.loads(catalog.read_text(encoding="utf-8"))
    del written["space"]  # a catalog written before vector spaces existed
    catalog.write_text(json.dumps(written), encoding="utf-8")
    again = reopen(settings)
    assert again.doctor().ok and snapshot(again) == before


def test_a_deleted_chroma_database_is_named_refused_and_re_embedded(built, settings: QASettings) -> None:  # type: ignore[no-untyped-def]
    _, before = built
    sqlite = settings.data_dir / "chroma" / "chroma.sqlite3"
    sqlite.unlink()
    encoder = FakeEncoder()
    assistant = reopen(settings, encoder)
    health = assistant.health()
    assert not health.index_loaded and str(sqlite) in health.problems[0]
    with pytest.raises(StoreDamaged, match=r"chroma\.sqlite3 is missing.*run `qa ingest`"):
        assistant.ask(QUESTION)
    with pytest.raises(StoreDamaged):
        assistant.retrieve(QUESTION)
    report = assistant.ingest()
    catalog = assistant.store.catalog
    assert report.unchanged and not report.added and str(sqlite) in report.repaired[0]
    assert report.texts_encoded == encoder.calls == len(catalog.chunk_ids()) + len(catalog.sentence_ids())
    assert agree(assistant) and snapshot(assistant) == before


def test_only_the_missing_vectors_are_re_embedded(built, settings: QASettings) -> None:  # type: ignore[no-untyped-def]
    assistant, before = built
    lost = sorted(i for i in assistant.store.sentence_vectors.ids() if i.startswith("004_"))
    assistant.store.sentence_vectors.delete(lost)
    encoder = FakeEncoder()
    again = reopen(settings, encoder)
    assert f"lacks {len(lost)} of the" in again.doctor().findings[0].problem
    with pytest.raises(StoreDamaged, match="sentence vectors"):
        again.ask(QUESTION)
    report = again.ingest()
    assert report.texts_encoded == encoder.calls == len(lost)
    assert agree(again) and snapshot(again) == before


@pytest.mark.parametrize("damage", ["delete the folder", "truncate a file", "empty the ids"])
def test_a_lost_or_damaged_bm25_index_is_rebuilt_without_the_encoder(built, settings: QASettings, damage: str) -> None:  # type: ignore[no-untyped-def]
    assistant, before = built
    folder = assistant.store.bm25_dir(assistant.store.catalog.generation)
    if damage == "delete the folder":
        shutil.rmtree(folder)
    elif damage == "truncate a file":
        (folder / "vocab.index.json").write_text('{"kursk": ', encoding="utf-8")
    else:
        (folder / "ids.json").write_text("[]", encoding="utf-8")
    again = reopen(settings)
    problem = again.doctor().findings[0].problem
    assert str(folder) in problem
    with pytest.raises(StoreDamaged, match="bm25"):
        again.ask(QUESTION)
    with pytest.raises(StoreDamaged, match="bm25"):
        again.timeline("troops")

    def no_encoder() -> FakeEncoder:
        raise AssertionError("nothing needed embedding")

    report = index.ingest.ingest(again.store, settings.corpus_dir, no_encoder, settings.ingest)
    assert report.repaired == [problem] and report.texts_encoded == 0
    assert agree(again) and snapshot(again) == before


def test_qa_ingest_says_what_it_repaired(built, settings: QASettings, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assistant, _ = built
    folder = assistant.store.bm25_dir(assistant.store.catalog.generation)
    shutil.rmtree(folder)
    code, out, _ = run_cli(settings, capsys, "ingest")  # nothing to embed: the real encoder is not loaded
    assert code == 0 and f"repaired: {folder} is missing, so keyword search would be off" in out.splitlines()
    code, out, _ = run_cli(settings, capsys, "ingest")
    assert code == 0 and "repaired" not in out and out.startswith("0 added, 0 updated, 5 unchanged")


def test_vectors_no_article_uses_are_reported_and_swept_but_do_not_stop_answers(built, settings: QASettings) -> None:  # type: ignore[no-untyped-def]
    assistant, before = built
    store = assistant.store
    ids = sorted(store.chunk_vectors.ids())[:3]
    orphans = [f"gone:{i}" for i in ids]
    store.chunk_vectors.upsert(orphans, store.chunk_vectors.collection.get(ids=ids, include=["embeddings"])[
        "embeddings"], [{"doc_id": "gone"}] * 3)  # fmt: skip
    again = reopen(settings)
    (finding,) = again.doctor().findings
    assert "holds 3 chunk vectors that no indexed article uses" in finding.problem and not finding.blocks_answers
    assert again.health().index_loaded and again.retrieve(QUESTION).hits
    assert again.ingest().repaired == [finding.problem]
    assert agree(again) and snapshot(again) == before


def test_a_deleted_catalog_is_rebuilt_from_the_articles_without_re_embedding(built, settings: QASettings) -> None:  # type: ignore[no-untyped-def]
    _, before = built
    settings.data_dir.joinpath("catalog.json").unlink()
    encoder = FakeEncoder()
    again = reopen(settings, encoder)
    assert "catalog.json is missing" in again.doctor().findings[0].problem
    with pytest.raises(StoreDamaged, match=r"catalog\.json is missing"):
        again.ask(QUESTION)
    report = again.ingest()
    assert len(report.added) == 5 and report.texts_encoded == encoder.calls == 0
    assert agree(again) and snapshot(again) == before


def run_cli(settings: QASettings, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), settings)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("damaged", ["catalog.json", "chroma/chroma.sqlite3"])
def test_a_damaged_file_gives_one_line_everywhere_and_reindex_rebuilds_it(  # type: ignore[no-untyped-def]
    built, settings: QASettings, capsys: pytest.CaptureFixture[str], damaged: str
) -> None:
    _, before = built
    path = settings.data_dir / damaged
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 3])
    SharedSystemClient.clear_system_cache()
    for argv in (["ask", QUESTION], ["ask", QUESTION, "--json"], ["ingest"], ["retrieve", QUESTION]):
        code, out, err = run_cli(settings, capsys, *argv)
        assert (code, out, err.count("\n")) == (2, "", 1) and err.startswith("qa: error: "), (argv, err)
        assert str(path) in err and "qa doctor" in err and "qa reindex" in err and "Traceback" not in err
    code, out, _ = run_cli(settings, capsys, "doctor")
    assert code == 1 and str(path) in out and "`qa reindex` rebuilds the store" in out
    code, out, _ = run_cli(settings, capsys, "doctor", "--json")
    assert code == 1 and json.loads(out)["ok"] is False
    again = reopen(settings)  # `qa reindex` itself would embed with the real encoder; the fake one is compared here
    assert len(again.reindex().added) == 5
    assert run_cli(settings, capsys, "doctor")[0] == 0
    assert agree(again) and snapshot(again) == before
    assert sorted(p.name for p in settings.data_dir.iterdir() if p.name.startswith("chroma")) == [
        f"chroma-{again.store.catalog.space}"
    ]


def test_reindex_rebuilds_beside_the_old_store_and_removes_it(built, settings: QASettings) -> None:  # type: ignore[no-untyped-def]
    assistant, before = built
    extra = settings.data_dir.parent / "elsewhere" / "extra.md"
    extra.parent.mkdir()
    extra.write_text("---\ntitle: Extra\n---\nA sixth article about a harbour and its cranes.\n", encoding="utf-8")
    assistant.ingest(extra.parent)
    encoder = FakeEncoder()
    again = reopen(settings, encoder)
    report = again.reindex()
    catalog = again.store.catalog
    assert sorted(report.added) == sorted(catalog.articles) and "extra" in catalog.articles  # indexed files kept
    assert report.texts_encoded == len(catalog.chunk_ids()) + len(catalog.sentence_ids())
    assert not (settings.data_dir / "chroma").exists() and [p.name for p in (settings.data_dir / "bm25").iterdir()] == [
        str(catalog.generation)
    ]
    assert agree(again)
    extra.unlink()
    assert again.reindex().removed == ["extra"]  # an article whose file is gone is dropped
    assert agree(again) and snapshot(again) == before


def test_a_space_left_by_an_interrupted_reindex_is_reported_and_swept(built, settings: QASettings) -> None:  # type: ignore[no-untyped-def]
    _, before = built
    leftover = settings.data_dir / "chroma-r9-abc123"
    shutil.copytree(settings.data_dir / "chroma", leftover)
    again = reopen(settings)
    (finding,) = again.doctor().findings
    assert str(leftover) in finding.problem and not finding.blocks_answers
    assert again.ingest().repaired == [finding.problem] and not leftover.exists()
    assert agree(again) and snapshot(again) == before


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_reindex_on_a_chroma_server_switches_collections_and_drops_the_old_ones(
    chroma_url: str,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
    corpus: Path,
) -> None:
    settings = QASettings(data_dir=tmp_path / "data", corpus_dir=corpus, chroma_url=chroma_url)
    assistant = Assistant(settings, FakeEncoder())
    assistant.ingest()
    before = snapshot(assistant)
    assistant.reindex()
    space = assistant.store.catalog.space
    names = {c.name for c in connect(tmp_path, chroma_url).list_collections()}
    assert space and names == {f"chunks-{space}", f"sentences-{space}"}
    assert agree(assistant) and snapshot(assistant) == before and assistant.doctor().ok


def test_the_app_reports_a_half_index_and_refuses_questions_until_it_is_repaired(built, settings: QASettings) -> None:  # type: ignore[no-untyped-def]
    assistant, _ = built
    folder = assistant.store.bm25_dir(assistant.store.catalog.generation)
    shutil.rmtree(folder)
    served = reopen(settings)
    with TestClient(app.create_app(settings, served)) as client:
        health = client.get("/api/health").json()
        assert health["index_loaded"] is False and health["problems"] == [
            f"{folder} is missing, so keyword search would be off"
        ]
        for response in (client.post("/api/ask", json={"question": QUESTION}),
                         client.get("/api/retrieve", params={"question": QUESTION})):  # fmt: skip
            detail = response.json()["detail"]
            assert response.status_code == 503 and str(folder) in detail and "qa ingest" in detail
        shown = list(ChatPage(served, allow_upload=False).ask(QUESTION, []))[-1][-1]
        assert 'class="error"' in shown and "qa ingest" in shown  # the chat says why instead of answering
        served.ingest()
        assert client.get("/api/health").json()["index_loaded"] is True
        assert client.get("/api/retrieve", params={"question": QUESTION}).status_code == 200


def test_the_app_does_not_start_on_an_unreadable_store_and_warns_of_an_incomplete_one(  # type: ignore[no-untyped-def]
    built, settings: QASettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("QA_CORPUS_DIR", str(settings.corpus_dir))
    served: list[object] = []
    monkeypatch.setattr(app, "create_app", lambda *args: "the app")
    monkeypatch.setattr(app.uvicorn, "run", lambda served_app, **options: served.append(served_app))
    monkeypatch.setattr(Assistant, "encoder", lambda self: None)
    catalog = settings.data_dir / "catalog.json"
    content = catalog.read_bytes()
    catalog.write_bytes(content[:100])
    with pytest.raises(SystemExit) as stopped:
        app.main()
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and served == [] and err.count("\n") == 1
    assert err.startswith("qa: error: ") and f"{catalog} cannot be read" in err and "qa reindex" in err
    catalog.write_bytes(content)
    built[0].store.sentence_vectors.delete(sorted(built[0].store.sentence_vectors.ids())[:2])
    app.main()
    err = capsys.readouterr().err
    assert served == ["the app"] and err.startswith("qa: warning: the index cannot be used:") and "lacks 2 of" in err


def test_damaged_vector_index_files_are_named_and_rebuilt_by_reindex(tmp_path: Path) -> None:
    """Chroma rebuilds a small index from its log; past about a thousand vectors the files alone hold it."""
    folder = tmp_path / "harbour"
    folder.mkdir()
    for a in range(12):
        sentences = [f"Crane {a * 100 + i} at the north quay lifted {i + 3} containers on day {i}." for i in range(100)]
        text = f"---\ntitle: Quay report {a}\n---\n" + "\n\n".join(
            " ".join(sentences[j : j + 5]) for j in range(0, 100, 5)
        )
        (folder / f"quay-{a}.md").write_text(text, encoding="utf-8")
    settings = QASettings(data_dir=tmp_path / "data", corpus_dir=folder)
    built = Assistant(settings, FakeEncoder())
    built.ingest()
    question = "Which crane lifted containers on day 42?"
    before = [h.chunk_id for h in built.retrieve(question, 5).hits]
    for index_file in (settings.data_dir / "chroma").glob("*/data_level0.bin"):
        index_file.unlink()
    again = reopen(settings)
    (finding,) = again.doctor().findings
    assert f"the vector index files in {settings.data_dir / 'chroma'} cannot be read" in finding.problem
    assert finding.repair == "reindex"
    with pytest.raises(StoreDamaged, match="qa reindex"):
        again.retrieve(question)
    with pytest.raises(StoreDamaged, match="qa reindex"):
        again.ingest()  # nothing it could re-embed would mend the index files
    again.reindex()
    assert agree(again) and [h.chunk_id for h in again.retrieve(question, 5).hits] == before
