"""The reader's answers end to end, on a small made-up story (a factory closure), real reader, fake encoder.

The span leads, inside the sentence that holds it; `answer_span` indexes the article text;
relative dates resolve against the article's date; a second article giving the same answer
corroborates it; a changed position is told in order; a low margin abstains.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import Assistant, QASettings
from qa.answer_types import ABSTAIN_TEXT

ARTICLES = {
    "closure-monday": (
        "2024-10-21",
        "Acme to shut Riverside plant",
        "Acme Industries said last Friday that its Riverside plant would close in March. "
        "The company blamed falling orders for steel pipes. About 300 workers will lose their jobs, "
        "union leader Maria Olsen said.",
    ),
    "closure-tuesday": (
        "2024-10-22",
        "Union vows to fight Riverside closure",
        "The union said about 300 workers at the Riverside plant would lose their jobs. "
        "Acme denied that the closure was linked to the planned merger with Borg Steel.",
    ),
    "merger-april": (
        "2025-04-28",
        "Acme admits merger drove closure",
        "Acme admitted on Monday that the merger with Borg Steel was behind the closure of the Riverside plant. "
        "Chief executive Tom Reyes apologised to the workers.",
    ),
}


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    from tests.conftest import FakeEncoder

    root = tmp_path_factory.mktemp("story")
    corpus = root / "articles"
    corpus.mkdir()
    for doc_id, (published, title, body) in ARTICLES.items():
        front = f"---\ndoc_id: {doc_id}\ntitle: {title}\npublisher: Gazette\npublished: {published}\n---\n"
        (corpus / f"{doc_id}.md").write_text(front + body + "\n", encoding="utf-8")
    assistant = Assistant(QASettings(data_dir=root / "data", corpus_dir=corpus), FakeEncoder())
    assistant.ingest()
    return assistant


def _check_offsets(assistant: Assistant, answer) -> None:  # type: ignore[no-untyped-def]
    for citation in answer.citations:
        assert assistant.article(citation.doc_id).text[citation.start : citation.end] == citation.quote
    span = answer.answer_span
    assert span is not None
    assert assistant.article(span.doc_id).text[span.start : span.end] == span.text
    assert any(c.doc_id == span.doc_id and c.start <= span.start and span.end <= c.end for c in answer.citations)


def test_the_span_leads_inside_its_sentence(story: Assistant) -> None:
    answer = story.ask("Who is the union leader?")
    assert not answer.abstained
    assert answer.answer_span is not None and answer.answer_span.text == "Maria Olsen"
    assert answer.answer.startswith("Maria Olsen. ")
    assert 0.5 < answer.confidence <= 1 and answer.margin is not None
    _check_offsets(story, answer)


def test_a_relative_date_in_a_when_answer_is_resolved(story: Assistant) -> None:
    answer = story.ask("When did Acme say the Riverside plant would close?")
    assert not answer.abstained
    assert "18 October 2024" in answer.answer or "March 2025" in answer.answer


def test_another_article_with_the_same_answer_corroborates_it(story: Assistant) -> None:
    answer = story.ask("How many workers will lose their jobs at the Riverside plant?")
    assert answer.answer_span is not None and "300" in answer.answer_span.text
    assert {c.doc_id for c in answer.citations} == {"closure-monday", "closure-tuesday"}
    _check_offsets(story, answer)


def test_a_changed_position_leads_with_the_latest_and_tells_the_earlier(story: Assistant) -> None:
    answer = story.ask("Did Acme admit the merger was behind the closure?")
    assert answer.answer.startswith("Yes.")
    assert answer.citations[0].doc_id == "merger-april"
    assert "Earlier, on 22 October 2024" in answer.answer


def test_a_question_the_articles_do_not_answer_abstains(story: Assistant) -> None:
    answer = story.ask("What is the population of Mars?")
    assert answer.abstained and answer.answer == ABSTAIN_TEXT
    assert answer.citations == [] and answer.answer_span is None


def test_the_rule_engine_stays_available(story: Assistant, tmp_path: Path) -> None:
    settings = story.settings.model_copy(
        update={"answer": story.settings.answer.model_copy(update={"engine": "rules"})}
    )
    rules = Assistant(settings, story.encoder())
    answer = rules.ask("Who is the union leader?")
    assert answer.margin is None and answer.answer_span is None


def test_the_terminal_shows_the_span_and_its_confidence(story: Assistant) -> None:
    from qa.render import render_answer

    shown = render_answer(story.ask("Who is the union leader?"))
    assert "  answer: 'Maria Olsen'  (confidence " in shown
    assert "[1] Acme to shut Riverside plant (Gazette, 2024-10-21)" in shown
    assert "answer:" not in render_answer(story.ask("What is the population of Mars?"))


def test_read_and_compose_are_stages_that_work_apart(story: Assistant) -> None:
    from qa.answerer import ReaderAnswerer
    from qa.questions import parse_question

    answerer = story.answerer
    assert isinstance(answerer, ReaderAnswerer)
    question = parse_question("Who is the union leader?")
    hits = story.retrieve(question.text, 5).hits
    spans = answerer.read(question, hits)
    assert spans and [s.score for s in spans] == sorted((s.score for s in spans), reverse=True)
    assert answerer.compose(question, spans, hits, None).span == story.ask("Who is the union leader?").answer_span
    assert answerer.compose(question, [], hits, None).text == ABSTAIN_TEXT  # nothing read: nothing to say
    assert answerer.read(question, []) == []


def test_a_follow_up_is_read_with_the_question_it_leans_on(story: Assistant) -> None:
    from qa.answerer import ReaderAnswerer
    from qa.questions import parse_question
    from qa.request_types import Turn

    real = story.reader()
    asked: list[str] = []

    class Spy:
        def read(self, question: str, passages: list[str]):  # type: ignore[no-untyped-def]
            asked.append(question)
            return real.read(question, passages)

    answerer = ReaderAnswerer(story.store, story.embed_query, story.settings.answer, lambda: Spy())  # type: ignore[arg-type, return-value]
    history = [Turn(role="user", content="Which plant will Acme close?"), Turn(role="assistant", content="Riverside.")]
    follow = parse_question("when will that happen?", history)
    alone = parse_question("When will the Riverside plant close?")
    assert follow.context == "Which plant will Acme close?" and alone.context is None
    for question in (follow, alone):
        spans = answerer.read(question, story.retrieve(question.with_context, 5).hits)
        assert spans and "March" in spans[0].text
    assert asked == ["When will that happen? Which plant will Acme close?", "When will the Riverside plant close?"]


def test_a_sentence_reprinted_in_another_article_is_stated_once_and_cites_both(tmp_path: Path) -> None:
    from tests.conftest import FakeEncoder

    corpus = tmp_path / "articles"
    corpus.mkdir()
    sentence = "The harbour board said the new ferry terminal in Port Ellen would be run by Caledonian Ferries."
    bodies = {"wire-a": f"{sentence} Tickets go on sale soon.", "wire-b": f"In brief. {sentence} Parking is free."}
    for doc_id, body in bodies.items():
        front = f"---\ndoc_id: {doc_id}\ntitle: Ferry terminal {doc_id}\npublisher: Wire\npublished: 2024-03-01\n---\n"
        (corpus / f"{doc_id}.md").write_text(front + body + "\n", encoding="utf-8")
    assistant = Assistant(QASettings(data_dir=tmp_path / "data", corpus_dir=corpus), FakeEncoder())
    assistant.ingest()
    answer = assistant.ask("Who will run the new ferry terminal in Port Ellen?")
    assert answer.answer_span is not None and answer.answer_span.text == "Caledonian Ferries"
    assert {c.doc_id for c in answer.citations} == {"wire-a", "wire-b"}
    assert answer.answer.count("would be run by") == 1 and answer.answer.endswith("Caledonian Ferries. [1] [2]")
    _check_offsets(assistant, answer)
