"""The page without a browser: its words about the collection, its HTML, and the stages of an answer.

The made-up collection of tests/test_collection.py stands for "another collection": the page
must speak of it, never of the first one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import create_app
from qa import Assistant
from qa.answer_html import answer_html, marked_quote
from qa.answer_types import Answer, Citation, Span
from qa.chat_html import conversation, source_cards
from qa.chat_page import ChatPage
from tests.conftest import PROJECT, FakeEncoder
from tests.test_collection import made_up_settings


def test_the_page_speaks_of_its_own_collection(tmp_path: Path) -> None:
    made_up = made_up_settings(tmp_path)
    assert made_up.examples_file == PROJECT / "corpus" / "examples.txt"  # written for the first collection
    assistant = Assistant(made_up, FakeEncoder())
    assistant.ingest()
    with TestClient(create_app(made_up, assistant)) as client:
        config = client.get("/config").text
    assert "Port Lyra" in config and "3 articles" in config  # the title
    assert "Ask about these 3 articles from Lyra Courier and Example Gazette" in config  # the empty chat
    assert "When did the harbour strike end in Port Lyra?" in config and "Who is Maria Olsen?" in config
    assert "Korea" not in config and "Kremlin" not in config


ARTICLE = "Intro paragraph.\n\nThe union <b>leader</b> Maria Olsen said 300 jobs would go.\n\nLast paragraph."


def _citation(n: int, doc_id: str, quote: str, text: str = ARTICLE) -> Citation:
    start = text.index(quote)
    return Citation(n=n, doc_id=doc_id, title=f"Title of {doc_id} <i>", publisher="Gazette", url=None,
                    published=dt.date(2024, 10, 22), quote=quote, start=start, end=start + len(quote))  # fmt: skip


def _answer(text: str, citations: list[Citation], span_text: str | None, confidence: float = 0.9) -> Answer:
    span = None
    if span_text is not None:
        start = ARTICLE.index(span_text)
        span = Span(doc_id=citations[0].doc_id, start=start, end=start + len(span_text), text=span_text)
    return Answer(question="Who <b>leads</b>?", standalone_question="Who <b>leads</b>?", answer=text,
                  abstained=not citations, answer_span=span, confidence=confidence, citations=citations,
                  timings_ms={})  # fmt: skip


def test_the_direct_answer_is_marked_in_the_answer_and_in_its_quote_all_escaped() -> None:
    quote = "The union <b>leader</b> Maria Olsen said 300 jobs would go."
    answer = _answer(f"Maria Olsen. {quote} [1]", [_citation(1, "a", quote)], "Maria Olsen")
    shown = answer_html(answer, 0)
    assert shown.startswith('<mark class="answer-span">Maria Olsen</mark>. The union &lt;b&gt;leader&lt;/b&gt;')
    assert shown.endswith('<a class="cite" href="#src-0-1" data-turn="0" data-n="1">[1]</a>')
    in_quote = marked_quote(ARTICLE, answer.citations[0], answer.answer_span, context=True)
    assert in_quote == (
        '<mark>The union &lt;b&gt;leader&lt;/b&gt; <mark class="answer-span">Maria Olsen</mark> said 300 jobs '
        "would go.</mark>"
    )
    page = conversation([answer], lambda _: (ARTICLE, False), "blurb")
    assert "&lt;b&gt;leads&lt;/b&gt;" in page and "Title of a &lt;i&gt;" in page and "<i>" not in page
    assert "high confidence" in page and 'title="confidence 0.90' in page


def test_a_quote_whose_article_changed_is_found_again_or_shown_alone() -> None:
    quote = "Maria Olsen said 300 jobs would go."
    citation = _citation(1, "a", quote)
    moved = "A new first paragraph.\n\n" + ARTICLE
    assert f"<mark>{quote}</mark>" in marked_quote(moved, citation, None, context=True)
    assert marked_quote("All rewritten.", citation, None, context=True) == f"<mark>{quote}</mark>"


def test_each_source_is_listed_once_with_its_date() -> None:
    first, second = "Intro paragraph.", "Last paragraph."
    answer = _answer(f"{first} [1] {second} [2]", [_citation(1, "a", first), _citation(2, "a", second)], None)
    cards = source_cards(0, answer, lambda _: (ARTICLE, False))
    assert cards.count('class="source-card"') == 1 and cards.count("2024-10-22") == 1
    assert 'id="src-0-1"' in cards and 'id="src-0-2"' in cards


@pytest.mark.parametrize(("confidence", "cue"), [(0.95, "high"), (0.6, "medium"), (0.2, "low")])
def test_confidence_cue(confidence: float, cue: str) -> None:
    quote = "Intro paragraph."
    page = conversation([_answer(f"{quote} [1]", [_citation(1, "a", quote)], quote, confidence)],
                        lambda _: (ARTICLE, False), "")  # fmt: skip
    assert f'<span class="confidence {cue}"' in page and f"{cue} confidence</span>" in page


def test_an_answer_comes_in_its_real_stages(assistant: Assistant) -> None:
    assistant.ingest()
    page = ChatPage(assistant, allow_upload=False)
    stages = list(page.ask("When did Pyongyang deny sending troops?", []))
    assert len(stages) == 2  # the question with its stage, then the answer: nothing re-sliced in between
    (searching, _, turns, box, _), (done, panel, answered, _, _) = stages
    assert "Searching 5 articles…" in searching and 'class="msg bot pending"' in searching and box == "" and not turns
    (answer,) = answered
    assert 'class="answer"' in done and "pending" not in done
    assert ("Sources of the latest answer" in panel) is bool(answer.citations)


def test_an_empty_question_is_refused_without_a_stage(assistant: Assistant) -> None:
    assistant.ingest()
    ((chat, _, turns, _, status),) = list(ChatPage(assistant, allow_upload=False).ask("  ", []))
    assert "the question is empty" in status and "pending" not in chat and turns == []
