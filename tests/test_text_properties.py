"""Properties of the text stages on arbitrary input: loader, cleaner, sentence splitter, chunker.

Hypothesis feeds them text no article author would write: mixed scripts, control characters,
very long lines and words, blank and binary files. Whatever comes in, each stage either
refuses it with a one-line `LoadError` or gives spans that index its text exactly: the clean
text is made of verbatim slices of the original, every sentence and chunk is a slice of the
clean text (so a quote at a citation's offsets is verbatim), and no chunk exceeds its token
budget, counted by tiktoken itself. Examples are few and small, so the file runs in seconds.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import tiktoken
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from index.chunker import chunk_text
from index.clean import clean
from index.loader import LoadError, load_article
from index.pipeline import ChunkSettings, process
from index.sentences import split_sentences
from index.tokens import bundled_cache_dir
from index.types import Chunk, CleanText, Span

# The autouse fixture only points QA_* variables at tmp_path; it holds no state between examples.
QUICK = settings(
    max_examples=60,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Letters of several scripts, marks, spaces and punctuation that the splitter and cleaner react to.
_ALPHABET = (
    "abcXYZ019 .,!?:;'\"-()[]#*•“”’«»—"
    "АБВабвЖж"  # Cyrillic, some of them Latin look-alikes
    "ΑΒΓαβγ"  # Greek
    "مرحبا"  # Arabic, right to left
    "漢字かなカナ한국어"  # CJK and Hangul
    "é\u0301\u0308"  # precomposed and combining accents
    "\u00a0\u200b\u200d\u200e\u202e\ufeff"  # no-break and zero-width spaces, direction marks, BOM
    "\t\r\x0b\x0c\x1c\x85\u2028\u2029"  # controls and separators Python counts as line breaks
    "\x00\x07\x1b\x7f"  # other controls
    "🙂👍🏽"  # astral characters, a skin-tone modifier
)
WORDS = st.sampled_from(
    ["The", "council", "said", "on", "Oct.", "22", "U.S.", "Photo", "by", "Share", "Москва", "東京", "—", "“Yes.”"]
)
_SENTENCE = st.lists(WORDS, min_size=1, max_size=20).map(lambda ws: " ".join(ws) + ".")
_LINE = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=80),
    st.lists(_SENTENCE, max_size=6).map(" ".join),
    # very long lines: a word or a phrase repeated, with or without spaces
    st.tuples(st.text(alphabet=_ALPHABET, min_size=1, max_size=8), st.integers(50, 600)).map(lambda p: p[0] * p[1]),
)
ARTICLE_TEXT = st.one_of(
    st.text(max_size=300),  # any code points but surrogates
    st.lists(_LINE, max_size=12).map("\n".join),
)


def _reference_tokens(text: str) -> int:
    """Token count from tiktoken directly, not through index.tokens."""
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(bundled_cache_dir()))
    return len(tiktoken.get_encoding("cl100k_base").encode(text, disallowed_special=()))


def _assert_clean_maps_back(original: str, body_start: int, cleaned: CleanText) -> None:
    """The clean text is verbatim, non-empty slices of the body, in order, joined by blank lines."""
    expected, previous_end = [], body_start
    for segment in cleaned.segments:
        piece = cleaned.text[segment.clean_start : segment.clean_start + segment.length]
        assert segment.length > 0
        assert segment.original_start >= previous_end
        assert original[segment.original_start : segment.original_start + segment.length] == piece
        assert piece == piece.strip()
        assert all(original[cleaned.to_original(segment.clean_start + i)] == char for i, char in enumerate(piece))
        expected.append(piece)
        previous_end = segment.original_start + segment.length
    assert cleaned.text == "\n\n".join(expected)


def _assert_sentences_index(text: str, spans: list[Span]) -> None:
    """Sentences are ordered, stripped, within one line, and cover every visible character."""
    previous_end = 0
    for start, end in spans:
        piece = text[start:end]
        assert previous_end <= start < end <= len(text)
        assert piece == piece.strip() and "\n" not in piece
        previous_end = end
    covered = {i for start, end in spans for i in range(start, end)}
    assert all(i in covered for i, char in enumerate(text) if not char.isspace())


def _assert_chunks_index(text: str, spans: list[Span], chunks: list[Chunk], size: int) -> None:
    """Chunks are exact slices within the budget; every sentence is covered, whole when it fits."""
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end] == chunk.text.strip()
        assert chunk.token_count == _reference_tokens(chunk.text) <= size
        assert all(chunk.start <= s.start < s.end <= chunk.end for s in chunk.sentences)
    assert [c.start for c in chunks] == sorted({c.start for c in chunks})
    covered = {i for chunk in chunks for i in range(chunk.start, chunk.end)}
    for start, end in spans:
        assert all(i in covered for i in range(start, end) if not text[i].isspace())
        if _reference_tokens(text[start:end]) <= size:
            assert any(c.start <= start and end <= c.end for c in chunks)


@QUICK
@given(text=ARTICLE_TEXT, data=st.data())
@example(  # a line that is nothing but a photo credit left an empty paragraph behind
    text="Officials said the council approved the budget on Tuesday after a long debate.\n"
    "Photo by Jo Lee for the agency at the scene in the city today\nThe vote was close.",
    data=None,
)
def test_clean_text_is_verbatim_slices_of_the_original(text: str, data: st.DataObject | None) -> None:
    body_start = data.draw(st.integers(0, len(text)), label="body_start") if data else 0
    title = data.draw(st.none() | st.text(max_size=30), label="title") if data else None
    cleaned = clean(text, body_start, title)
    _assert_clean_maps_back(text, body_start, cleaned)
    assert clean(text, body_start, title) == cleaned


@QUICK
@given(text=ARTICLE_TEXT)
def test_sentences_are_stripped_spans_covering_the_text(text: str) -> None:
    _assert_sentences_index(text, split_sentences(text))


@QUICK
@given(text=ARTICLE_TEXT, size=st.integers(17, 128), data=st.data())
@example(text="x" * 2000, size=32, data=None)  # one long word: only its first piece was cut to size
@example(text="A " + "ab9" * 400 + " word. Next sentence here.", size=20, data=None)
def test_chunks_are_exact_spans_within_the_token_budget(text: str, size: int, data: st.DataObject | None) -> None:
    overlap = data.draw(st.integers(0, size - 1), label="overlap") if data else size // 4
    spans = split_sentences(text)
    chunks = chunk_text("doc", text, spans, size, overlap, context="A title")
    _assert_chunks_index(text, spans, chunks, size)
    assert [c.chunk_id for c in chunk_text("doc", text, spans, size, overlap, context="A title")] == [
        c.chunk_id for c in chunks
    ]


FILE_NAMES = st.sampled_from(["a.txt", "a.md", "a.html"])
# Pieces of markup, well-formed or not, shuffled with text: what a scraped page may hold.
_MARKUP = st.sampled_from(
    ["<p>", "</p>", "<br/>", "<div class='x'>", "<script>", "</script>", "<style>", "<nav>", "</nav>", "<title>",
     "</title>", "<!-- ", " -->", "<![CDATA[", "]]>", "<![if IE]>", "<![endif]>", "<![", "]>", "<!DOCTYPE html>",
     "<!", "<?xml ?>", "&amp;", "&#0;", "&#x110000;", "&nbsp;", "<a href=\"javascript:x\">", "</a>", "<", ">",
     '<meta property="og:url" content="https://example.org/a">', '<html lang="ru-RU">']
)  # fmt: skip
HTML_PAGE = st.lists(st.one_of(_MARKUP, _LINE), max_size=20).map("".join)
# Front matter: known fields (and a misspelt one) with good, bad and arbitrary values.
_FIELD = st.tuples(
    st.sampled_from(["title", "published", "url", "doc_id", "publisher", "language", "date_inferred", "titel"]),
    st.sampled_from(["2024-05-01", "2024-13-45", "yesterday", "https://example.org/a", "javascript:x", "[1, 2]",
                     "{a: b}", "null", "true", "'../x'", "2024-05-01 10:00:00"]) | st.text(max_size=20),
)  # fmt: skip
FRONT_MATTER = st.lists(_FIELD, max_size=5).map(lambda fields: "\n".join(f"{k}: {v}" for k, v in fields))
FILE_BYTES = st.one_of(
    st.binary(max_size=400),  # binary, empty, invalid UTF-8
    ARTICLE_TEXT.map(lambda t: t.encode("utf-8")),
    st.tuples(FRONT_MATTER | st.text(max_size=80), ARTICLE_TEXT).map(lambda p: f"---\n{p[0]}\n---\n{p[1]}".encode()),
    HTML_PAGE.map(str.encode),
)


@QUICK
@given(name=FILE_NAMES, content=FILE_BYTES)
@example(name="a.txt", content=b"")
@example(name="a.md", content=b"\xef\xbb\xbf \n\t\n")
@example(name="a.html", content=b"<script>x</script>")
@example(name="a.txt", content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
@example(name="a.md", content=b"---\n[[[[\n---\nBody text.")
@example(name="a.html", content=b"<p>Body text.</p><![x]>")  # AssertionErrors from the standard parser
@example(name="a.html", content=b"<p>Body text.</p><![ x")
def test_any_file_loads_and_indexes_or_is_refused_in_one_line(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            article = load_article(path, None, max_bytes=5_000_000)
            stored = process(article, ChunkSettings(size_tokens=48, overlap_tokens=8))
        except LoadError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error)
            return
    assert 0 <= article.body_start <= len(article.original)
    if not name.endswith(".html"):  # an HTML article's text is what the page shows
        assert article.original == content.decode("utf-8-sig")
    text = stored.clean.text
    _assert_clean_maps_back(article.original, article.body_start, stored.clean)
    _assert_chunks_index(text, [Span(s.start, s.end) for s in stored.sentences], stored.chunks, 48)
    for sentence in stored.sentences:  # a citation's quote: verbatim at its offsets, here and in the file
        assert sentence.text == text[sentence.start : sentence.end]
        at = stored.clean.to_original(sentence.start)
        assert article.original[at : at + len(sentence.text)] == sentence.text
