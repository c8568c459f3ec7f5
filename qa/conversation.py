"""Rewrite a chat follow-up into a question that stands on its own.

Rules over the previous turns, no model:
- "he/she", "they/them", the "that" of "who said that?" and the noun "how many were ..." leaves
  out are put back from the previous question and answer; what they point at is `qa.pronouns`.
- "it/that" become the previous yes/no question's topic ("Did X deny Y?" -> Y), or else the
  previous question is kept beside it as its context, as it is when a pronoun stays vague.
- The previous question's dates ("in October 2024", "last week") are dropped when the follow-up
  is about another time ("later", "now", "still" or its own date).
- "what about X?" swaps the subject (or the period) for X.
A question that needs none of this is returned unchanged. It leaves out possessives
("his", "their") and anything that needs a parser or a list of names; finding what the earlier
turns name, and their periods, is `qa.referents`.
"""

from __future__ import annotations

import re

from qa.answer_types import ABSTAIN_TEXT
from qa.pronouns import GROUP, PERSON, claim, counted_noun, found_in, resolve_people
from qa.referents import PERIOD, about_another_time, subject, topic, without_period
from qa.request_types import FollowUp, Turn

_FILLER = re.compile(r"^\s*(and|but|so|ok(ay)?|then|also|now)\b[,\s]*", re.I)
_SWAP = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*\??\s*$", re.I)
_THING = re.compile(r"\b(it|that|this)\b(?!\s+(is|was|has|had|were|are)\b)", re.I)
_SAID_THAT = re.compile(
    r"^\s*who\s+(?:\w+\s+)?(said|say|says|claimed|claim|stated|wrote)\s+(that|this|it)\s*\??\s*$", re.I
)
_YES_NO = re.compile(r"^\s*(did|does|do|has|have|had|is|are|was|were|will|would|can|could)\b", re.I)
_COUNT_VERB = re.compile(r"\bhow many\s+(?=(were|are|was|have|had|did|do|will|would|had)\b)", re.I)


def follow_up(question: str, history: list[Turn]) -> FollowUp:
    """The standalone form of `question` after `history` (each earlier user turn rewritten too)."""
    previous: FollowUp | None = None
    last_answer: str | None = None
    for turn in history:
        if turn.role == "user":
            previous = _rewrite_one(turn.content, previous, last_answer)
        else:
            last_answer = None if turn.content.strip().startswith(ABSTAIN_TEXT) else turn.content  # nothing to refer to
    return _rewrite_one(question, previous, last_answer)


def rewrite(question: str, history: list[Turn]) -> str:
    """The standalone text alone, without the context a follow-up may lean on (see `follow_up`)."""
    return follow_up(question, history).text


def _rewrite_one(question: str, previous: FollowUp | None, last_answer: str | None) -> FollowUp:
    """One follow-up rewritten after the previous (already standalone) question and the answer to it."""
    if previous is None:
        return FollowUp(question.strip())
    if about_another_time(question):
        previous = FollowUp(without_period(previous.text), previous.context and without_period(previous.context))
    if (swap := _SWAP.match(question)) and (swapped := _swapped(previous.text, swap.group("x").strip())):
        return FollowUp(swapped, previous.context)
    text = _FILLER.sub("", question).strip()
    if _SAID_THAT.search(text) and last_answer:
        return FollowUp(f'Who said "{claim(last_answer)}"?')
    if not subject(text):
        text = resolve_people(text, previous, last_answer)
    if _COUNT_VERB.search(text) and (noun := found_in(counted_noun, previous)):
        text = _COUNT_VERB.sub(f"how many {noun} ", text)
    if _YES_NO.match(previous.text) and (about := topic(previous.text)):
        text = _THING.sub(about, text, count=1)
    context = previous.text if _leans_on(text, question) else None
    return FollowUp(text[0].upper() + text[1:] if text else question, context)


def _leans_on(text: str, question: str) -> bool:
    """Whether a rewritten follow-up still needs the previous question to be understood.

    Examples: "Where was it signed?" and "When did the talks end?" (was "When did they end?") do;
    "When did Acme admit closing the plant?" does not.
    """
    if _THING.search(text) or re.search(r"\bthere\b", text, re.I):
        return True
    vague = len(text.split()) <= 4 or GROUP.search(question) or PERSON.search(question)
    return bool(vague) and not subject(text)


def _swapped(previous: str, new: str) -> str | None:
    """The previous question about `new` instead of its period or subject, if it has one.

    Examples: "Did Acme confirm the layoffs in 2023?" + "last year" -> "Did Acme confirm the layoffs last year?";
    + "Globex" -> "Did Globex confirm the layoffs in 2023?"
    """
    if PERIOD.fullmatch(new):
        return f"{without_period(previous).rstrip('?')} {new}?"
    who = subject(previous)
    return previous.replace(who, new, 1) if who else None
