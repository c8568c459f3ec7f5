"""The page's Timeline tab: the picture and list of `qa.timeline_view`, filtered by actor and topic.

An actor is chosen from the timeline's lanes ("All actors" shows every lane); a topic is typed
and kept to the sentences close to it in meaning. Both go to `Assistant.timeline`, as the API's
`actor` and `topic` do. Built inside the page's `gr.Blocks`; it leaves the rest of the page alone.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from qa.assistant import Assistant
from qa.timeline_view import lanes_of, timeline_html

ALL_ACTORS = "All actors"


@dataclass
class TimelineTab:
    """The tab's parts the page may update, e.g. after an upload: `view` and `actor` from `refresh()`."""

    view: gr.HTML
    actor: gr.Dropdown
    refresh: Callable[[], tuple[str, dict[str, object]]]


def build_timeline_tab(assistant: Assistant) -> TimelineTab:
    """The controls and the view, in the current Blocks context."""

    def show(actor: str | None, topic: str | None) -> str:
        chosen = None if not actor or actor == ALL_ACTORS else actor
        try:
            return timeline_html(assistant.timeline((topic or "").strip() or None, chosen))
        except ValueError as error:
            return f'<p class="error">{html.escape(str(error))}</p>'

    def refresh() -> tuple[str, dict[str, object]]:
        events = assistant.timeline()
        return timeline_html(events), gr.update(choices=[ALL_ACTORS, *lanes_of(events)], value=ALL_ACTORS)

    events = assistant.timeline()
    with gr.Row():
        actor = gr.Dropdown([ALL_ACTORS, *lanes_of(events)], value=ALL_ACTORS, label="Actor", scale=2,
                            elem_id="timeline-actor", allow_custom_value=False)  # fmt: skip
        topic = gr.Textbox(label="Topic", placeholder="e.g. troop deployment", scale=3, elem_id="timeline-topic")
        button = gr.Button("Show", scale=1, elem_id="timeline-show")
    view = gr.HTML(timeline_html(events), elem_id="timeline")
    actor.change(show, inputs=[actor, topic], outputs=view)
    topic.submit(show, inputs=[actor, topic], outputs=view)
    button.click(show, inputs=[actor, topic], outputs=view)
    return TimelineTab(view, actor, refresh)
