"""What a question asks for: its type, and the words that carry its content, read once into a
`Question` (`parse_question`) that every stage receives.

Rule-based on the question's opening and a few cue phrases; it leaves out any model. The
type decides what kind of evidence answers it: a date for "when", a number for "how many",
a person or body for "who", a place for "where", a reason for "why", a stance for yes/no.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.bm25 import STOP_WORDS, tokenize
from index.normalize import normalize
from qa.conversation import follow_up
from qa.dates import find_dates
from qa.request_types import Question, QuestionType, Turn

_RULES: list[tuple[str, QuestionType]] = [
    (r"\b(how (many|much)|(what|which) (numbers?|figures?|percentage|share|amount|toll)|number of)\b", "how_many"),
    (
        r"\b(when|what (date|day|year|month|time)|which (date|day|year|month)|how long ago|since when)\b",
        "when",
    ),
    (
        r"\b(where|(what|which) (places?|city|cities|regions?|country|countries|ports?|towns?|villages?|parts?|areas?"
        r"|locations?))\b",
        "where",
    ),
    (r"\b(why|what (reason|caused|motivated)|for what reason|on what (basis|grounds))\b", "why"),
    (
        r"\b(who|whom|whose|which (person|official|agency|country|countries|organi[sz]ation|body|group))\b",
        "who",
    ),
    (
        r"^(which|what)\s+((?!(did|does|do|is|was|were|are|has|have|had|will|would|can|could)\b)[\w'’-]+\s+){0,3}?(person|people|officials?|chief|head|spokes\w+|minister|president|leader"
        r"|envoy|ambassador|representative|delegate|general|commander|body|bodies|agency|group|organi[sz]ation"
        r"|committee|commission|ministry)\b",
        "who",
    ),
    (r"^(what|which)\b", "what"),
    (r"^(is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b", "yes_no"),
]
_LEADING_WH = re.compile(r"^(?:(?:in|on|at|from|to|by|since|until)\s+)?(when|where|why|who|whom|whose)\b")
_WH_KIND: dict[str, QuestionType] = {
    "when": "when", "where": "where", "why": "why", "who": "who", "whom": "who", "whose": "who"
}  # fmt: skip
_LEADING_FILLER = re.compile(r"^(and|but|so|ok(ay)?|then|also|now|well)[,\s]+", re.IGNORECASE)
# Question scaffolding and attribution words: they say how to ask, not what about.
_QUESTION_WORDS = (
    "what when where who whom whose which why how many much did does do is are was were tell according per say "
    "says told report reported"
)
QUESTION_TERMS = frozenset(tokenize(_QUESTION_WORDS)) | STOP_WORDS


def parse_question(
    question: str, history: list[Turn] | None = None, respell: Callable[[str], str] | None = None
) -> Question:
    """The question rewritten to stand alone after `history` (`qa.conversation`), its words
    `respell`ed (retrieval's spelling repair), then read for what it asks.

    Example: parse_question("When did they end?", [user "Where did the talks happen?", assistant
    "In Geneva."]) -> Question(text="When did the talks end?", context="Where did the talks
    happen?", type="when", terms={"talk", "end"}, ...)
    """
    standalone, context = follow_up(question, history or [])
    text = respell(standalone) if respell else standalone
    if context and respell:
        context = respell(context)
    return Question(
        text=text, asked=question, standalone=standalone, context=context, type=classify(text),
        terms=frozenset(content_terms(text)), source=frozenset(attributed_source(text)),
        periods=tuple(find_dates(text, None)),
    )  # fmt: skip


def as_question(question: Question | str) -> Question:
    """A question as given, or parsed from text as a standalone question (no conversation, no repair)."""
    return question if isinstance(question, Question) else parse_question(question)


def classify(question: str) -> QuestionType:
    """The question's type. Example: "And when did they admit it?" -> "when"."""
    text = _LEADING_FILLER.sub("", normalize(question).strip().lower())
    if lead := _LEADING_WH.match(text):  # "where was he when he said it?" asks where
        return _WH_KIND[lead.group(1)]
    for pattern, kind in _RULES:
        if re.search(pattern, text):
            return kind
    return "other"


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
    match = _FOCUS.search(_LEADING_FILLER.sub("", normalize(question).strip()))
    if match is None:
        return frozenset()
    words = [w for w in match.group("phrase").split() if not w.lower().endswith("ly") and w.lower() not in _KIND_OF]
    return frozenset(t for t in tokenize(" ".join(words)) if t not in QUESTION_TERMS)


_START = re.compile(r"\b(start\w*|begin\w*|began|begun|kick\w* off|launch\w*|commenc\w*|since when)\b", re.I)


def asks_start(question: str) -> bool:
    """Whether a when-question asks when something began, so "since March 13" answers it."""
    return bool(_START.search(question))


_STANCE = re.compile(
    r"\b(admit\w*|confirm\w*|acknowledg\w*|den(y|ies|ied|ying|ial)|reject\w*|position|still|ever|latest|involve\w*)\b",
    re.I,
)
_POSITION = re.compile(r"\b(position|stance|still|ever|latest|change[sd]?|now)\b", re.I)


def asks_about_position(question: str) -> bool:
    """Whether the question asks for a party's position, current or over time. Example: "Is that still so?" -> True."""
    return bool(_POSITION.search(question))


def about_stance(question: str, kind: QuestionType) -> bool:
    """Whether the answer turns on who confirmed or denied what, and when.

    Example: ("When did North Korea admit it?", "when") -> True; ("Who briefed Putin?", "who") -> False.
    """
    return asks_about_position(question) or (kind in ("yes_no", "when") and bool(_STANCE.search(question)))
