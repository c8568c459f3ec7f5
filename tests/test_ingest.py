"""Ingest: incremental, idempotent, one writer, and all-or-nothing for the store."""

from pathlib import Path

import pytest

import index.ingest
from index.catalog import StoreBusy
from qa import Assistant, QASettings
from tests.conftest import FakeEncoder

EDITED = "004_ab0b1256b9446ed0"


def _chunk_ids(assistant: Assistant) -> dict[str, set[str]]:
    return {d: {c.chunk_id for c in a.chunks} for d, a in assistant.store.catalog.articles.items()}


def _snapshot(assistant: Assistant) -> tuple[object, ...]:
    store = assistant.store
    store.reload()
    hits = assistant.retrieve("how many troops were sent to Vladivostok?", 5).hits
    return (store.catalog.model_dump_json(), store.chunk_vectors.ids(), [h.chunk_id for h in hits])


def test_second_ingest_embeds_nothing_and_does_not_load_the_encoder(
    settings: QASettings, fake_encoder: FakeEncoder
) -> None:
    first = Assistant(settings, fake_encoder).ingest()
    assert len(first.added) == 5 and first.chunks_added > 0 and first.texts_encoded == fake_encoder.calls

    def no_encoder() -> FakeEncoder:
        raise AssertionError("the encoder was loaded for a no-op ingest")

    again = index.ingest.ingest(Assistant(settings).store, settings.corpus_dir, no_encoder, settings.ingest)
    assert (again.chunks_added, again.texts_encoded, again.added, again.updated) == (0, 0, [], [])
    assert len(again.unchanged) == 5


def test_editing_one_article_replaces_exactly_its_chunks(
    assistant: Assistant, corpus: Path, fake_encoder: FakeEncoder
) -> None:
    assistant.ingest()
    before = _chunk_ids(assistant)
    calls = fake_encoder.calls
    path = corpus / f"{EDITED}.txt"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nA late paragraph added by the editors says the talks went on.\n",
        encoding="utf-8",
    )
    report = assistant.ingest()
    after = _chunk_ids(assistant)
    assert report.updated == [EDITED] and len(report.unchanged) == 4
    assert {d: ids for d, ids in after.items() if d != EDITED} == {d: ids for d, ids in before.items() if d != EDITED}
    assert after[EDITED] != before[EDITED]
    assert assistant.store.chunk_vectors.ids() == set().union(*after.values())
    assert 0 < fake_encoder.calls - calls < len(after[EDITED]) + 40  # only the changed article's new texts


def test_pruning_a_removed_article_leaves_no_trace(assistant: Assistant, corpus: Path) -> None:
    assistant.ingest()
    (corpus / f"{EDITED}.txt").unlink()
    assert assistant.ingest().removed == []  # without --prune nothing is lost
    assert EDITED in assistant.store.catalog.articles
    report = assistant.ingest(prune=True)
    assert report.removed == [EDITED] and report.chunks_removed > 0
    assert not any(
        i.startswith(EDITED) for i in assistant.store.chunk_vectors.ids() | assistant.store.sentence_vectors.ids()
    )
    assert not any(i.startswith(EDITED) for i in assistant.store.bm25().ids)
    for question in [
        "Peskov conflicting information",
        "13,000 containers of artillery",
        "North Korea denies sending troops",
    ]:
        assert EDITED not in {h.doc_id for h in assistant.retrieve(question, 10).hits}


def test_a_second_writer_is_told_the_store_is_in_use(assistant: Assistant) -> None:
    with assistant.store.lock(), pytest.raises(StoreBusy, match="store in use"):
        assistant.ingest()


def test_a_crash_before_the_commit_leaves_the_store_as_it_was(
    assistant: Assistant, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant.ingest()
    before = _snapshot(assistant)
    (corpus / f"{EDITED}.txt").write_text(
        "A Replaced Story Headline\n\nEverything in it changed completely, every single word of it.\n",
        encoding="utf-8",
    )

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(index.ingest, "save_catalog", crash)
    with pytest.raises(OSError, match="disk full"):
        assistant.ingest()
    after = _snapshot(assistant)
    assert after[0] == before[0] and after[2] == before[2]
    monkeypatch.undo()
    assert assistant.ingest().updated == [EDITED]  # and the next ingest recovers
    assert assistant.store.chunk_vectors.ids() == assistant.store.catalog.chunk_ids()


def test_an_encoder_failure_leaves_the_store_as_it_was(settings: QASettings, corpus: Path) -> None:
    good = Assistant(settings, FakeEncoder())
    good.ingest()
    before = _snapshot(good)
    (corpus / "new.md").write_text(
        "---\ntitle: New\n---\nA brand new article arrives with plenty of words in it.\n",
        encoding="utf-8",
    )

    class BrokenEncoder(FakeEncoder):
        def encode(self, texts: list[str]):  # type: ignore[no-untyped-def]
            raise RuntimeError("encoder crashed")

    with pytest.raises(RuntimeError, match="encoder crashed"):
        Assistant(settings, BrokenEncoder()).ingest()
    assert _snapshot(good) == before


BAD_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "binary.txt": b"\x00\x01\x02\x03binary",
    "latin1.txt": "caf\xe9".encode("latin-1"),
    "broken.md": b"---\ntitle: [oops\n---\nBody text.\n",
    "yesterday.md": b"---\npublished: yesterday\n---\nBody text that is long enough.\n",
}


def test_bad_files_are_rejected_one_by_one_and_the_rest_ingested(assistant: Assistant, corpus: Path) -> None:
    for name, content in BAD_FILES.items():
        (corpus / name).write_bytes(content)
    with (corpus / "huge.txt").open("wb") as handle:
        handle.truncate(20_000_000)
    report = assistant.ingest()
    assert len(report.added) == 5
    reasons = {Path(r.path).name: r.reason for r in report.rejected}
    assert sorted(reasons) == sorted([*BAD_FILES, "huge.txt"])
    assert reasons["huge.txt"].startswith("too large") and "yesterday" in reasons["yesterday.md"]


def test_an_ingest_of_only_bad_files_changes_nothing(assistant: Assistant, tmp_path: Path) -> None:
    assistant.ingest()
    before = _snapshot(assistant)
    bad = tmp_path / "bad"
    bad.mkdir()
    for name, content in BAD_FILES.items():
        (bad / name).write_bytes(content)
    report = assistant.ingest(bad, prune=True)
    assert len(report.rejected) == len(BAD_FILES) and not report.changed
    assert _snapshot(assistant) == before


def test_two_files_claiming_one_doc_id_keep_the_first(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "dupes"
    folder.mkdir()
    for name in ["a.md", "b.md"]:
        (folder / name).write_text(
            f"---\ndoc_id: same\n---\nText of {name} long enough to index here.\n", encoding="utf-8"
        )
    report = assistant.ingest(folder)
    assert report.added == ["same"] and "already used by" in report.rejected[0].reason


def test_a_broken_manifest_rejects_its_folder_with_the_reason(assistant: Assistant, corpus: Path) -> None:
    (corpus / "manifest.yaml").write_text("a: [unclosed\n", encoding="utf-8")
    report = assistant.ingest()
    assert report.added == [] and len(report.rejected) == 5
    assert all("manifest.yaml" in r.reason and "not valid YAML" in r.reason for r in report.rejected)


def test_an_article_that_is_all_furniture_is_rejected_with_the_reason(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "furniture"
    folder.mkdir()
    (folder / "menu.txt").write_text("Share\nExit mobile version\nSource link\n", encoding="utf-8")
    report = assistant.ingest(folder)
    assert report.added == [] and report.rejected[0].reason == "no article text left after removing page furniture"


def test_values_derived_from_the_catalog_are_built_once_and_rebuilt_after_an_ingest(
    assistant: Assistant, corpus: Path
) -> None:
    assistant.ingest()
    builds: list[int] = []

    def count(catalog) -> int:  # type: ignore[no-untyped-def]
        builds.append(1)
        return len(catalog.articles)

    store = assistant.store
    assert store.derived("articles", count) == store.derived("articles", count) == 5 and len(builds) == 1
    (corpus / "new.md").write_text("---\ntitle: New\n---\nA brand new article arrives with plenty of words.\n")
    assistant.ingest()
    assert store.derived("articles", count) == 6 and len(builds) == 2
