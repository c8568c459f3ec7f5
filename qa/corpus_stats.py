"""Corpus statistics: what sentence scoring needs to know of all the articles at once.

How rare each word is over sentences, which sentence precedes each, each article's words,
title and date, and which words the articles write as names; built once per catalog and kept
by the store (`sentence_stats`). Also whether an article names the source a question cites,
which reads those statistics.

It leaves out the scoring itself (`qa.sentence_scoring`) and what a single sentence says
(`qa.evidence.SentenceFacts`, which the statistics only remember).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable

from index.bm25 import tokenize
from index.catalog import Catalog, StoredArticle
from index.store import Store
from index.types import Sentence
from qa.answer_kinds import holds_word
from qa.evidence import SentenceFacts


class SentenceStats:
    """What scoring needs to know of all sentences: how rare each word is, and what precedes each sentence.

    A word's weight is its inverse document frequency over sentences, so "Mostov" counts for
    more than "Korea" in a collection about Korea.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.previous: dict[str, Sentence] = {}
        self.tokens: dict[str, frozenset[str]] = {}
        self.titles: dict[str, frozenset[str]] = {}
        self.article_tokens: dict[str, list[str]] = {}  # in order
        self.article_words: dict[str, frozenset[str]] = {}
        self.published: dict[str, dt.date | None] = {}
        frequency, capitalised = self._read(catalog)
        self._facts: dict[str, SentenceFacts] = {}
        self._names_source: dict[tuple[frozenset[str], str], bool] = {}
        self.names = frozenset(t for t, n in capitalised.items() if n > 0)  # words the articles write as names
        total = max(len(self.tokens), 1)
        self.idf = {t: math.log(1 + total / n) for t, n in frequency.items()}
        self.unseen_idf = math.log(1 + total)

    def _read(self, catalog: Catalog) -> tuple[Counter[str], Counter[str]]:
        """Fill the maps of every article and sentence; return in how many sentences each word occurs,
        and for each word how many more times it is written capitalised than not."""
        frequency: Counter[str] = Counter()
        capitalised: Counter[str] = Counter()
        for article in catalog.articles.values():
            self._add_article(article)
            capitalised.update(capitalisation(article.clean.text))
            frequency.update(self._add_sentences(article.sentences))
        return frequency, capitalised

    def _add_article(self, article: StoredArticle) -> None:
        """Remember the article's title words, its words (in order and as a set) and its date."""
        doc_id = article.meta.doc_id
        self.titles[doc_id] = frozenset(tokenize(article.meta.title or ""))
        self.article_tokens[doc_id] = tokenize(article.clean.text)
        self.article_words[doc_id] = frozenset(self.article_tokens[doc_id])
        self.published[doc_id] = article.meta.published

    def _add_sentences(self, sentences: list[Sentence]) -> Counter[str]:
        """Remember each sentence's words and the sentence before it; return in how many sentences each word occurs."""
        frequency: Counter[str] = Counter()
        before: Sentence | None = None
        for sentence in sentences:
            tokens = frozenset(tokenize(sentence.text))
            self.tokens[sentence.sentence_id] = tokens
            frequency.update(tokens)
            if before is not None:
                self.previous[sentence.sentence_id] = before
            before = sentence
        return frequency

    def facts(self, sentence: Sentence, article: StoredArticle) -> SentenceFacts:
        """The sentence's dates, stance and speaker, read once: they depend on its text and article only."""
        found = self._facts.get(sentence.sentence_id)
        if found is None:
            found = self._facts[sentence.sentence_id] = SentenceFacts.read(sentence, article)
        return found

    def with_before(self, ids: set[str]) -> list[str]:
        """The sentence ids and those of the sentences before them: the vectors `relevance` reads."""
        return sorted(ids | {self.previous[i].sentence_id for i in ids if i in self.previous})

    def names_source(self, source: frozenset[str], doc_id: str) -> bool:
        """`names_source`, remembered: every sentence of an article asks the same of it."""
        key = (source, doc_id)
        if key not in self._names_source:
            self._names_source[key] = names_source(source, doc_id, self)
        return self._names_source[key]

    def articles_with(self, term: str) -> int:
        return sum(term in words for words in self.article_words.values())

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unseen_idf)

    def words_of(self, sentence: Sentence) -> frozenset[str]:
        return self.tokens.get(sentence.sentence_id) or frozenset(tokenize(sentence.text))

    def context_of(self, sentence: Sentence) -> frozenset[str]:
        before = self.previous.get(sentence.sentence_id)
        return (self.words_of(before) if before else frozenset()) | self.titles.get(sentence.doc_id, frozenset())


def capitalisation(text: str) -> Counter[str]:
    """For each search token, how many more times the text writes it capitalised than not."""
    counts: Counter[str] = Counter()
    for word in re.findall(r"[^\W\d_][\w'’-]*", text):
        for token in tokenize(word):
            counts[token] += 1 if word[0].isupper() else -1
    return counts


def sentence_stats(store: Store) -> SentenceStats:
    """The store's sentence statistics, built once per catalog."""
    return store.derived("sentence stats", SentenceStats)


def names_source(source: Iterable[str], doc_id: str, stats: SentenceStats) -> bool:
    """Whether the article holds most (by rarity) of the words naming a source, counting only the
    words that set some articles apart and that the articles write as names ("Mostov", not "spy
    agency"), each by `holds_word`."""
    telling = {t for t in source if t in stats.names and stats.articles_with(t) * 2 <= len(stats.article_words)}
    words = stats.article_words.get(doc_id, frozenset())
    total = sum(stats.weight(t) for t in telling)
    held = sum(stats.weight(t) for t in telling if t in words or holds_word(words, t))
    return held >= total / 2
