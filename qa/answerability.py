"""Decide that the articles cannot answer a question, from what the question asks for.

Topic similarity cannot tell "how many troops were sent?" (answered) from "how much was
Russia paying?" (not answered): both match the same passages. What differs is the slot the
question asks to fill. Three checks, each generic:
- a name the question mentions (capitalised, e.g. "Xi Jinping") that no article contains;
- a question for a person's name whose evidence names no one new (a name is a run of
  capitalised words, none of them common across the articles, that the question lacks);
- a question for a quantity whose evidence has no number beside its rarest content word,
  unless the evidence says the figure is unknown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from index.bm25 import tokenize
from qa.evidence import Evidence
from qa.questions import QuestionType, content_terms

_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
_NAME_QUESTION = re.compile(r"\b(name of|who (is|was|are|were)\b|named|called what)", re.I)
_NUMBER = re.compile(r"\d[\d,.]*")
_CALENDAR = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_QUESTION_START = {
    "What", "When", "Where", "Who", "Why", "How", "Which", "Did", "Does", "Do", "Is", "Are", "Was", "Were", "Has",
    "Have", "Had", "Can", "Could", "Will", "Would", "And", "According", "In", "On",
}  # fmt: skip


class CorpusWords:
    """What the articles contain: their stemmed words, and in how many articles each occurs."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.article_count: Counter[str] = Counter()
        self.articles = 0
        for text in texts:
            self.article_count.update(set(tokenize(text)))
            self.articles += 1

    def contains(self, phrase: str) -> bool:
        tokens = [t for t in tokenize(phrase) if len(t) > 1]
        return all(self._known(t) for t in tokens)

    def _known(self, token: str) -> bool:
        return token in self.article_count or any(k[:5] == token[:5] for k in self.article_count if len(token) >= 5)

    def is_rare(self, phrase: str) -> bool:
        return all(self.article_count[t] <= 2 for t in tokenize(phrase))

    def is_common(self, token: str) -> bool:
        """In most articles, so it says nothing about which passage answers."""
        return self.article_count[token] * 5 >= max(self.articles, 1) * 3


def unknown_names(question: str, corpus: CorpusWords) -> list[str]:
    """Capitalised names in the question that no article contains. Example: "Did China ..." -> ["China"]."""
    names = []
    for match in _CAPITALISED.finditer(_QUOTED.sub(" ", question)):
        words = [w for w in match.group().split() if w not in _QUESTION_START]
        if words and not corpus.contains(" ".join(words)):
            names.append(" ".join(words))
    return names


def _names_in(text: str, corpus: CorpusWords) -> set[str]:
    """Person-like names: title-case words, no acronyms or calendar words, rare across the articles.

    Example: "said spokesperson Jeon Ha-kyu on Monday" -> {"Jeon Ha-kyu"} (if rare in the articles)
    """
    found = set()
    for match in _CAPITALISED.finditer(text):
        words = [w for w in match.group().split() if not w.isupper() and w.rstrip(".").lower() not in _CALENDAR]
        if not words or (match.start() == 0 and len(words) == 1):
            continue
        if corpus.is_rare(" ".join(words)):
            found.add(" ".join(words))
    return found


def unanswerable_reason(question: str, kind: QuestionType, evidence: list[Evidence], corpus: CorpusWords) -> str | None:
    """Why the articles cannot answer, or None when they may."""
    if missing := unknown_names(question, corpus):
        return f"the articles never mention {', '.join(missing)}"
    if any(e.says_unknown for e in evidence[:2]):
        return None
    asked = set(tokenize(question))
    if _NAME_QUESTION.search(question):
        names = {n for n in _names_in(evidence[0].text, corpus) if not set(tokenize(n)) <= asked}
        if not names:
            return "no one is named"
    if kind == "how_many" and not _has_quantity_for(question, evidence, corpus):
        return "no figure is given"
    return None


def _has_quantity_for(question: str, evidence: list[Evidence], corpus: CorpusWords) -> bool:
    """Some sentence gives a number the question did not, beside a telling word of the question."""
    telling = {t for t in content_terms(question) if not corpus.is_common(t)}
    asked_numbers = set(_NUMBER.findall(question))
    for e in evidence[:5]:
        numbers = set(_NUMBER.findall(e.text)) - asked_numbers
        if numbers and (not telling or telling & set(tokenize(e.text))):
            return True
    return False
