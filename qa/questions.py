"""What a question asks for: its type, and whether it asks when something began or about a stance,
read once with its words into a `Question` (`parse_question`) that every stage receives.

Rule-based on the question's opening and a few cue phrases; it leaves out any model, and finding
the words that carry its content, the source it names and its focus phrase (`qa.question_terms`).
The type decides what kind of evidence answers it: a date for "when", a number for "how many",
a person or body for "who", a place for "where", a reason for "why", a stance for yes/no.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.normalize import normalize
from qa.conversation import follow_up
from qa.dates import find_dates
from qa.question_terms import LEADING_FILLER, attributed_source, content_terms
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
    text = LEADING_FILLER.sub("", normalize(question).strip().lower())
    if lead := _LEADING_WH.match(text):  # "where was he when he said it?" asks where
        return _WH_KIND[lead.group(1)]
    for pattern, kind in _RULES:
        if re.search(pattern, text):
            return kind
    return "other"


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
