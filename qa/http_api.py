"""The HTTP routes over one `Assistant`: the JSON API under /api and the article reader at /read.

`add_routes(app, assistant)` registers them on a FastAPI app in the order the OpenAPI schema lists
them; the endpoints' names are the schema's operation ids. Request bodies are strict pydantic models
(`AskBody`, `RetrieveBody`): an unknown field or a JSON `true` for `k` is a 422, not a guess.

It leaves out building the app (`app.py`: the Gradio chat, the exception handlers that turn errors
into a one-line 4xx or 503, the start-up checks), the body-size limits (`qa.request_limits`), the
answering itself (`qa.assistant`) and the reader page's HTML (`qa.article_html`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from qa.answer_types import Answer, TimelineEvent
from qa.article_html import date_label, reader_page
from qa.article_types import ArticleSummary, ArticleView, Health, Retrieval
from qa.assistant import Assistant
from qa.request_types import Filters, Turn


class AskBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=10_000)
    history: list[Turn] = Field(default_factory=list, max_length=50)
    filters: Filters | None = None


class RetrieveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=10_000)
    k: StrictInt = Field(default=5, ge=1, le=100)  # JSON true is not 1
    filters: Filters | None = None


def add_routes(app: FastAPI, assistant: Assistant) -> None:
    """The JSON API under /api and the article reader at /read, registered in the order the schema lists them."""
    _ask_route(app, assistant)
    _retrieve_routes(app, assistant)
    _collection_routes(app, assistant)
    _reader_route(app, assistant)


def _ask_route(app: FastAPI, assistant: Assistant) -> None:
    @app.post("/api/ask", response_model=Answer)
    def ask(body: AskBody) -> Answer:
        return assistant.ask(body.question, body.history, body.filters)


def _retrieve_routes(app: FastAPI, assistant: Assistant) -> None:
    """Ranked passages for a question, by GET (filters as query parameters) or by POST."""

    @app.get("/api/retrieve", response_model=Retrieval)
    def retrieve_get(
        question: Annotated[str, Query(max_length=10_000)],
        k: Annotated[int, Query(ge=1, le=100)] = 5,
        doc_id: Annotated[list[str] | None, Query()] = None,
        publisher: Annotated[list[str] | None, Query()] = None,
        after: dt.date | None = None,
        before: dt.date | None = None,
    ) -> Retrieval:
        filters = Filters(doc_ids=doc_id, publishers=publisher, published_after=after, published_before=before)
        return assistant.retrieve(question, k, filters)

    @app.post("/api/retrieve", response_model=Retrieval)
    def retrieve_post(body: RetrieveBody) -> Retrieval:
        return assistant.retrieve(body.question, body.k, body.filters)


def _collection_routes(app: FastAPI, assistant: Assistant) -> None:
    """What the store holds: the articles, one article, the timeline of events, and the store's health."""

    @app.get("/api/articles", response_model=list[ArticleSummary])
    def articles() -> list[ArticleSummary]:
        return assistant.articles()

    @app.get("/api/articles/{doc_id}", response_model=ArticleView)
    def article(doc_id: str) -> ArticleView:
        return assistant.article(doc_id)

    @app.get("/api/timeline", response_model=list[TimelineEvent])
    def timeline(
        topic: Annotated[str | None, Query(max_length=2000)] = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
    ) -> list[TimelineEvent]:
        return assistant.timeline(topic, actor)

    @app.get("/api/health", response_model=Health)
    def health() -> Health:
        return assistant.health()


def _reader_route(app: FastAPI, assistant: Assistant) -> None:
    """A whole article as a page, the cited span (`start`, `end`) marked; left out of the API's schema."""

    @app.get("/read/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def read(doc_id: str, start: int | None = None, end: int | None = None) -> str:
        a = assistant.article(doc_id)
        meta_line = f"{a.publisher or 'unknown publisher'} · {date_label(a.published, a.date_inferred)}"
        return reader_page(a.title or a.doc_id, meta_line, a.text, start, end)
