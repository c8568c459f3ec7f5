"""Score answers on the test set: accuracy, citation precision, abstention, exact quotes.

- accuracy: an answerable case is right when the answer does not abstain and gives one of its
  gold answers (`Case.matches`); an unanswerable case is right when the answer abstains.
- citation precision: of the citations in answers to answerable cases, the share from a gold
  article (or, for a stance that changed, from an article holding the earlier stance).
- abstention precision / recall: of the abstentions, the share on unanswerable cases; of the
  unanswerable cases, the share abstained.
- verbatim: the share of citations whose quote is the article text at its offsets.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evals.case import Case
from qa import Assistant
from qa.answer_types import Answer


@dataclass
class Graded:
    case: Case
    answer: Answer
    correct: bool
    gold_citations: int
    verbatim: int


def grade(case: Case, answer: Answer, article_text: Callable[[str], str]) -> Graded:
    correct = (not answer.abstained and case.matches(answer.answer)) if case.answerable else answer.abstained
    gold = sum(1 for c in answer.citations if c.doc_id in case.citable_doc_ids)
    verbatim = sum(1 for c in answer.citations if article_text(c.doc_id)[c.start : c.end] == c.quote)
    return Graded(case, answer, correct, gold, verbatim)


def answer_scores(graded: Sequence[Graded]) -> dict[str, float]:
    answerable = [g for g in graded if g.case.answerable]
    cited = sum(len(g.answer.citations) for g in answerable)
    abstained = [g for g in graded if g.answer.abstained]
    unanswerable = [g for g in graded if not g.case.answerable]
    all_citations = sum(len(g.answer.citations) for g in graded)
    return {
        "accuracy": sum(g.correct for g in graded) / len(graded),
        "citation_precision": sum(g.gold_citations for g in answerable) / cited if cited else 0.0,
        "abstention_precision": sum(not g.case.answerable for g in abstained) / len(abstained) if abstained else 0.0,
        "abstention_recall": sum(g.answer.abstained for g in unanswerable) / len(unanswerable) if unanswerable else 0.0,
        "verbatim": sum(g.verbatim for g in graded) / all_citations if all_citations else 1.0,
        "median_ms": statistics.median(g.answer.timings_ms["total"] for g in graded),
    }


def run_answers(cases: Sequence[Case], assistant: Assistant) -> list[Graded]:
    texts: dict[str, str] = {}

    def article_text(doc_id: str) -> str:
        if doc_id not in texts:
            texts[doc_id] = assistant.article(doc_id).text
        return texts[doc_id]

    graded = []
    for case in cases:
        graded.append(grade(case, assistant.ask(case.question, case.history), article_text))
    return graded
