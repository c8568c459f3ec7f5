"""The reader's news stage: the project's own news questions made into a SQuAD 2.0 training file.

`models/news-questions.jsonl` holds questions the team wrote on BBC News articles (business,
politics and tech; none of the evaluation story's thread), each naming its article by file stem
with the answer's exact text and offset, or no answer. The articles themselves stay in
`../shared/data/bbc-news/`, so this module reads them there and writes the training file outside
the project. A seeded sample of the shipped reader's own stage 2 mix is added ("replay"), so
fine-tuning on news does not make the reader forget its encyclopedia questions.
It leaves out training itself (`qa.reader_training`) and scoring (`python -m evals.collections`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError

from qa.read import grow
from qa.settings import PROJECT_ROOT

QUESTIONS = PROJECT_ROOT / "models" / "news-questions.jsonl"
BBC_ARTICLES = PROJECT_ROOT.parent / "shared" / "data" / "bbc-news" / "articles"
REPLAY_MIX = PROJECT_ROOT.parent / "shared" / "data" / "reader-train" / "train-v2.json.gz"
REPLAY_QUESTIONS = 300


class NewsDataError(ValueError):
    """The news questions cannot be made into training data: a bad line, article or offset."""


class NewsQuestion(BaseModel):
    """One line of the questions file: `answer` is `text[answer_start:][:len(answer)]` of the article file."""

    model_config = ConfigDict(extra="forbid")

    doc: str
    question: str
    answer: str | None
    answer_start: int | None


def read_questions(path: Path) -> list[NewsQuestion]:
    """Every line of `path`; a line that is not a question says which line and why."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            questions.append(NewsQuestion.model_validate_json(line))
        except ValidationError as error:
            raise NewsDataError(f"{path}:{number}: {error.errors()[0]['msg']}") from None
        if (questions[-1].answer is None) != (questions[-1].answer_start is None):
            raise NewsDataError(f"{path}:{number}: answer and answer_start are both given or both null")
    return questions


def squad_document(questions: list[NewsQuestion], articles: Path, window: int | None = None) -> dict[str, Any]:
    """The questions grouped by article as SQuAD 2.0 paragraphs, the whole article file as context,
    or with `window`, each question on the article's paragraphs around its answer (`passage`).

    Example: a question on "bbc-tech-001" with answer "Sony" at 120 -> paragraph context = that
    file's text, qas [{"answers": [{"text": "Sony", "answer_start": 120}], "is_impossible": False}].
    """
    by_doc: dict[str, list[NewsQuestion]] = {}
    for question in questions:
        by_doc.setdefault(question.doc, []).append(question)
    paragraphs = []
    for doc, asked in sorted(by_doc.items()):
        path = articles / f"{doc}.txt"
        if not path.is_file():
            raise NewsDataError(f"{doc}: no article {path}")
        context = path.read_text(encoding="utf-8")
        qas = []
        for index, q in enumerate(asked):
            if q.answer is not None and context[q.answer_start : (q.answer_start or 0) + len(q.answer)] != q.answer:
                raise NewsDataError(f"{doc}: {q.question!r}: {q.answer!r} is not at offset {q.answer_start}")
            answers = [] if q.answer is None else [{"text": q.answer, "answer_start": q.answer_start}]
            qas.append({"id": f"{doc}-{index}", "question": q.question, "answers": answers,
                        "is_impossible": q.answer is None})  # fmt: skip
        if window is None:
            paragraphs.append({"context": context, "qas": qas})
        else:
            paragraphs += [passage(context, q, qa, window) for q, qa in zip(asked, qas, strict=True)]
    return {"version": "v2.0", "data": [{"title": "news", "paragraphs": paragraphs}]}


def passage(text: str, question: NewsQuestion, qa: dict[str, Any], limit: int) -> dict[str, Any]:
    """One question on the paragraphs around its answer, grown a paragraph before, then after, while
    under `limit` characters, as the product reads windows; an unanswerable question gets the
    paragraph sharing most of its longer words. Offsets are moved into the passage.

    Example: paragraphs "A.", "B holds it.", "C." with the answer in "B" and room for all -> "A.\n\nB holds it.\n\nC."
    """
    paragraphs = [_Paragraph(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)]
    if question.answer_start is not None:
        at = next(i for i, p in enumerate(paragraphs) if p.start <= question.answer_start < p.end)
    else:
        asked = {w for w in re.findall(r"[a-z0-9]+", question.question.lower()) if len(w) > 3}
        shared = [len(asked & set(re.findall(r"[a-z0-9]+", text[p.start : p.end].lower()))) for p in paragraphs]
        at = shared.index(max(shared))
    first, last = grow(paragraphs, at, at, limit)  # as the product grows its windows (`qa.read`)
    start = paragraphs[first].start
    answers = [{"text": a["text"], "answer_start": a["answer_start"] - start} for a in qa["answers"]]
    return {"context": text[start : paragraphs[last].end], "qas": [qa | {"answers": answers}]}


class _Paragraph(NamedTuple):
    start: int
    end: int


def replay_sample(mix: Path, count: int, seed: int = 0) -> dict[str, Any]:
    """`count` questions drawn (seeded) from a SQuAD 2.0 file, each with its own paragraph."""
    with gzip.open(mix, "rt", encoding="utf-8") if mix.suffix == ".gz" else mix.open(encoding="utf-8") as handle:
        document = json.load(handle)
    pairs = [(p["context"], qa) for a in document["data"] for p in a["paragraphs"] for qa in p["qas"]]
    chosen = random.Random(seed).sample(pairs, min(count, len(pairs)))
    return {"version": "v2.0", "data": [{"title": "replay", "paragraphs": [
        {"context": context, "qas": [qa]} for context, qa in chosen]}]}  # fmt: skip


def write_training_file(
    out: Path, questions: Path, articles: Path, mix: Path | None, replay: int, window: int | None = None
) -> int:
    """The news questions (on `window`-character passages, or whole articles), plus `replay` questions
    of `mix`, as one SQuAD 2.0 file; returns the count."""
    if not articles.is_dir():
        raise NewsDataError(f"no BBC articles at {articles} (the shared data is needed to build training data)")
    news = squad_document(read_questions(questions), articles, window)
    if mix is not None and replay:
        news["data"] += replay_sample(mix, replay)["data"]
    out.write_text(json.dumps(news), encoding="utf-8")
    return sum(len(p["qas"]) for a in news["data"] for p in a["paragraphs"])


def main(argv: list[str] | None = None) -> int:
    """Write the news stage's training file; then `qa reader train --data FILE --out DIR` trains on it."""
    parser = argparse.ArgumentParser(prog="python -m qa.news_training", description=main.__doc__)
    parser.add_argument("--out", type=Path, required=True, help="the SQuAD 2.0 file to write (outside the project)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="the news questions (JSON Lines)")
    parser.add_argument("--articles", type=Path, default=BBC_ARTICLES, help="the BBC article files they refer to")
    parser.add_argument("--mix", type=Path, default=REPLAY_MIX, help="the SQuAD 2.0 mix to replay questions from")
    parser.add_argument("--replay", type=int, default=REPLAY_QUESTIONS, help="questions drawn from --mix (0: none)")
    parser.add_argument(
        "--window",
        type=int,
        help="read each question on paragraphs of at most this many characters "
        "around its answer, as the product reads (default: the whole article)",
    )
    args = parser.parse_args(argv)
    try:
        count = write_training_file(args.out, args.questions, args.articles, args.mix, args.replay, args.window)
    except (NewsDataError, OSError) as error:
        parser.error(str(error))
    print(f"{count} questions written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
