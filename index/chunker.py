"""Sentence-aware chunks sized in cl100k_base tokens, with overlap.

Sentences are packed greedily into a chunk while the chunk's own text (a slice of the clean
text, so the white space between sentences counts too) stays within `size` tokens. The next
chunk starts with the last sentences of the previous one, up to `overlap` tokens. A sentence
longer than `size` is cut at word boundaries into pieces that fit, and a word longer than
`size` (a URL, a blob of symbols) is cut inside. Chunk ids are stable: a hash of doc_id,
span and text, so unchanged text keeps its id across ingests.
"""

from __future__ import annotations

import hashlib
import re

from index.tokens import count_tokens
from index.types import Chunk, Span


def chunk_id(doc_id: str, span: Span, text: str, context: str = "") -> str:
    """Stable id of a span of an article, and of the context embedded with it.

    Example: ("a", Span(0, 5), "Hello") -> "a:" + 16 hex digits, the same on every run.
    """
    digest = hashlib.sha256(f"{doc_id}\x00{span.start}\x00{span.end}\x00{context}\x00{text}".encode())
    return f"{doc_id}:{digest.hexdigest()[:16]}"


# The longest cl100k_base token is 128 bytes: a text of more characters than 128 * size cannot fit.
_MAX_TOKEN_CHARS = 128


def _fits(text: str, start: int, end: int, size: int) -> bool:
    """Whether `text[start:end]` is at most `size` tokens, without tokenising what obviously is not."""
    return end - start <= size * _MAX_TOKEN_CHARS and count_tokens(text[start:end]) <= size


def _fit_sentence(text: str, span: Span, size: int) -> list[Span]:
    """Cut an over-long sentence at word boundaries into spans of at most `size` tokens.

    A word that alone exceeds `size` (a URL, a run of symbols) is cut inside, as often as it takes.
    """
    pieces, start = [], span.start
    last_fit = None
    for word_end in (span.start + m.end() for m in re.finditer(r"\S+", text[span.start : span.end])):
        while not _fits(text, start, word_end, size):
            cut = last_fit if last_fit is not None else _hard_cut(text, start, word_end, size)
            pieces.append(Span(start, cut))
            start, last_fit = _next_start(text, cut), None
        last_fit = word_end
    if start < span.end:
        pieces.append(Span(start, span.end))
    return pieces


def _hard_cut(text: str, start: int, end: int, size: int) -> int:
    """Where to cut `text[start:end]`, one word too long to fit: the end of its longest prefix that fits.

    Gallops then bisects, so cutting a long word costs about its own length in tokenising.
    Example: (200 "x", 0, 200, 17) -> 136 ("xxxxxxxx" is one token).
    """
    fits, step = start + 1, size
    while start + step < end and _fits(text, start, start + step, size):
        fits, step = start + step, step * 2
    too_long = min(start + step, end)
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        fits, too_long = (middle, too_long) if _fits(text, start, middle, size) else (fits, middle)
    return fits


def _next_start(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _units(text: str, sentences: list[Span], size: int) -> list[Span]:
    units: list[Span] = []
    for span in sentences:
        units.extend([span] if _fits(text, span.start, span.end, size) else _fit_sentence(text, span, size))
    return units


def chunk_text(
    doc_id: str, text: str, sentences: list[Span], size: int, overlap: int, context: str = ""
) -> list[Chunk]:
    """Pack sentence spans of `text` into chunks; every sentence lands in at least one."""
    if overlap >= size:
        raise ValueError(f"Got a larger chunk overlap ({overlap}) than chunk size ({size}), should be smaller.")
    units = _units(text, sentences, size)
    chunks: list[Chunk] = []
    first = 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and count_tokens(text[units[first].start : units[last + 1].end]) <= size:
            last += 1
        chunks.append(_make_chunk(doc_id, text, units[first : last + 1], context))
        if last + 1 >= len(units):
            break
        first = _overlap_start(text, units, first, last, overlap)
    return chunks


def _overlap_start(text: str, units: list[Span], first: int, last: int, overlap: int) -> int:
    """Index of the first unit of the next chunk: repeat the tail of this one within `overlap`."""
    start = last + 1
    while start - 1 > first and count_tokens(text[units[start - 1].start : units[last].end]) <= overlap:
        start -= 1
    return start


def _make_chunk(doc_id: str, text: str, units: list[Span], context: str) -> Chunk:
    span = Span(units[0].start, units[-1].end)
    body = text[span.start : span.end]
    return Chunk(
        chunk_id=chunk_id(doc_id, span, body, context),
        doc_id=doc_id,
        start=span.start,
        end=span.end,
        text=body,
        token_count=count_tokens(body),
        sentences=list(units),
    )
