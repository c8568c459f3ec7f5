"""The read stage: windows of whole sentences around the retrieved passages, read by the reader.

Each of the top passages becomes a window (its sentences, plus the sentence before and after
when they fit), the reader scores every window in one batch, and each window's best span comes
back in article offsets with the sentences that hold it. Spans rank by the reader's margin
over "no answer", less a small prior for a lower retrieval rank. It leaves out what the answer
says (`qa.compose_reader`) and how passages were found (`qa.retrieval`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from index.catalog import Catalog, StoredArticle
from index.types import Sentence
from qa.article_types import Hit
from qa.reader import Reader

WINDOW_CHARS = 640  # about 150 WordPiece tokens: five windows read in about 100 ms on two cores


@dataclass(frozen=True)
class Window:
    """Whole sentences of one article, `article.clean.text[start:end]`, read as one passage."""

    article: StoredArticle
    sentences: tuple[Sentence, ...]
    rank: int

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end

    @property
    def text(self) -> str:
        return self.article.clean.text[self.start : self.end]


@dataclass(frozen=True)
class ReadSpan:
    """The reader's best span in one window, in article offsets, and the sentences holding it."""

    window: Window
    start: int
    end: int
    margin: float
    score: float  # the margin less the retrieval-rank prior: what spans are ranked by
    sentences: tuple[Sentence, ...]

    @property
    def article(self) -> StoredArticle:
        return self.window.article

    @property
    def text(self) -> str:
        return self.article.clean.text[self.start : self.end]


def windows(hits: list[Hit], catalog: Catalog, limit: int) -> list[Window]:
    """One window per passage of the top `limit` hits, each grown by a sentence on either side while
    it stays under `WINDOW_CHARS`; a window already inside an earlier one is dropped."""
    found: list[Window] = []
    for rank, hit in enumerate(hits[:limit]):
        article = catalog.articles.get(hit.doc_id)
        if article is None:
            continue
        inside = [i for i, s in enumerate(article.sentences) if s.end > hit.start and s.start < hit.end]
        if not inside:
            continue
        first, last = grow(article.sentences, inside[0], inside[-1], WINDOW_CHARS)
        window = Window(article, tuple(article.sentences[first : last + 1]), rank)
        if not any(w.article is article and w.start <= window.start and window.end <= w.end for w in found):
            found.append(window)
    return found


class Bounded(Protocol):
    """A stretch of an article's text: a sentence, or a paragraph."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def grow(pieces: Sequence[Bounded], first: int, last: int, limit: int) -> tuple[int, int]:
    """`pieces[first..last]` grown by the piece before, then the one after, while it spans at most `limit`
    characters. Example: pieces of 10 characters each, (1, 1) with limit 30 -> (0, 2); limit 15 -> (1, 1)."""
    for step in (-1, 1):
        at = first + step if step < 0 else last + step
        if 0 <= at < len(pieces):
            lo, hi = (at, last) if step < 0 else (first, at)
            if pieces[hi].end - pieces[lo].start <= limit:
                first, last = lo, hi
    return first, last


def read(reader: Reader, question: str, found: list[Window], rank_prior: float) -> list[ReadSpan]:
    """Every window's best span, best first (by margin less `rank_prior` * log2(1 + rank))."""
    scored = reader.read(question, [w.text for w in found])
    spans = []
    for window, span in zip(found, scored, strict=True):
        start, end = window.start + span.start, window.start + span.end
        # A span running into the next sentence is cut at its first sentence's end: the quote holds it whole.
        holding = next((s for s in window.sentences if s.end > start), window.sentences[-1])
        start, end = max(start, holding.start), max(min(end, holding.end), max(start, holding.start))
        prior = rank_prior * math.log2(1 + window.rank)
        spans.append(ReadSpan(window, start, end, span.margin, span.margin - prior, (holding,)))
    return sorted(spans, key=lambda s: -s.score)
