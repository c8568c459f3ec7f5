"""What the store hands out: retrieved chunks (`Hit`, `Retrieval`), the article catalog
(`ArticleSummary`, `ArticleView`), the store's `Health`, and `WebUrl`, the url type that lets only
http(s) addresses leave the API.

It leaves out the request (`qa.request_types`) and the answer built from these chunks
(`qa.answer_types`). How chunks are found and articles read is `qa.retrieval`'s and `qa.archive`'s work;
here are only the shapes, whose JSON is the contract in ARCHITECTURE.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, field_serializer

from index.types import is_web_url


class Hit(BaseModel):
    doc_id: str
    chunk_id: str
    score: float = Field(description="Reciprocal-rank-fusion score (re-scored for the head); higher is better.")
    text: str = Field(description="The chunk: article text[start:end].")
    start: int
    end: int
    title: str | None
    published: dt.date | None

    @field_serializer("score")
    def _rounded(self, score: float) -> float:
        """Six decimals out; in memory the stages keep every digit, so re-ranking reads exact scores."""
        return round(score, 6)


class Retrieval(BaseModel):
    question: str
    hits: list[Hit]


def _web_only(url: str | None) -> str | None:
    """Blank any url but http(s): a `javascript:` link must not leave the API, even from an older store.

    Example: "javascript:alert(1)" -> None; "https://example.com/a" -> "https://example.com/a"
    """
    return url if url is not None and is_web_url(url) else None


WebUrl = Annotated[str | None, AfterValidator(_web_only)]


class ArticleSummary(BaseModel):
    doc_id: str
    title: str | None
    publisher: str | None
    byline: str | None
    published: dt.date | None
    date_inferred: bool
    url: WebUrl = Field(description="The article's http(s) address; null if none or any other scheme.")
    language: str
    chunks: int = Field(description="How many chunks the article has in the index.")


class ArticleView(ArticleSummary):
    source: str = Field(description="The file the article was ingested from.")
    text: str = Field(description="The cleaned article text that all offsets index.")


class Health(BaseModel):
    """What `GET /api/health` reports."""

    index_loaded: bool = Field(description="The index exists and is whole: catalog, Chroma and BM25 agree.")
    articles: int
    chunks: int
    encoder_verified: bool
    problems: list[str] = Field(
        default_factory=list, description="What is wrong with the store, in plain words (as `qa doctor` says it)."
    )
