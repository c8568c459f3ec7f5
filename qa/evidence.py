"""Evidence: the sentences of the retrieved passages, scored as answers to the question.

A sentence scores by meaning (cosine of its stored MiniLM vector to the question's), by the
question's content words it contains, and by whether it holds the kind of thing asked for
(a date for "when", a number for "how many", a name for "who", a place for "where", a
reason for "why"). Scores are in [0, 1]; the weights are settings, not constants.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from index.bm25 import tokenize
from index.catalog import Catalog, StoredArticle
from index.types import Sentence
from qa.conversation import own_words
from qa.dates import DateMention, find_dates
from qa.questions import QuestionType, content_terms
from qa.stance import Stance, speaker, stance
from qa.types import Hit

_NUMBER = re.compile(r"\b\d[\d,.]*\b(?!\s*(?:percent|%))|\b(thousands?|hundreds?|dozens?|millions?)\b", re.I)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b|\b(spokes\w+|minister|president|ambassador|secretary"
                   r"|chairman|representative|delegate|commission|ministry|agency|service|committee)\b")  # fmt: skip
_PLACE = re.compile(r"\b(in|to|at|near|from|into|across)\s+(the\s+)?[A-Z][a-z]+|\b(region|city|port|province|border)\b")
_REASON = re.compile(r"\b(because|due to|in accordance with|as part of|in order to|caused by|aimed at|so that"
                     r"|under|meets the conditions|in response to|in connection with)\b", re.I)  # fmt: skip
_UNKNOWN = re.compile(
    r"\b(not (specified|disclosed|known|clear|been disclosed)|unknown|unclear|declined to say)\b", re.I
)


_ASKS_WORDING = re.compile(r"\bwhat (word|term|phrase|expression)s?\b|\b(call|describe[d]?|label(l?ed)?)\b", re.I)
_SHORT_QUOTE = re.compile(r"[“\"][^”\"\s]+(\s[^”\"\s]+){0,2}[”\"]")


_PRECISION_VALUE = {"day": 1.0, "week": 0.6, "month": 0.6, "year": 0.3}


class EvidenceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    passages: int = Field(default=8, ge=1, description="Retrieved passages the answer reads from.")
    stance_sentences: int = Field(
        default=20, ge=0, description="Nearest sentences added for questions about a position or stance."
    )
    meaning_weight: float = Field(default=0.6, ge=0)
    words_weight: float = Field(default=0.25, ge=0)
    kind_weight: float = Field(default=0.15, ge=0)
    heading_penalty: float = Field(default=0.15, ge=0, description="Subtracted for lines that are not sentences.")


@dataclass
class Evidence:
    """A candidate sentence with what the answer composer needs to know about it."""

    sentence: Sentence
    article: StoredArticle
    score: float
    meaning: float
    dates: list[DateMention] = field(default_factory=list)
    stance: Stance = "reports"
    speaker: str | None = None

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def says_unknown(self) -> bool:
        return bool(_UNKNOWN.search(self.text))


def kind_match(kind: QuestionType, text: str, dates: list[DateMention]) -> float:
    """1.0 when the sentence holds the kind of thing the question asks for (a vaguer date less), else 0.0."""
    if kind == "when":
        return max((_PRECISION_VALUE[d.precision] for d in dates if not d.since), default=0.0)
    checks: dict[str, Callable[[], bool]] = {
        "how_many": lambda: bool(_NUMBER.search(text)) or bool(_UNKNOWN.search(text)),
        "who": lambda: bool(_NAME.search(text)),
        "where": lambda: bool(_PLACE.search(text)),
        "why": lambda: bool(_REASON.search(text)),
    }
    check = checks.get(kind)
    return 1.0 if check is not None and check() else 0.0


def _is_heading(text: str) -> bool:
    return not re.search(r"[.!?][\"'”’)]*$", text) and len(text.split()) < 12


def gather(hits: list[Hit], catalog: Catalog, limit: int) -> list[tuple[Sentence, StoredArticle]]:
    """The sentences of the top `limit` passages, each once, in passage order."""
    seen: set[str] = set()
    found = []
    for hit in hits[:limit]:
        article = catalog.articles[hit.doc_id]
        for sentence in article.sentences:
            if hit.start <= sentence.start and sentence.end <= hit.end and sentence.sentence_id not in seen:
                seen.add(sentence.sentence_id)
                found.append((sentence, article))
    return found


def score_evidence(question: str, kind: QuestionType, question_vector: np.ndarray,
                   candidates: list[tuple[Sentence, StoredArticle]], vectors: dict[str, np.ndarray],
                   settings: EvidenceSettings) -> list[Evidence]:  # fmt: skip
    """Score every candidate; best first."""
    terms = content_terms(own_words(question))
    wants_quote = bool(_ASKS_WORDING.search(question))
    scored = []
    for sentence, article in candidates:
        vector = vectors.get(sentence.sentence_id)
        meaning = float(vector @ question_vector) if vector is not None else 0.0
        words = len(terms & set(tokenize(sentence.text))) / len(terms) if terms else 0.0
        dates = find_dates(sentence.text, article.meta.published)
        score = (settings.meaning_weight * max(meaning, 0.0) + settings.words_weight * words
                 + settings.kind_weight * kind_match(kind, sentence.text, dates))  # fmt: skip
        if wants_quote and _SHORT_QUOTE.search(sentence.text):
            score += settings.kind_weight
        if _is_heading(sentence.text):
            score -= settings.heading_penalty
        scored.append(Evidence(sentence, article, score, meaning, dates, stance(sentence.text), speaker(sentence.text)))
    return sorted(scored, key=lambda e: -e.score)
