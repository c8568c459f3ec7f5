"""The news stage's data: the project's questions on BBC-style articles made into SQuAD 2.0 training files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from qa.news_training import (
    BBC_ARTICLES,
    QUESTIONS,
    NewsDataError,
    NewsQuestion,
    main,
    passage,
    read_questions,
    replay_sample,
    squad_document,
    write_training_file,
)
from qa.reader_data import read_squad

ARTICLE = "Ferry strike ends\n\nThe ferry union ended its strike on Monday. Its leader, Ana Ruiz, said pay rose 4%.\n"


def _write(folder: Path, lines: list[dict[str, object]]) -> Path:
    (folder / "articles").mkdir()
    (folder / "articles" / "bbc-business-900.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "questions.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _line(question: str, answer: str | None) -> dict[str, object]:
    start = None if answer is None else ARTICLE.index(answer)
    return {"doc": "bbc-business-900", "question": question, "answer": answer, "answer_start": start}


def test_questions_become_a_squad_file_the_trainer_reads(tmp_path: Path) -> None:
    path = _write(tmp_path, [_line("Who leads the union?", "Ana Ruiz"), _line("How long did it last?", None)])
    out = tmp_path / "train.json"
    assert write_training_file(out, path, tmp_path / "articles", None, 0) == 2
    examples = read_squad(out)
    assert [(e.question, e.answer_text, e.answer_start) for e in examples] == [
        ("Who leads the union?", "Ana Ruiz", ARTICLE.index("Ana Ruiz")),
        ("How long did it last?", "", None),
    ]
    assert examples[0].context == ARTICLE


def test_an_answer_not_at_its_offset_is_refused_naming_the_question(tmp_path: Path) -> None:
    bad = _line("Who leads the union?", "Ana Ruiz") | {"answer_start": 3}
    path = _write(tmp_path, [bad])
    with pytest.raises(NewsDataError, match="'Ana Ruiz' is not at offset 3"):
        squad_document(read_questions(path), tmp_path / "articles")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"doc": "bbc-business-900", "question": "Why?", "answer": "pay", "answer_start": None}, "both given or both"),
        ({"doc": "bbc-business-900", "question": "Why?", "answer": None}, "Field required"),
        ({"doc": "bbc-business-901", "question": "Why?", "answer": None, "answer_start": None}, "no article"),
    ],
)
def test_malformed_lines_and_missing_articles_get_a_clear_error(
    tmp_path: Path, line: dict[str, object], message: str
) -> None:
    path = _write(tmp_path, [line])
    with pytest.raises(NewsDataError, match=message):
        squad_document(read_questions(path), tmp_path / "articles")


def test_replay_draws_whole_questions_with_their_paragraphs(tmp_path: Path) -> None:
    mix = {"data": [{"title": "t", "paragraphs": [
        {"context": f"Paragraph {i} says {i}.", "qas": [{"id": str(i), "question": f"What does {i} say?",
         "answers": [{"text": str(i), "answer_start": len(f"Paragraph {i} says ")}], "is_impossible": False}]}
        for i in range(10)]}]}  # fmt: skip
    path = tmp_path / "mix.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(mix, handle)
    sample = replay_sample(path, 4)
    paragraphs = sample["data"][0]["paragraphs"]
    assert len(paragraphs) == 4 and sample == replay_sample(path, 4)  # seeded: the same draw each time
    for paragraph in paragraphs:
        answer = paragraph["qas"][0]["answers"][0]
        assert paragraph["context"][answer["answer_start"] :].startswith(answer["text"])


@pytest.mark.skipif(not QUESTIONS.is_file(), reason="no news questions shipped yet")
def test_the_shipped_questions_are_well_formed() -> None:
    questions = read_questions(QUESTIONS)
    unanswerable = sum(q.answer is None for q in questions)
    assert len(questions) >= 200 and 0.15 <= unanswerable / len(questions) <= 0.4
    assert all(q.question.strip().endswith("?") for q in questions)


@pytest.mark.skipif(not (QUESTIONS.is_file() and BBC_ARTICLES.is_dir()), reason="needs ../shared/data/bbc-news")
def test_every_shipped_answer_is_where_it_says_in_its_article() -> None:
    document = squad_document(read_questions(QUESTIONS), BBC_ARTICLES)
    assert sum(len(p["qas"]) for p in document["data"][0]["paragraphs"]) == len(read_questions(QUESTIONS))


def test_the_command_writes_the_file_or_says_why_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, [_line("Who leads the union?", "Ana Ruiz")])
    out = tmp_path / "train.json"
    args = ["--out", str(out), "--questions", str(path), "--articles", str(tmp_path / "articles"), "--replay", "0"]
    assert main(args) == 0 and f"1 questions written to {out}" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        main([*args[:-4], "--articles", str(tmp_path / "nowhere"), "--replay", "0"])
    assert stopped.value.code == 2 and "no BBC articles at" in capsys.readouterr().err


LONG = (
    "Bridge reopens\n\nThe Millbrook bridge reopened on Monday after repairs.\n\n"
    "Engineers replaced the deck, which cost 2 million pounds.\n\nTraffic returned by noon, the council said.\n"
)


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (60, "Engineers replaced the deck, which cost 2 million pounds."),
        (
            200,
            "The Millbrook bridge reopened on Monday after repairs.\n\n"
            "Engineers replaced the deck, which cost 2 million pounds.\n\nTraffic returned by noon, the council said.",
        ),
    ],
)
def test_a_window_is_the_answers_paragraph_grown_while_it_fits(limit: int, expected: str) -> None:
    question = NewsQuestion(doc="d", question="What did the deck cost?", answer="2 million pounds",
                            answer_start=LONG.index("2 million pounds"))  # fmt: skip
    qa = {
        "question": question.question,
        "answers": [{"text": "2 million pounds", "answer_start": question.answer_start}],
    }
    window = passage(LONG, question, qa, limit)
    answer = window["qas"][0]["answers"][0]
    assert window["context"] == expected
    assert window["context"][answer["answer_start"] :].startswith("2 million pounds")


def test_an_unanswerable_question_is_read_on_the_paragraph_sharing_its_words() -> None:
    question = NewsQuestion(doc="d", question="When did traffic return to the council roads?", answer=None,
                            answer_start=None)  # fmt: skip
    window = passage(LONG, question, {"question": question.question, "answers": []}, 50)
    assert window["context"] == "Traffic returned by noon, the council said."
