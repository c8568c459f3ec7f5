"""Corpus words: what the articles contain, and the names a question or sentence holds against it.

The answerability checks (`qa.answerability`) need to know of all the articles at once which
words they use and in how many articles each occurs, whether they name a source together, and
which capitalised names a question or a sentence holds:
- a name the question mentions (capitalised, e.g. "Xi Jinping") that no article contains;
- a person's name in a sentence: a run of capitalised words, none of them common across the
  articles, and not a body, a place or an adjective.

It leaves out what the checks conclude from these (`qa.answerability`), the statistics sentence
scoring reads (`qa.corpus_stats`) and the shared word lists and word matching (`qa.answer_kinds`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Set

from index.bm25 import tokenize
from qa.answer_kinds import BODY_WORDS, CALENDAR, DEMONYM, holds_word, same_word
from qa.corpus_stats import capitalisation

_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
_QUESTION_START = {
    "What", "When", "Where", "Who", "Why", "How", "Which", "Did", "Does", "Do", "Is", "Are", "Was", "Were", "Has",
    "Have", "Had", "Can", "Could", "Will", "Would", "And", "According", "In", "On",
}  # fmt: skip


class CorpusWords:
    """What the articles contain: their stemmed words, and in how many articles each occurs."""

    def __init__(self, articles: Iterable[list[str]], names: Iterable[str] = ()) -> None:
        """From each article's search tokens, in order, and the tokens the articles write as names."""
        self.article_count: Counter[str] = Counter()
        self.sequences: list[list[str]] = []
        for tokens in articles:
            self.article_count.update(set(tokens))
            self.sequences.append(tokens)
        self.articles = len(self.sequences)
        self.names = frozenset(names)

    @classmethod
    def of_texts(cls, texts: Iterable[str]) -> CorpusWords:
        texts = list(texts)
        capitalised = sum((capitalisation(text) for text in texts), Counter())
        return cls((tokenize(text) for text in texts), (t for t, n in capitalised.items() if n > 0))

    def cites(self, source: Set[str]) -> bool:
        """Whether some article names a source: the words of it that the articles write as names,
        together, a few words apart at most.

        Example: {"ukrain", "general", "staff"} is not cited by "the General Staff of the Russian
        Armed Forces ... from the Armed Forces of Ukraine".
        """
        source = {t for t in source if t in self.names}  # "spy agency" describes; "General Staff" names
        if not source:
            return True
        span = len(source) + 3
        for tokens in self.sequences:
            found = [(i, t) for i, w in enumerate(tokens) for t in source if same_word(t, w)]
            if any({t for i, t in found if start <= i < start + span} == source for start, _ in found):
                return True
        return False

    def contains(self, phrase: str) -> bool:
        tokens = [t for t in tokenize(phrase) if len(t) > 1]
        return all(self._known(t) for t in tokens)

    def _known(self, token: str) -> bool:
        return token in self.article_count or holds_word(self.article_count, token)

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


def names_in(text: str, corpus: CorpusWords) -> set[str]:
    """Person-like names: title-case words, no acronyms or calendar words, rare across the articles.

    Example: "said spokesperson Jeon Ha-kyu on Monday" -> {"Jeon Ha-kyu"} (if rare in the articles)
    """
    found = set()
    for match in _CAPITALISED.finditer(text):
        words = [w for w in match.group().split() if not w.isupper() and w.rstrip(".").lower() not in CALENDAR]
        if not words or (match.start() == 0 and len(words) == 1) or _not_a_person(text, match, words):
            continue
        if corpus.is_rare(" ".join(words)):
            found.add(" ".join(words))
    return found


def _not_a_person(text: str, match: re.Match[str], words: list[str]) -> bool:
    """A body ("the Central Military Commission"), a place ("in the Kursk region", "of Russia") or
    an adjective ("North Korean army units") rather than someone's name."""
    if words[-1].lower() in BODY_WORDS:
        return True
    if re.search(r"\b(in|into|from|of|at|near|across|to)\s+(the\s+)?$", text[: match.start()], re.I):
        return True
    return bool(DEMONYM.search(words[-1]) and re.match(r"\s+[a-z]", text[match.end() :]))
