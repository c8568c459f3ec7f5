"""Evidence: the sentences of the retrieved passages, scored as answers to the question.

A sentence scores by meaning (cosine of its stored MiniLM vector to the question's), by the
question's content words it contains, and by whether it holds the kind of thing asked for
(a date for "when", a number for "how many", a name for "who", a place for "where", a
reason for "why"). Scores are in [0, 1]; the weights are settings, not constants.

Words weigh by rarity (inverse frequency over all sentences). A sentence is read with its
context: the sentence before it and the title lend their words (and, mixed in, their
meaning) at a discount, the rest of the article at a smaller one, because news sentences
lean on what came before ("he said", "these events", "the agency").
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from index.bm25 import tokenize
from index.catalog import Catalog, StoredArticle
from index.store import Store
from index.types import Sentence
from qa.dates import DateMention, find_dates
from qa.questions import asks_start, content_terms, focus_phrase
from qa.settings import EvidenceSettings
from qa.stance import Stance, speaker, stance
from qa.types import Hit, Question, QuestionType

_NUMBER = re.compile(r"\b\d[\d,.]*\b(?!\s*(?:percent|%))|\b(thousands?|hundreds?|dozens?|millions?)\b", re.I)
_NAME = re.compile(r"\b[A-Z][\w'’]+(?:[ -][A-Z][\w'’]+)*\b|\b(spokes\w+|minister|president|ambassador|secretary"
                   r"|chairman|representative|delegate|commission|ministry|agency|service|committee)\b")  # fmt: skip
_PLACE_NAME = re.compile(
    r"(?:\b(?:in|to|at|near|from|into|across|on)|\b(?:city|town|village|port|region|province|republic) of)"
    r"\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
)
DEMONYM = re.compile(r"(ian|ean|ese|ish|ic)$")
CALENDAR = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
BODY_WORDS = {
    "forces", "force", "party", "ministry", "commission", "council", "staff", "service", "agency", "army",
    "committee", "group", "union", "organization", "organisation", "government", "office", "command", "assembly",
    "parliament", "court", "navy", "police", "nations",
}  # fmt: skip
_ROLE = re.compile(
    r"(leader|spokes\w+|officials?|chief|president|minister|envoy|ambassador|troops|soldiers"
    r"|forces|army|military|government|media|authorities)\b"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_REASON = re.compile(r"\b(because|due to|in accordance with|as part of|in order to|caused (?:\w+ly )?by|aimed at"
                     r"|so that|in an attempt to|in a bid to|owing to|as a result of|given that"
                     r"|under|meets the conditions|in response to|in connection with)\b", re.I)  # fmt: skip
_CAUSAL_SINCE = re.compile(
    r",\s*since\b|\bsince\s+(?:[\w'’-]+\s+){0,4}?(?:is|are|does|do|can|cannot|must|will)\b", re.I
)
_UNKNOWN = re.compile(
    r"\b(not (specified|disclosed|known|clear|been disclosed)|unknown|unclear|declined to say)\b", re.I
)


_ASKS_WORDING = re.compile(r"\bwhat (word|term|phrase|expression)s?\b|\b(call|describe[d]?|label(l?ed)?)\b", re.I)
_ASKS_COMPARISON = re.compile(r"\b(compar\w*|liken\w*|similar\w*|equat\w*)\b", re.I)
_COMPARISON = re.compile(
    r"\b(in the same way|the same as|just as|as if|as though|like|similar(ly)? to|compared? (to|with)|akin to"
    r"|no different from|reminiscent of)\b",
    re.I,
)
_SHORT_QUOTE = re.compile(r"[“\"][^”\"\s]+(\s[^”\"\s]+){0,2}[”\"]")


_PRECISION_VALUE = {"day": 1.0, "week": 0.6, "month": 0.6, "year": 0.3}


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
    before: Sentence | None = None  # the sentence before it in its article

    @classmethod
    def unscored(cls, sentence: Sentence, article: StoredArticle) -> Evidence:
        """A sentence brought in for what it says, not for how well it matched (e.g. to name a speaker)."""
        facts = SentenceFacts.read(sentence, article)
        return cls(sentence, article, 0.0, 0.0, list(facts.dates), facts.stance, facts.speaker)

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def text_without_dates(self) -> str:
        """The sentence with its date expressions blanked, so "since March 13" gives no figure."""
        text = self.text
        for mention in self.dates:
            text = text[: mention.start] + " " * (mention.end - mention.start) + text[mention.end :]
        return text

    @property
    def says_unknown(self) -> bool:
        return bool(_UNKNOWN.search(self.text))


def kind_match(
    kind: QuestionType, text: str, dates: list[DateMention], asked: Iterable[str] = (), start: bool = False
) -> float:
    """1.0 when the sentence holds the kind of thing the question asks for (a vaguer date less), else 0.0.
    A since-date counts only for a question about a `start`. A place or name counts only if the
    question (its words `asked`) does not name it already; a
    reason counts less when it explains something other than what the question asks about."""
    if kind == "when":
        return max((_PRECISION_VALUE[d.precision] for d in dates if start or not d.since), default=0.0)
    if kind == "why":
        return reason_match(text, dates, set(asked))
    checks: dict[str, Callable[[], bool]] = {
        "how_many": lambda: bool(_NUMBER.search(text)) or bool(_UNKNOWN.search(text)),
        "who": lambda: bool(new_names(set(asked), text)),
        "where": lambda: bool(new_places(set(asked), text)),
    }
    check = checks.get(kind)
    return 1.0 if check is not None and check() else 0.0


def new_names(asked: set[str], text: str) -> list[str]:
    """Who the text names beyond the question's words `asked`: a capitalised name (not a date,
    not the sentence's first word alone) or a title such as "spokesman" or "agency".

    Example: ({"agenc", "cite"}, "This was reported by the Yonhap news agency.") -> ["Yonhap"]
    """
    found = []
    for match in _NAME.finditer(text):
        words = [w for w in match.group().split() if w.lower() not in CALENDAR]
        if not words or (match.start() == 0 and len(words) == 1 and not match.group(1)):
            continue
        if not _all_asked(" ".join(words), asked):
            found.append(" ".join(words))
    return found


def same_word(token: str, other: str) -> bool:
    """Whether two search tokens are one word: equal, or both long and alike in their first five
    letters, as names and their adjectives are spelled several ways ("korea"/"korean",
    "zelenski"/"zelenskyy")."""
    return token == other or (len(token) >= 5 and token[:5] == other[:5])


def holds_word(words: Iterable[str], token: str) -> bool:
    """Whether `words` hold the word `token` (see `same_word`)."""
    return any(same_word(token, w) for w in words)


def _all_asked(name: str, asked: set[str]) -> bool:
    """Whether every word of a name is among the asked words, so "North Korean" is asked by "North Korea's"."""
    return all(t in asked or holds_word(asked, t) for t in tokenize(name))


def new_places(asked: set[str], text: str) -> list[str]:
    """Places the text names (a capitalised name after "in", "to", "near", "the city of"...) beyond
    the question's words `asked` (search tokens).

    Example: ({"fight"}, "fighting in the Kursk region") -> ["Kursk"]
    """
    found = []
    for match in _PLACE_NAME.finditer(text):
        name, after = match.group(1), text[match.end() :].lstrip()
        if name.split()[0].lower() in CALENDAR or name.split()[-1].lower() in BODY_WORDS:
            continue  # "in June": a date; "from the Armed Forces": a body
        if ((DEMONYM.search(name) or _POSSESSIVE.search(name)) and after[:1].islower()) or _ROLE.match(after):
            continue  # "on Russian territory", "on Russia's side", "to Kremlin leader Putin": an attribute
        if " of " in match.group() and asked & set(tokenize(" ".join(text[: match.start()].split()[-2:]))):
            continue  # "the Kursk region of Russia" when Kursk is asked: the asked place, placed
        if not _all_asked(name, asked):
            found.append(name)
    return found


def reason_match(text: str, dates: list[DateMention], asked: set[str]) -> float:
    """1.0 for a reason given for something the question asks about (a word of the question in the
    clause just before "because", "in accordance with" ...), 0.75 for a reason given for something
    else ("The remarks came in response to ..." asked why troops were sent), else 0.0."""
    markers = [m.start() for m in _REASON.finditer(text)] + _causal_since(text, dates)
    if not markers:
        return 0.0
    for at in markers:
        clause = re.split(r"[.;:!?]", text[:at])[-1].split()[-10:]
        if any(_all_asked(word, asked) for word in clause if tokenize(word)):
            return 1.0
    return 0.75


def _causal_since(text: str, dates: list[DateMention]) -> list[int]:
    """Where "since" opens a reason: after a comma ("impossible, since Russia voted for it") or
    before a present-tense verb ("since the US is clinging to it"), not a date ("since August") or
    a time ("the first comment since the agency said")."""
    since_dates = [d for d in dates if d.since]
    return [
        m.start() for m in _CAUSAL_SINCE.finditer(text) if not any(0 <= d.start - m.end() <= 2 for d in since_dates)
    ]


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


@dataclass(frozen=True)
class SentenceFacts:
    """What a sentence says of itself, whatever the question: its dates, stance and speaker."""

    dates: list[DateMention]
    stance: Stance
    speaker: str | None

    @classmethod
    def read(cls, sentence: Sentence, article: StoredArticle) -> SentenceFacts:
        text = sentence.text
        return cls(find_dates(text, article.meta.published), stance(text), speaker(text))


class SentenceStats:
    """What scoring needs to know of all sentences: how rare each word is, and what precedes each sentence.

    A word's weight is its inverse document frequency over sentences, so "Mostov" counts for
    more than "Korea" in a collection about Korea.
    """

    def __init__(self, catalog: Catalog) -> None:
        frequency: Counter[str] = Counter()
        self.previous: dict[str, Sentence] = {}
        self.tokens: dict[str, frozenset[str]] = {}
        self.titles: dict[str, frozenset[str]] = {}
        self.article_tokens: dict[str, list[str]] = {}  # in order
        self.article_words: dict[str, frozenset[str]] = {}
        self.published: dict[str, dt.date | None] = {}
        capitalised: Counter[str] = Counter()
        for article in catalog.articles.values():
            self.titles[article.meta.doc_id] = frozenset(tokenize(article.meta.title or ""))
            self.article_tokens[article.meta.doc_id] = tokenize(article.clean.text)
            self.article_words[article.meta.doc_id] = frozenset(self.article_tokens[article.meta.doc_id])
            self.published[article.meta.doc_id] = article.meta.published
            capitalised.update(capitalisation(article.clean.text))
            before: Sentence | None = None
            for sentence in article.sentences:
                tokens = frozenset(tokenize(sentence.text))
                self.tokens[sentence.sentence_id] = tokens
                frequency.update(tokens)
                if before is not None:
                    self.previous[sentence.sentence_id] = before
                before = sentence
        self._facts: dict[str, SentenceFacts] = {}
        self._names_source: dict[tuple[frozenset[str], str], bool] = {}
        self.names = frozenset(t for t, n in capitalised.items() if n > 0)  # words the articles write as names
        total = max(len(self.tokens), 1)
        self.idf = {t: math.log(1 + total / n) for t, n in frequency.items()}
        self.unseen_idf = math.log(1 + total)

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


Terms = Mapping[str, float]  # question word -> how much it counts (1.0, less for a follow-up's context)


def question_terms(question: Question, settings: EvidenceSettings) -> dict[str, float]:
    """The question's content words, each with its weight: its own words count fully, the words
    of the earlier question a follow-up leans on (its `context`) count `followup_share`.

    Example: "When did the agency say so?" with context "What did the NIS say?" -> {"agenc": 1.0, "nis": 0.5}
    """
    terms = dict.fromkeys(question.terms, 1.0)
    for term in content_terms(question.context or ""):
        terms.setdefault(term, settings.followup_share)
    return terms


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


@dataclass(frozen=True)
class Asked:
    """What a question asks, as sentence scoring reads it."""

    terms: Terms  # content words and how much each counts
    kind: QuestionType
    wants_quote: bool = False  # "what word did they use?": a short quotation answers
    wants_comparison: bool = False  # "what did he compare it to?": a likeness answers
    start: bool = False  # "when did they begin?": a since-date answers
    source: frozenset[str] = frozenset()  # "according to Orlov": the source's words
    periods: tuple[tuple[DateMention, float], ...] = ()  # "in April 2025": dates named, and how much each counts
    focus: frozenset[str] = frozenset()  # "which news agency ...?": what the answer names an instance of

    @classmethod
    def of(cls, question: Question, settings: EvidenceSettings) -> Asked:
        """The question's own words and periods count fully, those of the question it leans on less."""
        own = question.text
        periods = [(d, 1.0) for d in question.periods]
        periods += [(d, settings.followup_share) for d in find_dates(question.context or "", None)]
        return cls(
            question_terms(question, settings),
            question.type,
            bool(_ASKS_WORDING.search(own)),
            bool(_ASKS_COMPARISON.search(own)),
            asks_start(own),
            question.source,
            tuple(periods),
            focus_phrase(own),
        )


def in_period(date: dt.date | None, period: DateMention) -> bool:
    """Whether a date falls in the period a question names, to the precision it names it.

    Example: (2025-04-28, "April 2025") -> True; (2024-10-22, "2025") -> False
    """
    if date is None:
        return False
    if period.precision == "year":
        return date.year == period.date.year
    if period.precision == "month":
        return (date.year, date.month) == (period.date.year, period.date.month)
    return abs((date - period.date).days) <= (6 if period.precision == "week" else 0)


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


def names_source(source: Iterable[str], doc_id: str, stats: SentenceStats) -> bool:
    """Whether the article holds most (by rarity) of the words naming a source, counting only the
    words that set some articles apart and that the articles write as names ("Mostov", not "spy
    agency"), each by `holds_word`."""
    telling = {t for t in source if t in stats.names and stats.articles_with(t) * 2 <= len(stats.article_words)}
    words = stats.article_words.get(doc_id, frozenset())
    total = sum(stats.weight(t) for t in telling)
    held = sum(stats.weight(t) for t in telling if t in words or holds_word(words, t))
    return held >= total / 2


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
