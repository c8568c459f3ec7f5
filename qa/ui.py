"""The Gradio page: Chat, Timeline and Articles tabs over one `Assistant`.

Rendering is `qa.ui_html`'s (escaped, no live article HTML); this module wires state and
events: streaming an answer, new chat, thumbs up/down stored as JSON lines, uploads
(only when allowed). It leaves out the HTTP API, which `app.py` serves beside it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import gradio as gr

from index.catalog import StoreDamaged
from index.ingest import Rejection
from index.loader import SUPPORTED_SUFFIXES, unsupported_reason
from qa.assistant import Assistant
from qa.timeline_tab import build_timeline_tab
from qa.types import Answer, ArticleSummary, Turn
from qa.ui_html import articles_table, conversation, side_panel

CSS = (Path(__file__).with_name("ui.css")).read_text(encoding="utf-8")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


def collection_title(articles: list[ArticleSummary]) -> str:
    """What the collection is about, from its titles.

    Example: five articles whose titles name North Korea, Russia, Ukraine ->
    "North Korea · Russia · Ukraine: 5 articles, 2023–2025"
    """
    names = Counter(n for a in articles for n in _NAME.findall(a.title or "") if len(n) > 3)
    top = " · ".join(name for name, _ in names.most_common(3)) or "News articles"
    years = sorted({a.published.year for a in articles if a.published})
    span = f", {years[0]}–{years[-1]}" if len(years) > 1 else (f", {years[0]}" if years else "")
    return f"{top}: {len(articles)} articles{span}"


def example_questions(path: Path, articles: list[ArticleSummary]) -> list[str]:
    """The collection's example questions (one per line in `path`), else one per article title."""
    if path.is_file():
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if lines:
            return lines[:6]
    return [f"What does “{a.title}” report?" for a in articles[:3] if a.title]


class ChatPage:
    """Event handlers of the page, bound to one assistant."""

    def __init__(self, assistant: Assistant, allow_upload: bool) -> None:
        self.assistant = assistant
        self.allow_upload = allow_upload
        self.lookup = lru_cache(maxsize=256)(self._lookup)

    def _lookup(self, doc_id: str) -> tuple[str, bool]:
        article = self.assistant.article(doc_id)
        return article.text, article.date_inferred

    def ask(self, question: str, turns: list[Answer]) -> Iterator[tuple[str, str, list[Answer], str, str]]:
        history = [
            t for a in turns for t in (Turn(role="user", content=a.question), Turn(role="assistant", content=a.answer))
        ]
        try:
            answer = self.assistant.ask(question, history)
        except (ValueError, StoreDamaged) as error:  # StoreDamaged: half an index, said instead of answered
            error_html = f'<span class="error">{_escape(str(error))}</span>'
            yield conversation(turns, self.lookup), side_panel(turns, self.lookup), turns, question, error_html
            return
        words = answer.answer.split(" ")
        step = max(1, len(words) // 8)
        for end in range(step, len(words), step):  # the answer streams in, then gains its sources
            partial = answer.model_copy(update={"answer": " ".join(words[:end]) + " …", "citations": []})
            yield conversation([*turns, partial], self.lookup), side_panel(turns, self.lookup), turns, "", ""
        done = [*turns, answer]
        yield conversation(done, self.lookup), side_panel(done, self.lookup), done, "", ""

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
        self.lookup.cache_clear()
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


def build_ui(assistant: Assistant, allow_upload: bool, examples_file: Path) -> gr.Blocks:
    page = ChatPage(assistant, allow_upload)
    articles = assistant.articles()
    title = collection_title(articles)
    with gr.Blocks(title=title, analytics_enabled=False) as blocks:
        gr.HTML(f'<h1 class="app-title">{_escape(title)}</h1><p class="app-sub">Answers quote the articles; '
                "every [n] opens its source.</p>")  # fmt: skip
        turns = gr.State([])
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.HTML(conversation([], page.lookup), elem_id="conversation")
                with gr.Column(scale=2, min_width=280):
                    panel = gr.HTML(side_panel([], page.lookup), elem_id="source-panel")
            status = gr.HTML("", elem_id="status")
            with gr.Row():
                question = gr.Textbox(
                    placeholder="Ask about the articles…", show_label=False, scale=5, elem_id="question", max_lines=4
                )
                ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
            with gr.Row():
                up = gr.Button("▲ Helpful", size="sm", elem_id="thumbs-up")
                down = gr.Button("▼ Not helpful", size="sm", elem_id="thumbs-down")
                new = gr.Button("New chat", size="sm", elem_id="new-chat")
            gr.Examples(example_questions(examples_file, articles), inputs=question, label="Try")
        with gr.Tab("Timeline"):
            build_timeline_tab(assistant)
        with gr.Tab("Articles"):
            table = gr.HTML(articles_table(articles), elem_id="articles")
            if allow_upload:
                # No file_types: Gradio would fail the whole batch over one .pdf; `upload` says it skipped it.
                files = gr.File(label="Add articles (.md, .txt, .html)", file_count="multiple", elem_id="upload")
                result = gr.HTML("", elem_id="upload-result")
                files.upload(page.upload, inputs=files, outputs=[result, table])
        gr.api(page.answer_json, api_name="ask")
        outputs = [chat, panel, turns, question, status]
        ask.click(page.ask, inputs=[question, turns], outputs=outputs)
        question.submit(page.ask, inputs=[question, turns], outputs=outputs)
        new.click(lambda: (conversation([], page.lookup), side_panel([], page.lookup), [], "", ""), outputs=outputs)
        up.click(lambda t: page.feedback("thumbs up", t), inputs=turns, outputs=status)
        down.click(lambda t: page.feedback("thumbs down", t), inputs=turns, outputs=status)
    return blocks
