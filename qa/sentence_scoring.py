"""Sentence scoring: the sentences of the retrieved passages, scored as answers to the question.

A sentence scores by meaning (cosine of its stored MiniLM vector to the question's), by the
question's content words it contains, and by whether it holds the kind of thing asked for
(a date for "when", a number for "how many", a name for "who", a place for "where", a
reason for "why"). Scores are in [0, 1]; the weights are settings, not constants.

Words weigh by rarity (inverse frequency over all sentences). A sentence is read with its
context: the sentence before it and the title lend their words (and, mixed in, their
meaning) at a discount, the rest of the article at a smaller one, because news sentences
lean on what came before ("he said", "these events", "the agency").

It leaves out what the question asks (`qa.asked`), the statistics it reads (`qa.corpus_stats`),
the kind checks (`qa.answer_kinds`) and what the answer makes of the ranked evidence.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from index.catalog import StoredArticle
from index.types import Sentence
from qa.answer_kinds import holds_word, kind_match
from qa.asked import Asked, Terms, in_period
from qa.corpus_stats import SentenceStats
from qa.dates import DateMention
from qa.evidence import Evidence
from qa.request_types import Question
from qa.settings import EvidenceSettings

_COMPARISON = re.compile(
    r"\b(in the same way|the same as|just as|as if|as though|like|similar(ly)? to|compared? (to|with)|akin to"
    r"|no different from|reminiscent of)\b",
    re.I,
)
_SHORT_QUOTE = re.compile(r"[“\"][^”\"\s]+(\s[^”\"\s]+){0,2}[”\"]")


def _is_heading(text: str) -> bool:
    return not re.search(r"[.!?][\"'”’)]*$", text) and len(text.split()) < 12


def word_match(terms: Terms, sentence: Sentence, stats: SentenceStats, settings: EvidenceSettings) -> float:
    """The share of the question's word weight the sentence holds; words only in its context or
    elsewhere in its article count less."""
    total = sum(stats.weight(t) * w for t, w in terms.items())
    if not total:
        return 0.0
    own, context = stats.words_of(sentence), stats.context_of(sentence)
    article = stats.article_words.get(sentence.doc_id, frozenset())
    held = 0.0
    for term, weight in terms.items():
        if term in own:
            share = 1.0
        elif term in context:
            share = settings.context_share
        else:
            share = settings.article_share if term in article else 0.0
        held += share * weight * stats.weight(term)
    return held / total


def relevance(terms: Terms, question_vector: np.ndarray, sentence: Sentence, vectors: dict[str, np.ndarray],
              stats: SentenceStats, settings: EvidenceSettings) -> tuple[float, float]:  # fmt: skip
    """How close a sentence is to the question in meaning and in words, each in [0, 1].

    Meaning is the better of the sentence's own cosine and that of the sentence with the one
    before it mixed in, so "So there is a lot of conflicting information," Peskov said." can
    match a question about the Kremlin through "Kremlin spokesman Dmitry Peskov" before it.
    """
    vector = vectors.get(sentence.sentence_id)
    meaning = float(vector @ question_vector) if vector is not None else 0.0
    before = stats.previous.get(sentence.sentence_id)
    if vector is not None and before is not None and settings.context_meaning and before.sentence_id in vectors:
        mixed = vector + settings.context_meaning * vectors[before.sentence_id]
        meaning = max(meaning, float(mixed @ question_vector) / float(np.linalg.norm(mixed)))
    words = word_match(terms, sentence, stats, settings)
    return max(meaning, 0.0), words


def sentence_score(asked: Asked, question_vector: np.ndarray, sentence: Sentence, dates: list[DateMention],
                   vectors: dict[str, np.ndarray], stats: SentenceStats,
                   settings: EvidenceSettings) -> tuple[float, float]:  # fmt: skip
    """A sentence's score as an answer, and its meaning alone.

    The score adds meaning, words, and the kind of thing asked for: a quotation for a question
    about wording, a likeness for one about a comparison, the whole phrase a which-question
    names, a date in the period it names. It subtracts for a line that is not a sentence and for
    an article that does not name the source the question cites. The answerer ranks evidence by
    it and the retriever re-ranks passages by it."""
    meaning, words = relevance(asked.terms, question_vector, sentence, vectors, stats, settings)
    kind = kind_match(asked.kind, sentence.text, dates, asked.terms, asked.start)
    score = settings.meaning_weight * meaning + settings.words_weight * words + settings.kind_weight * kind
    if asked.wants_quote and _SHORT_QUOTE.search(sentence.text):
        score += settings.kind_weight
    if asked.wants_comparison and _COMPARISON.search(sentence.text):
        score += settings.kind_weight
    if len(asked.focus) > 1 and all(holds_word(stats.words_of(sentence), t) for t in asked.focus):
        score += settings.focus_weight
    if asked.periods:
        own: list[dt.date | None] = [d.date for d in dates if not d.since] or [stats.published.get(sentence.doc_id)]
        score += settings.date_weight * max(
            (share for period, share in asked.periods if any(in_period(d, period) for d in own)), default=0.0
        )
    if _is_heading(sentence.text):
        score -= settings.heading_penalty
    if asked.source and not stats.names_source(asked.source, sentence.doc_id):
        score -= settings.source_penalty
    return score, meaning


def score_evidence(question: Question, question_vector: np.ndarray,
                   candidates: list[tuple[Sentence, StoredArticle]], vectors: dict[str, np.ndarray],
                   settings: EvidenceSettings, stats: SentenceStats) -> list[Evidence]:  # fmt: skip
    """Score every candidate; best first. `vectors` holds the candidates' and their predecessors'."""
    asked = Asked.of(question, settings)
    scored = []
    for sentence, article in candidates:
        facts = stats.facts(sentence, article)
        score, meaning = sentence_score(asked, question_vector, sentence, facts.dates, vectors, stats, settings)
        before = stats.previous.get(sentence.sentence_id)
        dates = list(facts.dates)
        scored.append(Evidence(sentence, article, score, meaning, dates, facts.stance, facts.speaker, before))
    return sorted(scored, key=lambda e: -e.score)
