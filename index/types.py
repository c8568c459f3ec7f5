"""The records that cross module borders in the indexing pipeline.

Plain pydantic models and named tuples; no behaviour beyond validation and offset mapping.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from typing import NamedTuple
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

DOC_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
WEB_SCHEMES = ("http", "https")


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) address, the only kind a reader can safely be sent to.

    Example: "https://example.com/a" -> True; "javascript:alert(1)" -> False; "/a" -> False
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


class Span(NamedTuple):
    """A half-open character range [start, end)."""

    start: int
    end: int


class ArticleMeta(BaseModel):
    """What is known about an article; empty where nothing is known."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(description="Stable identifier; letters, digits, '_', '.', '-'.")
    title: str | None = None
    publisher: str | None = None
    byline: str | None = None
    published: dt.date | None = Field(default=None, description="Publication date.")
    date_inferred: bool = Field(default=False, description="True when the date was worked out, not printed.")
    url: str | None = None
    language: str = "en"

    @field_validator("doc_id")
    @classmethod
    def _valid_doc_id(cls, value: str) -> str:
        if not DOC_ID_PATTERN.match(value):
            raise ValueError(f"doc_id {value!r} must be 1-128 letters, digits, '_', '.' or '-'")
        return value

    @field_validator("published", mode="before")
    @classmethod
    def _strict_date(cls, value: object) -> object:
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError(f"published {value!r} is not a date (expected YYYY-MM-DD)")
        return value


class Segment(NamedTuple):
    """A piece of clean text copied verbatim from the original at `original_start`."""

    clean_start: int
    original_start: int
    length: int


class CleanText(BaseModel):
    """Article text with page furniture removed, mapped back to the original."""

    text: str
    segments: list[Segment]
    dropped: list[str] = Field(default_factory=list, description="Lines judged furniture.")

    def to_original(self, offset: int) -> int:
        """Map an offset in `text` to the offset of the same character in the original."""
        starts = [segment.clean_start for segment in self.segments]
        segment = self.segments[max(bisect_right(starts, offset) - 1, 0)]
        return segment.original_start + min(offset - segment.clean_start, segment.length)


class Chunk(BaseModel):
    """A retrievable unit: a span of the clean text and the sentences inside it."""

    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str
    token_count: int
    sentences: list[Span]


class Sentence(BaseModel):
    """A sentence of the clean text, stored with its own embedding for answer selection."""

    sentence_id: str
    doc_id: str
    start: int
    end: int
    text: str


class Article(BaseModel):
    """A loaded article: its metadata, original text and where it came from."""

    meta: ArticleMeta
    original: str
    body_start: int = Field(default=0, description="Where the body begins (after front matter).")
    source: str = Field(description="The file it was read from.")
    content_hash: str
