"""The Gradio page: Chat, Timeline and Articles tabs over one `Assistant`, laid out and wired.

This module places the components and says which event calls which handler, and redraws what
comes from the collection after each event. The handlers are `qa.chat_page`'s, the rendering
`qa.chat_html`'s and `qa.article_html`'s (escaped, no live article HTML) and the page's behaviour in
the browser `ui.js`'s. It leaves out the HTTP API, which `app.py` serves beside it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import gradio as gr
from gradio.events import Dependency

from qa.article_html import articles_table
from qa.assistant import Assistant
from qa.chat_html import conversation, page_header
from qa.chat_page import ChatPage
from qa.timeline_tab import build_timeline_tab

CSS = (Path(__file__).with_name("ui.css")).read_text(encoding="utf-8")
SCRIPT = (Path(__file__).with_name("ui.js")).read_text(encoding="utf-8")


def build_ui(assistant: Assistant, allow_upload: bool, examples_file: Path | None) -> gr.Blocks:
    page = ChatPage(assistant, allow_upload, examples_file)
    view = page.collection()
    with gr.Blocks(title=view.title, analytics_enabled=False) as blocks:
        header = gr.HTML(page_header(view.title), elem_id="header")
        turns = gr.State([])
        shown = gr.State(page.generation())  # the catalog generation the collection's views were drawn from
        with gr.Tab("Chat"), gr.Row(elem_id="chat-layout"):
            with gr.Column(scale=3, elem_id="chat-main"):
                chat = gr.HTML(conversation([], page.lookup, view.blurb), elem_id="conversation", js_on_load=SCRIPT)
                status = gr.HTML("", elem_id="status")
                with gr.Row(elem_id="composer"):
                    question = gr.Textbox(placeholder="Ask about the articles…", show_label=False, scale=5,
                                          elem_id="question", max_lines=4)  # fmt: skip
                    ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ask", min_width=80)
                with gr.Row(elem_id="feedback"):
                    up = gr.Button("▲ Helpful", size="sm", elem_id="thumbs-up")
                    down = gr.Button("▼ Not helpful", size="sm", elem_id="thumbs-down")
                    new = gr.Button("New chat", size="sm", elem_id="new-chat")
                examples = gr.Dataset(components=[question], samples=[[q] for q in view.examples], label="Try",
                                      elem_id="examples", layout="gallery")  # fmt: skip
            with gr.Column(scale=2, min_width=280, elem_id="panel-column"):
                panel = gr.HTML(page.panel([]), elem_id="source-panel")
        with gr.Tab("Timeline"):
            timeline = build_timeline_tab(assistant)
        with gr.Tab("Articles"):
            table = gr.HTML(articles_table(assistant.articles()), elem_id="articles")
            if allow_upload:
                # No file_types: Gradio would fail the whole batch over one .pdf; `upload` says it skipped it.
                files = gr.File(label="Add articles (.md, .txt, .html)", file_count="multiple", elem_id="upload")
                result = gr.HTML("", elem_id="upload-result")
        gr.api(page.answer_json, api_name="ask")
        answer_to = [chat, panel, turns, question, status]
        views = [header, chat, panel, timeline.view, timeline.actor, table, examples, shown]
        redraw = partial(page.views, timeline)

        def then_redraw(event: Dependency) -> None:
            """After `event`, redraw what comes from the collection, if the store changed meanwhile."""
            event.then(redraw, inputs=[turns, shown], outputs=views, show_progress="hidden")

        blocks.load(redraw, inputs=[turns, shown], outputs=views, show_progress="hidden")
        for asked in (ask.click, question.submit):  # the answer's stages show its progress: no spinner
            then_redraw(asked(page.ask, inputs=[question, turns], outputs=answer_to, show_progress="hidden"))
        picked = examples.click(lambda sample: sample[0], inputs=examples, outputs=question)
        then_redraw(picked.then(page.ask, inputs=[question, turns], outputs=answer_to, show_progress="hidden"))
        new.click(page.new_chat, outputs=answer_to)
        up.click(lambda t: page.feedback("thumbs up", t), inputs=turns, outputs=status)
        down.click(lambda t: page.feedback("thumbs down", t), inputs=turns, outputs=status)
        if allow_upload:
            then_redraw(files.upload(page.upload, inputs=files, outputs=[result, table]))
    return blocks
