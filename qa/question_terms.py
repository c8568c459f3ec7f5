"""The words of a question that say what it is about: its content terms (`content_terms`), the source
it attributes its claim to (`attributed_source`) and the thing a which/what question asks for an instance
of (`focus_phrase`).

Rules over search tokens, capitals and a few cue phrases; it leaves out any model or list of names, and
what kind of answer the question wants (its type, whether it asks when something began or about a
stance), which is `qa.questions`' reading.
"""

from __future__ import annotations

import re

from index.bm25 import STOP_WORDS, tokenize
from index.normalize import normalize

LEADING_FILLER = re.compile(r"^(and|but|so|ok(ay)?|then|also|now|well)[,\s]+", re.IGNORECASE)
# Question scaffolding and attribution words: they say how to ask, not what about.
_QUESTION_WORDS = (
    "what when where who whom whose which why how many much did does do is are was were tell according per say "
    "says told report reported"
)
QUESTION_TERMS = frozenset(tokenize(_QUESTION_WORDS)) | STOP_WORDS


def content_terms(question: str) -> set[str]:
    """Stemmed words that carry the question's content (no stop or question words).

    Example: "How many troops did North Korea send?" -> {"troop", "north", "korea", "send"}
    """
    return {t for t in tokenize(question) if t not in QUESTION_TERMS and len(t) > 1}


_SAYING = (
    r"(say|said|claim(?:ed)?|report(?:ed)?|state[d]?|tell|told|announce[d]?|estimate[d]?|call(?:ed)?|describe[d]?"
    r"|compare[d]?)"
)
_SOURCE = re.compile(
    r"\baccording to (?P<the>the )?(?P<after>[^,?;]+?)(?=\s*(?:[,?;]|$|\b(?:what|when|where|who|why|how|which|did|does"
    r"|do|is|are|was|were|has|have)\b))"
    rf"|\b(?:did|does|do|has|have|had)\s+(?P<the2>the\s+)?(?P<before>(?!(?:it|they|he|she|them|that|this|anyone|anybody"
    rf"|someone|somebody)\b)(?:(?!(?:to|use|about|that|if|how|when|why|what)\b)[\w'’.-]+\s+){{0,3}}?[\w'’.-]+)\s+{_SAYING}\b",
    re.I,
)
_PRONOUN_SOURCE = frozenset({"it", "they", "he", "she", "them", "that", "this", "its", "their", "his", "her"})


def attributed_source(question: str) -> set[str]:
    """The content words of the source a question attributes its claim to, if it names one. In a
    question written with capitals, only the capitalised words name it ("the agency" names no one).

    Example: "According to Mostov, why ...?" -> {"mostov"}; "How many did Ukraine's General Staff
    say were killed?" -> {"ukrain", "general", "staff"}; "Did it say so?" -> set().
    """
    match = _SOURCE.search(normalize(question))
    if match is None:
        return set()
    words = match.group("after") or match.group("before") or ""
    if set(words.lower().split()) <= _PRONOUN_SOURCE:
        return set()
    if question[1:] != question[1:].lower():  # a cased question names its sources with capitals
        words = " ".join(w for w in words.split() if w[:1].isupper())
    elif (match.group("the") or match.group("the2")) and len(words.split()) == 1:
        return set()  # "the agency": a description, most likely of a source named before
    return content_terms(words)


_FOCUS = re.compile(
    r"^(?:(?:in|at|from|to|by|on|for|with)\s+)?(?:which|what)\s+(?P<phrase>(?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+"
    r"(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could|said|says|told|\w+ed)\b",
    re.I,
)
_KIND_OF = frozenset({"kind", "kinds", "sort", "sorts", "type", "types", "of"})


def focus_phrase(question: str) -> frozenset[str]:
    """The words (stemmed) of the thing a which/what question asks for an instance of, which an
    answer naming it most likely repeats whole. Example: "Which news agency was cited?" ->
    {"news", "agenc"}; "Which NATO chief warned?" -> {"nato", "chief"}."""
    match = _FOCUS.search(LEADING_FILLER.sub("", normalize(question).strip()))
    if match is None:
        return frozenset()
    words = [w for w in match.group("phrase").split() if not w.lower().endswith("ly") and w.lower() not in _KIND_OF]
    return frozenset(t for t in tokenize(" ".join(words)) if t not in QUESTION_TERMS)
