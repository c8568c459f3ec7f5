"""Which way in time a date expression points, read off the verbs next to it.

A date without a year ("on April 2"), a bare weekday ("on Monday") or a month alone ("in June")
names a day before or after publication depending on the verb that governs it: "talks
collapsed on April 2" looks back, "talks will restart on April 2" looks ahead. The nearest
verb cue before the expression decides (walking back to the clause's start); an expression at
the front of its clause ("On April 2, talks will restart") takes the first cue after it.

"would", "could" and "might" stop the search with "either": the future of a past statement may
lie either side of publication (`qa.date_grammar` then takes the nearer). Left out: present tense
used for schedules ("the summit opens on Monday"), which reads as no cue, and any parsing of the
sentence beyond its words.
"""

from __future__ import annotations

import re
from typing import Literal

Tense = Literal["past", "future"]
Direction = Tense | Literal["either"]

# Cues of the future, tried before the past-tense endings ("expected to" is not a past event).
_FUTURE = re.compile(
    r"will|shall|won't|due|upcoming|coming|next|expected to|scheduled|set to|plans? to|planned|going to"
    r"|(?:is|are|am) to|intends? to|aims? to",
    re.IGNORECASE,
)
_PAST_WORDS = frozenset({
    "was", "were", "had", "did", "ago", "last", "earlier", "previously", "said", "told", "met", "began", "came",
    "went", "left", "held", "made", "took", "gave", "fell", "rose", "won", "lost", "sent", "spent", "struck",
    "broke", "brought", "built", "bought", "caught", "fought", "found", "got", "heard", "kept", "knew", "led",
    "paid", "ran", "saw", "sold", "stood", "thought", "wrote", "spoke", "shot", "flew", "drove", "threw", "chose",
    "grew", "hid", "forgot", "froze", "swore", "tore", "woke", "withdrew", "arose"
})  # fmt: skip
# "would reopen on Monday", "could resume in June": the future of a past statement, either side of publication.
_EITHER = frozenset({"would", "could", "might", "should"})
_BE = frozenset({"be", "been", "being", "is", "are", "was", "were"})
_NOT_PAST = frozenset({"need", "indeed", "seed", "speed", "feed", "breed", "bed", "red", "shed", "hundred", "embed"})
_TOKEN = re.compile(r"[A-Za-z'’]+(?:\s+to\b)?")  # a word, with a following "to" kept on it: "expected to"
_CLAUSE_END = re.compile(r"[.;:!?]")
_REACH = 8  # words looked at on either side of the expression


def _cue(token: str) -> Direction | None:
    """Example: "will" -> "future"; "expected to" -> "future"; "collapsed" -> "past"; "would" -> "either";
    "talks" -> None"""
    word = token.split()[0].lower().replace("’", "'")
    if word in _EITHER:
        return "either"
    if _FUTURE.fullmatch(" ".join(token.lower().split())) or _FUTURE.fullmatch(word) or word.endswith("'ll"):
        return "future"
    if word in _PAST_WORDS or (word.endswith("ed") and len(word) > 3 and word not in _NOT_PAST):
        return "past"
    return None


def _first_cue(tokens: list[str], backwards: bool = False) -> Direction | None:
    """The first cue among `tokens` (in reading order, or backwards from a date); a participle after a form
    of "be" is no cue of its own: "will be held" reads as "will"."""
    for index, token in enumerate(tokens[:_REACH]):
        neighbour = index + 1 if backwards else index - 1
        before = tokens[neighbour] if 0 <= neighbour < len(tokens) else ""
        if (tense := _cue(token)) is not None and not (tense == "past" and before.lower() in _BE):
            return tense
    return None


def tense_at(text: str, start: int, end: int) -> Direction | None:
    """The direction of the date expression at text[start:end], or None when no verb says.

    Example: "Talks will restart on April 2.", (22, 29) -> "future";
    "Talks collapsed on April 2.", (19, 26) -> "past"; "It would restart on April 2.", (20, 27) -> "either";
    "Talks on April 2.", (9, 16) -> None
    """
    before = _TOKEN.findall(_CLAUSE_END.split(text[:start])[-1])
    after = _TOKEN.findall(_CLAUSE_END.split(text[end:])[0])
    return _first_cue(before[::-1], backwards=True) or _first_cue(after)


def question_tense(question: str) -> Tense | None:
    """Which way a question looks: "When did the talks collapse?" -> "past"; "When will they meet?" -> "future"."""
    cue = _first_cue(_TOKEN.findall(question))
    return None if cue == "either" else cue
