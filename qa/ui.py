"""The Gradio page: Chat, Timeline and Articles tabs over one `Assistant`, laid out and wired.

This module places the components and says which event calls which handler, and redraws what
comes from the collection after each event. The handlers are `qa.chat_page`'s, the rendering
`qa.chat_html`'s and `qa.article_html`'s (escaped, no live article HTML) and the page's behaviour in
the browser `ui.js`'s. It leaves out the HTTP API, which `app.py` serves beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import gradio as gr
from gradio.components import Component
from gradio.events import Dependency

from qa.article_html import articles_table
from qa.assistant import Assistant
from qa.chat_html import conversation, page_header
from qa.chat_page import ChatPage
from qa.collection import CollectionView
from qa.timeline_tab import TimelineTab, build_timeline_tab

CSS = (Path(__file__).with_name("ui.css")).read_text(encoding="utf-8")
SCRIPT = (Path(__file__).with_name("ui.js")).read_text(encoding="utf-8")


@dataclass
class ChatTab:
    """The Chat tab's parts that events read or write."""

    chat: gr.HTML
    status: gr.HTML
    question: gr.Textbox
    ask: gr.Button
    up: gr.Button
    down: gr.Button
    new: gr.Button
    examples: gr.Dataset
    panel: gr.HTML


@dataclass
class ArticlesTab:
    """The Articles tab's table and, when uploads are allowed, the file picker and what it did."""

    table: gr.HTML
    files: gr.File | None = None
    result: gr.HTML | None = None


@dataclass
class Layout:
    """The laid-out page: the parts its events read or write, and its state (`turns`, `shown`)."""

    header: gr.HTML
    turns: gr.State
    shown: gr.State  # the catalog generation the collection's views were drawn from
    chat: ChatTab
    timeline: TimelineTab
    articles: ArticlesTab

    def answer_to(self) -> list[Component]:
        """Where an answer goes, in the order `ChatPage.ask` and `ChatPage.new_chat` return it."""
        return [self.chat.chat, self.chat.panel, self.turns, self.chat.question, self.chat.status]

    def views(self) -> list[Component]:
        """What comes from the collection, in the order `ChatPage.views` returns it."""
        return [self.header, self.chat.chat, self.chat.panel, self.timeline.view, self.timeline.actor,
                self.articles.table, self.chat.examples, self.shown]  # fmt: skip


def build_ui(assistant: Assistant, allow_upload: bool, examples_file: Path | None) -> gr.Blocks:
    page = ChatPage(assistant, allow_upload, examples_file)
    view = page.collection()
    with gr.Blocks(title=view.title, analytics_enabled=False) as blocks:
        header = gr.HTML(page_header(view.title), elem_id="header")
        turns = gr.State([])
        shown = gr.State(page.generation())
        with gr.Tab("Chat"):
            chat = _chat_tab(page, view)
        with gr.Tab("Timeline"):
            timeline = build_timeline_tab(assistant)
        with gr.Tab("Articles"):
            articles = _articles_tab(assistant, allow_upload)
        gr.api(page.answer_json, api_name="ask")
        _wire(blocks, page, Layout(header, turns, shown, chat, timeline, articles))
    return blocks


def _chat_tab(page: ChatPage, view: CollectionView) -> ChatTab:
    """The conversation, the composer, the feedback buttons and the examples, beside the sources panel."""
    with gr.Row(elem_id="chat-layout"):
        with gr.Column(scale=3, elem_id="chat-main"):
            chat = gr.HTML(conversation([], page.lookup, view.blurb), elem_id="conversation", js_on_load=SCRIPT)
            status = gr.HTML("", elem_id="status")
            question, ask = _composer()
            up, down, new = _feedback_buttons()
            examples = gr.Dataset(components=[question], samples=[[q] for q in view.examples], label="Try",
                                  elem_id="examples", layout="gallery")  # fmt: skip
        with gr.Column(scale=2, min_width=280, elem_id="panel-column"):
            panel = gr.HTML(page.panel([]), elem_id="source-panel")
    return ChatTab(chat, status, question, ask, up, down, new, examples, panel)


def _composer() -> tuple[gr.Textbox, gr.Button]:
    """The question box and its Ask button."""
    with gr.Row(elem_id="composer"):
        question = gr.Textbox(placeholder="Ask about the articles…", show_label=False, scale=5,
                              elem_id="question", max_lines=4)  # fmt: skip
        ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ask", min_width=80)
    return question, ask


def _feedback_buttons() -> tuple[gr.Button, gr.Button, gr.Button]:
    """Thumbs up, thumbs down and New chat."""
    with gr.Row(elem_id="feedback"):
        up = gr.Button("▲ Helpful", size="sm", elem_id="thumbs-up")
        down = gr.Button("▼ Not helpful", size="sm", elem_id="thumbs-down")
        new = gr.Button("New chat", size="sm", elem_id="new-chat")
    return up, down, new


def _articles_tab(assistant: Assistant, allow_upload: bool) -> ArticlesTab:
    table = gr.HTML(articles_table(assistant.articles()), elem_id="articles")
    if not allow_upload:
        return ArticlesTab(table)
    # No file_types: Gradio would fail the whole batch over one .pdf; `upload` says it skipped it.
    files = gr.File(label="Add articles (.md, .txt, .html)", file_count="multiple", elem_id="upload")
    return ArticlesTab(table, files, gr.HTML("", elem_id="upload-result"))


def _wire(blocks: gr.Blocks, page: ChatPage, layout: Layout) -> None:
    """Say which event calls which handler; redraw what comes from the collection on load and after
    each event, if the store changed meanwhile."""
    redraw = partial(page.views, layout.timeline)
    views = layout.views()

    def then_redraw(event: Dependency) -> None:
        """After `event`, redraw what comes from the collection, if the store changed meanwhile."""
        event.then(redraw, inputs=[layout.turns, layout.shown], outputs=views, show_progress="hidden")

    blocks.load(redraw, inputs=[layout.turns, layout.shown], outputs=views, show_progress="hidden")
    _wire_questions(page, layout, then_redraw)
    _wire_buttons(page, layout)
    files, result = layout.articles.files, layout.articles.result
    if files is not None and result is not None:
        then_redraw(files.upload(page.upload, inputs=files, outputs=[result, layout.articles.table]))


def _wire_questions(page: ChatPage, layout: Layout, then_redraw: Callable[[Dependency], None]) -> None:
    """A question is asked by the Ask button, by Enter, and by picking an example."""
    chat, answer_to = layout.chat, layout.answer_to()
    for asked in (chat.ask.click, chat.question.submit):  # the answer's stages show its progress: no spinner
        then_redraw(asked(page.ask, inputs=[chat.question, layout.turns], outputs=answer_to, show_progress="hidden"))
    picked = chat.examples.click(lambda sample: sample[0], inputs=chat.examples, outputs=chat.question)
    then_redraw(picked.then(page.ask, inputs=[chat.question, layout.turns], outputs=answer_to, show_progress="hidden"))


def _wire_buttons(page: ChatPage, layout: Layout) -> None:
    """New chat clears the conversation; the thumbs record feedback on the last answer."""
    chat = layout.chat
    chat.new.click(page.new_chat, outputs=layout.answer_to())
    chat.up.click(lambda t: page.feedback("thumbs up", t), inputs=layout.turns, outputs=chat.status)
    chat.down.click(lambda t: page.feedback("thumbs down", t), inputs=layout.turns, outputs=chat.status)
