"""The collection's own words for the page: title, empty-state line, examples; and telling English.

A made-up collection (a harbour strike, a lighthouse, a tram line) stands for "another
collection": what is said must come from it, never from the first one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.encoder import Encoder
from qa import Assistant, QASettings
from qa.collection import describe
from qa.example_questions import headline_question
from qa.language import looks_english
from tests.conftest import FakeEncoder
from tests.test_live_store import LIGHTHOUSE

MADE_UP = {
    "harbour-strike.md": "---\ntitle: Harbour strike ends in Port Lyra after a pay deal\npublisher: Lyra Courier\n"
    "published: 2024-11-02\n---\nDock workers in Port Lyra ended their strike on Friday after a pay deal, union "
    "leader Maria Olsen said.\n\nThe strike had closed the container terminal for three weeks.\n",
    "lighthouse.md": LIGHTHOUSE,
    "tram.md": "---\ntitle: City council approves a tram line for Port Lyra\npublisher: Lyra Courier\n"
    "published: 2025-01-15\n---\nThe city council of Port Lyra approved a new tram line on Tuesday, linking the "
    'harbour to the old town.\n\n"The first trams will run in 2027," Mayor Tomas Berg said after the vote.\n',
}


def made_up_settings(tmp_path: Path) -> QASettings:
    """Settings over the made-up collection, with the project's own examples file (the first collection's)."""
    folder = tmp_path / "made-up"
    folder.mkdir()
    for name, text in MADE_UP.items():
        (folder / name).write_text(text, encoding="utf-8")
    return QASettings(data_dir=tmp_path / "made-up-data", corpus_dir=folder)


@pytest.fixture
def made_up(tmp_path: Path) -> QASettings:
    return made_up_settings(tmp_path)


def test_title_and_empty_state_come_from_the_collection(made_up: QASettings) -> None:
    assistant = Assistant(made_up, FakeEncoder())
    assistant.ingest()
    view = describe(list(assistant.store.catalog.articles.values()), made_up.examples_file)
    assert view.title == "Port Lyra · Skarholm: 3 articles, 2024–2025"
    assert view.blurb.startswith(
        "Ask about these 3 articles from Lyra Courier and Example Gazette, published June 2024"
    )
    assert view.examples == ["When did the city council approve a tram line for Port Lyra?", "Who is Tomas Berg?",
                             "When did the harbour strike end in Port Lyra?", "Who is Maria Olsen?"]  # fmt: skip


def test_made_examples_are_answered_by_the_reader(made_up: QASettings, real_encoder: Encoder) -> None:
    assistant = Assistant(made_up, real_encoder)
    assistant.ingest()
    examples = describe(list(assistant.store.catalog.articles.values()), made_up.examples_file).examples
    assert len(examples) == 4
    for question in examples:
        assert not assistant.ask(question).abstained, question


def test_an_examples_file_serves_only_the_collection_beside_it(made_up: QASettings, tmp_path: Path) -> None:
    assistant = Assistant(made_up, FakeEncoder())
    assistant.ingest()
    articles = list(assistant.store.catalog.articles.values())
    beside = made_up.corpus_dir / "examples.txt"
    beside.write_text("Why did the dock workers strike?\n\nWho lit the lighthouse?\n", encoding="utf-8")
    assert describe(articles, beside).examples == ["Why did the dock workers strike?", "Who lit the lighthouse?"]
    elsewhere = tmp_path / "elsewhere" / "examples.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text("When did North Korea admit involvement?\n", encoding="utf-8")
    assert "When did North Korea admit involvement?" not in describe(articles, elsewhere).examples


@pytest.mark.parametrize(
    ("title", "question"),
    [
        ("Harbour strike ends in Port Lyra after a pay deal", "When did the harbour strike end in Port Lyra?"),
        (
            "North Korea denies sending troops to Ukraine amid outcry",
            "When did North Korea deny sending troops to Ukraine?",
        ),
        ("Union pushes for a vote", "When did the union push for a vote?"),
        ("Keepers return to the lighthouse", None),  # a plural subject: no -s verb to go by
        ("DPRK ISG Condemns Fake News", None),  # title case: no verb to go by
        ("", None),
    ],
)
def test_headline_questions(title: str, question: str | None) -> None:
    assert headline_question(title, {"Port", "North", "Korea"}) == question


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("when did North Korea admit involvement?", True),
        ("Who is Le Pen?", True),
        ("What did Le Monde report about Müller?", True),
        ("Kursk", True),
        ("", True),
        ("Quand la Corée du Nord a-t-elle admis son implication ?", False),
        ("Wann hat Nordkorea Truppen geschickt?", False),
        ("¿Cuándo admitió Corea del Norte el envío de tropas?", False),
        ("Когда Северная Корея признала участие?", False),
        ("북한은 언제 파병을 인정했나요?", False),
    ],
)
def test_looks_english(text: str, english: bool) -> None:
    assert looks_english(text) is english
