"""What a new user's own folders hold (issue 11): impossible dates, clashing file names,
files that are not articles, and taking one article out again with `qa remove`."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest import UnknownDocId, remove_article
from qa import Assistant, QASettings
from tests.conftest import FakeEncoder

BRIDGE = """---
title: Ostra bridge closed after flood damage
publisher: Millbrook Courier
published: 2023-05-04
---
The Ostra bridge in Millbrook was closed on Thursday after engineers found cracks in two piers.
The council said repairs would take at least eight weeks and cost 1.2 million euros.
"""

FERRY = """Extra ferry runs while the bridge is shut

Millbrook Courier, 5 May 2023

The ferry company will add twelve crossings a day while the Ostra bridge stays closed.
Tickets stay at three euros, the company's director Lena Varga said.
"""

SCHOOL = """---
title: School buses rerouted through Kessel
published: {published}
---
School buses will take the Kessel road until the Ostra bridge reopens, the district said.
The detour adds about twenty minutes to each journey.
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def desk(tmp_path: Path, fake_encoder: FakeEncoder) -> Assistant:
    """An assistant over an empty store of its own, with the rule engine (no reader to load)."""
    settings = QASettings(data_dir=tmp_path / "store", corpus_dir=tmp_path / "articles")
    return Assistant(settings.model_copy(update={"answer": settings.answer.model_copy(update={"engine": "rules"})}),
                     fake_encoder)  # fmt: skip


# Item 9: an impossible date is one file's rejection, not the batch's.


@pytest.mark.parametrize("published", ["2024-13-45", "2023-02-30"])
def test_an_impossible_front_matter_date_rejects_only_its_file(desk: Assistant, tmp_path: Path, published: str) -> None:
    folder = tmp_path / "articles"
    _write(folder / "bridge.md", BRIDGE)
    _write(folder / "ferry.txt", FERRY)
    bad = _write(folder / "school.md", SCHOOL.format(published=published))
    report = desk.ingest(folder)
    assert sorted(report.added) == ["bridge", "ferry"]
    [rejection] = report.rejected
    assert rejection.path == str(bad) and "published" in rejection.reason and "\n" not in rejection.reason


def test_an_impossible_date_in_the_manifest_rejects_only_its_file(desk: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    _write(folder / "ferry.txt", FERRY)
    _write(folder / "school.txt", SCHOOL.format(published="x").split("---\n", 2)[2])
    _write(folder / "manifest.yaml", "ferry.txt:\n  published: 2023-05-05\nschool.txt:\n  published: 2024-13-45\n")
    report = desk.ingest(folder)
    assert report.added == ["ferry"] and [Path(r.path).name for r in report.rejected] == ["school.txt"]
    assert desk.article("ferry").published is not None and str(desk.article("ferry").published) == "2023-05-05"


def test_a_valid_date_still_reads_as_a_date(desk: Assistant, tmp_path: Path) -> None:
    _write(tmp_path / "articles" / "school.md", SCHOOL.format(published="2023-05-06"))
    desk.ingest(tmp_path / "articles")
    assert str(desk.article("school").published) == "2023-05-06"


# Item 10: two files with one name in different folders.


def test_a_file_named_like_an_indexed_one_elsewhere_is_refused_naming_both(desk: Assistant, tmp_path: Path) -> None:
    first = _write(tmp_path / "spring" / "notice.md", BRIDGE)
    second = _write(tmp_path / "autumn" / "notice.md", SCHOOL.format(published="2023-10-01"))
    desk.ingest(first.parent)
    report = desk.ingest(second.parent)
    assert report.added == [] and report.updated == []
    [rejection] = report.rejected
    assert rejection.path == str(second) and str(first) in rejection.reason and "doc_id" in rejection.reason
    assert "Ostra bridge in Millbrook was closed" in desk.article("notice").text  # the first one is kept


def test_two_files_with_one_name_in_one_ingest_are_refused_naming_both(desk: Assistant, tmp_path: Path) -> None:
    first = _write(tmp_path / "articles" / "a" / "notice.md", BRIDGE)
    second = _write(tmp_path / "articles" / "b" / "notice.md", FERRY)
    report = desk.ingest(tmp_path / "articles")
    assert report.added == ["notice"]
    [rejection] = report.rejected
    assert rejection.path == str(second) and str(first) in rejection.reason


def test_a_moved_file_keeps_its_id_and_an_identical_copy_is_not_a_clash(desk: Assistant, tmp_path: Path) -> None:
    old = _write(tmp_path / "spring" / "notice.md", BRIDGE)
    desk.ingest(old.parent)
    _write(tmp_path / "copy" / "notice.md", BRIDGE)
    assert desk.ingest(tmp_path / "copy").unchanged == ["notice"]
    edited = _write(tmp_path / "summer" / "notice.md", BRIDGE + "The council will meet on Monday.\n")
    old.unlink()
    report = desk.ingest(edited.parent)
    assert report.updated == ["notice"] and not report.rejected
    assert "meet on Monday" in desk.article("notice").text


def test_ids_given_in_front_matter_tell_same_named_files_apart(desk: Assistant, tmp_path: Path) -> None:
    _write(tmp_path / "spring" / "notice.md", BRIDGE)
    _write(tmp_path / "autumn" / "notice.md", "---\ndoc_id: autumn-notice\n---\n" + FERRY)
    desk.ingest(tmp_path / "spring")
    assert desk.ingest(tmp_path / "autumn").added == ["autumn-notice"]


# Item 11: files that are not articles, and taking one article out.


def test_files_that_are_not_articles_are_reported_as_skipped(desk: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    _write(folder / "bridge.md", BRIDGE)
    (folder / "minutes.pdf").write_bytes(b"%PDF-1.7\n\x00\x01")
    (folder / "sub").mkdir()
    (folder / "sub" / "budget.docx").write_bytes(b"PK\x03\x04\x00")
    (folder / ".draft.pdf").write_bytes(b"%PDF")
    _write(folder / "manifest.yaml", "bridge.md:\n  publisher: Millbrook Courier\n")
    report = desk.ingest(folder)
    assert report.added == ["bridge"] and not report.rejected
    assert [Path(s.path).name for s in report.skipped] == ["minutes.pdf", "budget.docx"]
    assert all(".pdf" in s.reason or ".docx" in s.reason for s in report.skipped)
    assert all(".md" in s.reason and ".html" in s.reason for s in report.skipped)


def test_a_file_given_by_name_that_is_not_an_article_is_rejected(desk: Assistant, tmp_path: Path) -> None:
    sheet = _write(tmp_path / "fares.csv", "route,price\nOstra,3\n")
    report = desk.ingest(sheet)
    assert report.added == [] and [r.path for r in report.rejected] == [str(sheet)]
    assert ".csv" in report.rejected[0].reason


def _indexed(desk: Assistant) -> tuple[set[str], set[str], set[str], set[str]]:
    store = desk.store
    store.reload()
    docs = set(store.catalog.articles)
    return docs, store.chunk_vectors.ids(), store.sentence_vectors.ids(), set(store.bm25().ids)


def test_remove_takes_an_article_out_of_catalog_vectors_and_bm25(desk: Assistant, tmp_path: Path) -> None:
    _write(tmp_path / "articles" / "bridge.md", BRIDGE)
    _write(tmp_path / "articles" / "ferry.txt", FERRY)
    desk.ingest(tmp_path / "articles")
    ferry = desk.store.catalog.articles["ferry"]
    ferry_chunks = {c.chunk_id for c in ferry.chunks}
    ferry_sentences = {s.sentence_id for s in ferry.sentences}
    report = remove_article(desk.store, "ferry")
    assert report.removed == ["ferry"] and report.chunks_removed == len(ferry_chunks)
    docs, chunks, sentences, bm25 = _indexed(desk)
    assert docs == {"bridge"}
    assert not chunks & ferry_chunks and not sentences & ferry_sentences and not bm25 & ferry_chunks
    assert chunks == bm25 == {c.chunk_id for c in desk.store.catalog.articles["bridge"].chunks}
    hits = desk.retrieve("ferry crossings tickets director Lena Varga", k=5).hits
    assert hits and {h.doc_id for h in hits} == {"bridge"}


def test_removing_an_unknown_id_changes_nothing(desk: Assistant, tmp_path: Path) -> None:
    _write(tmp_path / "articles" / "bridge.md", BRIDGE)
    desk.ingest(tmp_path / "articles")
    before = _indexed(desk), desk.store.catalog.generation
    with pytest.raises(UnknownDocId, match="no article with doc_id 'brige' is indexed"):
        remove_article(desk.store, "brige")
    assert (_indexed(desk), desk.store.catalog.generation) == before


def test_remove_is_refused_while_another_writer_holds_the_store(desk: Assistant, tmp_path: Path) -> None:
    from index.catalog import StoreBusy

    _write(tmp_path / "articles" / "bridge.md", BRIDGE)
    desk.ingest(tmp_path / "articles")
    with desk.store.lock(), pytest.raises(StoreBusy, match="store in use"):
        remove_article(desk.store, "bridge")
    assert set(desk.store.catalog.articles) == {"bridge"}


def test_the_upload_box_reports_files_that_are_not_articles_as_skipped(desk: Assistant, tmp_path: Path) -> None:
    from gradio.data_classes import FileData, ListFiles

    from qa.chat_page import ChatPage
    from qa.ui import build_ui

    article = _write(tmp_path / "picked" / "bridge.md", BRIDGE)
    minutes = tmp_path / "picked" / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.7\n")
    # The upload control passes every picked file on, rather than failing the whole batch for one .pdf ...
    blocks = build_ui(desk, True, tmp_path / "no-examples.txt")
    [control] = [b for b in blocks.blocks.values() if getattr(b, "elem_id", None) == "upload"]
    picked = control.preprocess(ListFiles(root=[FileData(path=str(article)), FileData(path=str(minutes))]))
    assert [Path(p).name for p in picked] == ["bridge.md", "minutes.pdf"]
    # ... and the upload box says which were skipped and why.
    message, _ = ChatPage(desk, allow_upload=True).upload([str(p) for p in picked])
    assert "added: bridge" in message and "skipped minutes.pdf: not an article file (.pdf); qa reads" in message
