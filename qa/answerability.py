"""Decide that the articles cannot answer a question, from what the question asks for.

Topic similarity cannot tell "how many troops were sent?" (answered) from "how much was
Russia paying?" (not answered): both match the same passages. What differs is the slot the
question asks to fill. The checks, each generic:
- a name the question mentions (capitalised, e.g. "Xi Jinping") that no article contains;
- a source the question cites ("did Ukraine's General Staff say") whose name-words no article
  writes together;
- a question for a person's name whose evidence names no one new (a name is a run of
  capitalised words, none of them common across the articles, that the question lacks, and
  not a body, a place or an adjective);
- a question for a quantity whose evidence has no number beside its rarest content word,
  unless the evidence says the figure is unknown; the numbers of dates ("March 13") are not
  quantities, and a question for a price or value ("how much ... worth") needs a sum of money;
- a question for a place whose best evidence names no place beyond those the question names;
- a question for when something happened whose best evidence dates only the report of it
  ("NIS said last Friday that troops are being prepared to join the front") unless the
  question asks about the saying, or gives no date at all and is not in its article's lede.
Evidence that says the thing asked for is unknown ("the number ... is not specified")
answers instead, but only for that kind of thing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Set

from index.bm25 import tokenize
from qa.answer_kinds import BODY_WORDS, CALENDAR, DEMONYM, holds_word, new_places, same_word
from qa.corpus_stats import capitalisation
from qa.evidence import Evidence
from qa.questions import asks_start, content_terms
from qa.types import Question, QuestionType

_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
_NAME_QUESTION = re.compile(r"\b(name of|who (is|was|are|were)\b|named|called what)", re.I)
_NUMBER = re.compile(r"\d[\d,.]*")
_MONEY_QUESTION = re.compile(r"\b(worth|cost|costs|price|value|valued|paid|pay|paying|spent|spend|fund\w*)\b", re.I)
_MONEY = re.compile(
    r"[$€£¥₩]\s?\d|\b\d[\d,.]*\s*(million|billion|trillion)?\s*"
    r"(dollars?|usd|euros?|won|rubles?|roubles?|yuan|pounds?|yen)\b",
    re.I,
)
# Verbs of saying: a date next to one dates the statement, not the event it reports.
_REPORTING = re.compile(
    r"^(said|says|told|tells|reported|reports|announced|announces|stated|states|claimed|claims|noted|added|wrote"
    r"|published|cited|citing|briefed|according)$",
    re.I,
)
# Question verbs that ask about a statement itself, so its date is the answer.
_ABOUT_SAYING = re.compile(
    r"\b(say|said|tell|told|report\w*|announc\w*|stat(e|ed|ement)|claim\w*|confirm\w*|den(y|ied|ial)|admit\w*"
    r"|acknowledg\w*|comment\w*|condemn\w*|warn\w*|call\w*|urg\w*|reveal\w*|disclos\w*|releas\w*|publish\w*"
    r"|issu\w*|respond\w*|react\w*|brief\w*|post\w*|write|wrote|speak|spoke|talk\w*|reject\w*|convene\w*|meet|met)\b",
    re.I,
)
# What a sentence that says "... is not known" must be about to answer each kind of question.
_UNKNOWN_SUBJECT = {
    "how_many": re.compile(
        r"\b(number|numbers|figures?|toll|losses|casualt\w*|size|strength|how many|count|amount)\b", re.I
    ),
    "where": re.compile(r"\b(location|where|whereabouts|place|site)\b", re.I),
    "when": re.compile(r"\b(date|when|timing|time)\b", re.I),
    "who": re.compile(r"\b(identity|identities|name|names|who)\b", re.I),
}
_CLAUSE_BREAK = re.compile(r"[,;:(—–]|\bthat\b")
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


def _names_in(text: str, corpus: CorpusWords) -> set[str]:
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


def unanswerable_reason(asked: Question, evidence: list[Evidence], corpus: CorpusWords) -> str | None:
    """Why the articles cannot answer, or None when they may. The question's words are read with
    those of the earlier question it leans on; its source and what it asks about, without."""
    question, kind = asked.with_context, asked.type
    if missing := unknown_names(question, corpus):
        return f"the articles never mention {', '.join(missing)}"
    if asked.source and not corpus.cites(asked.source):
        return "no article cites that source"
    if any(e.says_unknown and _unknown_is_asked(kind, e.text) for e in evidence[:2]):
        return None
    question_words = set(tokenize(question))
    if _NAME_QUESTION.search(question):
        names = {n for n in _names_in(evidence[0].text, corpus) if not set(tokenize(n)) <= question_words}
        if not names:
            return "no one is named"
    if kind == "how_many" and not _has_quantity_for(question, evidence, corpus):
        return "no figure is given"
    if kind == "where" and not new_places(question_words, evidence[0].text):
        return "no place is named beyond the question's own"
    if kind == "when" and not _ABOUT_SAYING.search(asked.text) and dates_only_the_report(evidence[0]):
        return "the articles date only the report of it"
    dated = any(not d.since or asks_start(question) for d in evidence[0].dates)
    if kind == "when" and not dated and not _in_lede(evidence[0]):
        return "the articles do not date it"
    return None


def _unknown_is_asked(kind: QuestionType, text: str) -> bool:
    """Whether what a sentence says is unknown is the kind of thing the question asks for:
    "the number and losses are not specified" answers "how many?", not "where?"."""
    subject = _UNKNOWN_SUBJECT.get(kind)
    return subject is None or bool(subject.search(text))


def _in_lede(e: Evidence, sentences: int = 3) -> bool:
    """Whether the sentence opens its article, where news reports what happened on the day it was
    published; further down, an undated sentence is background of any age ("Russia itself voted
    for the resolution"), so the publication date cannot date it."""
    return any(s.sentence_id == e.sentence.sentence_id for s in e.article.sentences[:sentences])


def dates_only_the_report(e: Evidence) -> bool:
    """Whether every date of the sentence belongs to a verb of saying ("since August" never does).

    Example: "The NIS said last Friday that troops are being prepared to join the front." -> True;
    "Kim Jong Un visited Russia in September last year, officials said." -> False.
    """
    return bool(e.dates) and all(not d.since and _reporting_verb_of(e.text, d.start, d.end) for d in e.dates)


def _reporting_verb_of(text: str, start: int, end: int) -> bool:
    """Whether the verb a date attaches to is one of saying: the word just before it (past a
    preposition such as "on"), or, for a date opening its clause, the first verb after it."""
    before = re.findall(r"[\w'’]+", text[:start])
    while before and before[-1].lower() in {"on", "in", "last", "this", "early", "late", "earlier", "here"}:
        before.pop()
    if before and _REPORTING.match(before[-1]):
        return True
    head = _CLAUSE_BREAK.split(text[:start])[-1].strip()
    if re.fullmatch(r"(?i)(on|in|as of|by|from|since)?\s*", head):
        for word in re.findall(r"[\w'’]+", _CLAUSE_BREAK.split(text[end:].lstrip(" ,"), maxsplit=1)[0])[:14]:
            if _REPORTING.match(word):
                return True
            if word[0].islower() and word.endswith("ed"):
                return False
    return False


def _has_quantity_for(question: str, evidence: list[Evidence], corpus: CorpusWords) -> bool:
    """Some sentence gives a number the question did not, beside a telling word of the question."""
    telling = {t for t in content_terms(question) if not corpus.is_common(t)}
    asked_numbers = set(_NUMBER.findall(question))
    wants_money = bool(_MONEY_QUESTION.search(question))
    for e in evidence[:5]:
        text = e.text_without_dates
        numbers = set(_NUMBER.findall(text)) - asked_numbers
        if wants_money and not _MONEY.search(text):
            continue
        if numbers and (not telling or telling & set(tokenize(e.text))):
            return True
    return False
