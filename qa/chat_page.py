"""What the chat page does, bound to one `Assistant`: its event handlers and the HTML they return.

An answer is shown in its real stages (the question and "Searching N articles…" at once, the answer
when it is composed); a new chat; thumbs up/down stored as JSON lines; uploads (only when allowed);
and the collection's own title, examples and article list, redrawn whenever the store has changed.
It leaves out the page's layout and which event calls which handler (`qa.ui`), the HTML itself
(`qa.chat_html`, `qa.article_html`) and the HTTP API, which `app.py` serves beside it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from index.catalog import StoreDamaged
from index.ingest import Rejection
from index.loader import SUPPORTED_SUFFIXES, unsupported_reason
from qa.answer_types import Answer
from qa.article_html import articles_table
from qa.assistant import Assistant
from qa.chat_html import conversation, page_header, side_panel
from qa.collection import CollectionView, describe
from qa.request_types import Turn
from qa.timeline_tab import TimelineTab

ChatUpdate = tuple[str, Any, list[Answer], str, str]  # conversation, side panel, turns, question box, status


class ChatPage:
    """Event handlers of the page, bound to one assistant."""

    def __init__(self, assistant: Assistant, allow_upload: bool, examples_file: Path | None = None) -> None:
        self.assistant = assistant
        self.allow_upload = allow_upload
        self.examples_file = examples_file

    def lookup(self, doc_id: str) -> tuple[str, bool]:
        """An article's text and whether its date is inferred, as the store holds it now."""
        article = self.assistant.article(doc_id)
        return article.text, article.date_inferred

    def collection(self) -> CollectionView:
        """Title, empty-state line and examples of the collection, made once per catalog."""
        with self.assistant.reading() as store:
            return store.derived(
                "page.collection", lambda catalog: describe(list(catalog.articles.values()), self.examples_file)
            )

    def generation(self) -> int:
        with self.assistant.reading() as store:
            return store.catalog.generation

    def ask(self, question: str, turns: list[Answer]) -> Iterator[ChatUpdate]:
        """The question with the stage it is at, then its answer when composed (never a re-sliced answer)."""
        blurb = self.collection().blurb
        if not question.strip():
            yield conversation(turns, self.lookup, blurb), gr.skip(), turns, question, _error("the question is empty")
            return
        searching = f"Searching {len(self.assistant.articles())} articles…"
        yield conversation(turns, self.lookup, blurb, pending=(question, searching)), gr.skip(), turns, "", ""
        history = [
            t for a in turns for t in (Turn(role="user", content=a.question), Turn(role="assistant", content=a.answer))
        ]
        try:
            with self.assistant.reading():  # the answer and the articles it is shown with: one generation
                answer = self.assistant.ask(question, history)
                done = [*turns, answer]
                shown = conversation(done, self.lookup, blurb), side_panel(done, self.lookup, self.assistant.articles())
        except (ValueError, StoreDamaged) as error:  # StoreDamaged: half an index, said instead of answered
            yield conversation(turns, self.lookup, blurb), gr.skip(), turns, question, _error(str(error))
            return
        yield *shown, done, "", ""

    def new_chat(self) -> ChatUpdate:
        return conversation([], self.lookup, self.collection().blurb), self.panel([]), [], "", ""

    def panel(self, turns: list[Answer]) -> str:
        with self.assistant.reading():
            return side_panel(turns, self.lookup, self.assistant.articles())

    def views(self, timeline: TimelineTab, turns: list[Answer], shown: int | None) -> tuple[Any, ...]:
        """Everything drawn from the collection (header, empty chat, panel, timeline and its actors,
        articles, examples, generation), redrawn together when the store changed since `shown`."""
        with self.assistant.reading():
            generation = self.generation()
            if generation == shown:
                return (gr.skip(),) * 8
            view = self.collection()
            chat = gr.skip() if turns else conversation([], self.lookup, view.blurb)
            return (page_header(view.title), chat, self.panel(turns), *timeline.refresh(),
                    articles_table(self.assistant.articles()), gr.Dataset(samples=[[q] for q in view.examples]),
                    generation)  # fmt: skip

    def answer_json(self, question: str) -> dict[str, object]:
        """The same answer as POST /api/ask, for Gradio API clients."""
        return self.assistant.ask(question).model_dump(mode="json")

    def feedback(self, rating: str, turns: list[Answer]) -> str:
        if not turns:
            return "Ask something first."
        last = turns[-1]
        record = {"time": dt.datetime.now(dt.UTC).isoformat(), "rating": rating, **last.model_dump(mode="json")}
        path = self.assistant.settings.data_dir / "feedback.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return f"Thanks, your {rating} was recorded."

    def upload(self, files: list[str] | None) -> tuple[str, str]:
        if not self.allow_upload:
            return "Uploading is turned off here (QA_ALLOW_UPLOAD).", articles_table(self.assistant.articles())
        folder = self.assistant.settings.data_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        refused = []
        for name in files or []:
            source = Path(name)
            if source.suffix.lower() not in SUPPORTED_SUFFIXES:
                refused.append(f"skipped {source.name}: {unsupported_reason(source)}")
                continue
            shutil.copyfile(source, folder / re.sub(r"[^A-Za-z0-9_.-]+", "-", source.name))
        try:
            report = self.assistant.ingest(folder)
        except (ValueError, RuntimeError) as error:
            return _escape(str(error)), articles_table(self.assistant.articles())
        _discard_rejected(report.rejected, folder)
        lines = [f"added: {', '.join(report.added) or '-'}", f"updated: {', '.join(report.updated) or '-'}"]
        lines += refused + [f"rejected {Path(r.path).name}: {r.reason}" for r in report.rejected]
        return _escape("\n".join(lines)), articles_table(self.assistant.articles())


def _discard_rejected(rejected: list[Rejection], folder: Path) -> None:
    """Delete the uploads the ingest refused, so they are not kept and reported on every later upload."""
    for rejection in rejected:
        path = Path(rejection.path)
        if path.resolve().parent == folder.resolve():
            path.unlink(missing_ok=True)


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _error(text: str) -> str:
    return f'<span class="error">{_escape(text)}</span>'
