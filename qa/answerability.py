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

It leaves out what the articles contain and how the names are found in a question or a
sentence (`qa.corpus_words`), and what an answerer does when the articles cannot answer
(`qa.answerer`).
"""

from __future__ import annotations

import re

from index.bm25 import tokenize
from qa.answer_kinds import new_places
from qa.corpus_words import CorpusWords, names_in, unknown_names
from qa.evidence import Evidence
from qa.question_terms import content_terms
from qa.questions import asks_start
from qa.request_types import Question, QuestionType

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
        names = {n for n in names_in(evidence[0].text, corpus) if not set(tokenize(n)) <= question_words}
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
