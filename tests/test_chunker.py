"""Chunking: spans that index the clean text, sizes checked against tiktoken itself."""

from itertools import pairwise

import pytest
import tiktoken

from index.chunker import chunk_text
from index.loader import load_article, read_manifest
from index.pipeline import ChunkSettings, process
from index.sentences import split_sentences
from index.tokens import bundled_cache_dir
from tests.conftest import SEED_CORPUS


def _reference_count(text: str) -> int:
    """Token count from tiktoken directly, not through index.tokens."""
    import os

    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(bundled_cache_dir()))
    return len(tiktoken.get_encoding("cl100k_base").encode(text))


def _seed_articles():  # type: ignore[no-untyped-def]
    manifest = read_manifest(SEED_CORPUS)
    for path in sorted(SEED_CORPUS.glob("*.txt")):
        yield load_article(path, manifest.get(path.name), 5_000_000)


@pytest.mark.parametrize(("size", "overlap"), [(96, 24), (64, 0), (200, 40), (512, 64)])
def test_seed_chunks_are_exact_spans_within_the_token_limit(size: int, overlap: int) -> None:
    for article in _seed_articles():
        stored = process(article, ChunkSettings(size_tokens=size, overlap_tokens=overlap))
        text = stored.clean.text
        for chunk in stored.chunks:
            assert chunk.text == text[chunk.start : chunk.end]
            assert chunk.token_count == _reference_count(chunk.text) <= size
            assert all(chunk.start <= s.start < s.end <= chunk.end for s in chunk.sentences)
        _assert_sentences_covered(text, stored.chunks, size)


def _assert_sentences_covered(text: str, chunks, size: int) -> None:  # type: ignore[no-untyped-def]
    """Every sentence's characters are in some chunk; a sentence that fits is whole in one."""
    covered = set().union(*(range(c.start, c.end) for c in chunks))
    for sentence in split_sentences(text):
        piece = text[sentence.start : sentence.end]
        assert all(i in covered for i in range(sentence.start, sentence.end) if not text[i].isspace()), piece
        if _reference_count(piece) <= size:
            assert any(c.start <= sentence.start and sentence.end <= c.end for c in chunks), piece


def test_consecutive_chunks_overlap_by_whole_sentences() -> None:
    text = " ".join(f"Sentence number {n} says something short." for n in range(40))
    chunks = chunk_text("d", text, split_sentences(text), size=40, overlap=12)
    assert len(chunks) > 3
    for first, second in pairwise(chunks):
        assert second.start < first.end  # overlap
        assert second.start in {s.start for s in first.sentences}


def test_a_sentence_longer_than_a_chunk_is_cut_at_word_boundaries() -> None:
    text = " ".join(["word"] * 300) + "."
    chunks = chunk_text("d", text, split_sentences(text), size=50, overlap=0)
    assert len(chunks) >= 6
    assert all(c.token_count <= 50 and not c.text.startswith(" ") for c in chunks)
    assert "".join(c.text for c in chunks).replace(" ", "") == text.replace(" ", "")


def test_chunk_ids_are_stable_and_depend_on_content() -> None:
    text = "One sentence here. Another sentence there."
    spans = split_sentences(text)
    first = [c.chunk_id for c in chunk_text("d", text, spans, 50, 10)]
    assert first == [c.chunk_id for c in chunk_text("d", text, spans, 50, 10)]
    assert first != [c.chunk_id for c in chunk_text("d", text, spans, 50, 10, context="new title")]


def test_overlap_must_be_smaller_than_size() -> None:
    with pytest.raises(ValueError, match=r"Got a larger chunk overlap \(300\) than chunk size \(256\)"):
        chunk_text("d", "Text.", split_sentences("Text."), size=256, overlap=300)
