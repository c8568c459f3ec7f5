"""Rewrite a chat follow-up into a question that stands on its own.

Rules over the previous turns, no model:
- "he/she" become the person the previous answer's first sentence names ("NATO Secretary
  General Mark Rutte said ..." -> "Mark Rutte"), else the person or role the previous question
  asks about ("who is jo park?", "the Kremlin spokesman"); never a pronoun or a lone capitalised
  word such as "We".
- "they" is the previous question's subject when the follow-up's verb needs an actor (deny,
  admit, say, respond: after "Did the NIS say North Korea sent troops?", "when did they say so?"
  is about the NIS); else its plural noun phrase ("where were they sent?" -> "North Korean
  troops"); else the subject of the claim it reports. "them" is the plural noun phrase.
- "it/that" become the previous yes/no question's topic ("Did X deny Y?" -> Y), or else the
  previous question is kept beside it as its context, as it is when a pronoun stays vague.
- The previous question's dates ("in October 2024", "last week") are dropped when the follow-up
  is about another time ("later", "now", "still" or its own date).
- "what about X?" swaps the subject (or the period) for X; "who said that?" quotes the previous
  answer; "how many were ..." borrows the counted noun.
A question that needs none of this is returned unchanged. It leaves out possessives
("his", "their") and anything that needs a parser or a list of names; finding what the earlier
turns name, and their periods, is `qa.referents`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from qa.answer_types import ABSTAIN_TEXT
from qa.referents import (
    PERIOD,
    STANCE_VERB,
    about_another_time,
    actor,
    asked_person,
    named_person,
    plural_phrase,
    subject,
    topic,
    without_period,
)
from qa.request_types import Turn

_FILLER = re.compile(r"^\s*(and|but|so|ok(ay)?|then|also|now)\b[,\s]*", re.I)
_SWAP = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*\??\s*$", re.I)
_GROUP = re.compile(r"\b(they|them)\b", re.I)
_PERSON = re.compile(r"\b(he|she|him|her)\b", re.I)
_THING = re.compile(r"\b(it|that|this)\b(?!\s+(is|was|has|had|were|are)\b)", re.I)
_SAID_THAT = re.compile(
    r"^\s*who\s+(?:\w+\s+)?(said|say|says|claimed|claim|stated|wrote)\s+(that|this|it)\s*\??\s*$", re.I
)
_YES_NO = re.compile(r"^\s*(did|does|do|has|have|had|is|are|was|were|will|would|can|could)\b", re.I)
_QUOTE = re.compile(r"[“\"]([^”\"]{20,})[”\"]")
_COUNT_VERB = re.compile(r"\bhow many\s+(?=(were|are|was|have|had|did|do|will|would|had)\b)", re.I)
_SAYING = re.compile(rf"\b{STANCE_VERB}\b|\b(report\w*|announc\w*|stat(e|ed|ement)|told|tell)\b", re.I)

# Whom "they" can mean: an actor for these verbs, else a plural noun phrase.
_ACTOR_VERB = re.compile(rf"{_SAYING.pattern}|\b(respond|react|repl[yi]|comment|refus|reject|apologi[sz])\w*", re.I)
_PARTICIPLE = r"(?:\w+\s+)?(?:\w+(?:ed|en|wn|t)|told|held|paid|sold|led)\b"
_PASSIVE = re.compile(
    rf"\b(?:were|are)\s+they\s+{_PARTICIPLE}|\bthey\s+(?:were|are|had been|have been)\s+{_PARTICIPLE}", re.I
)


class FollowUp(NamedTuple):
    """A question rewritten to stand alone, and the earlier question it still leans on, if any.

    Example: after "Where did the talks happen?", "When did they end?" ->
    FollowUp("When did the talks end?", "Where did the talks happen?")
    """

    text: str
    context: str | None = None


def _claim(answer: str) -> str:
    """What "that" most likely points at in an answer: its longest quotation, else its first real sentence."""
    answer = re.sub(r"\s*\[\d+\]", "", answer).strip()
    quotes = _QUOTE.findall(answer)
    if quotes:
        return " ".join(max(quotes, key=len).split()[:25]).rstrip(".,")
    sentences = [s for s in re.split(r"(?<=[.!?])\s", answer) if len(s.split()) >= 5] or [answer]
    return " ".join(sentences[0].split()[:25]).rstrip(".")


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
        return FollowUp(f'Who said "{_claim(last_answer)}"?')
    if not subject(text):
        text = _resolve_people(text, previous, last_answer)
    if _COUNT_VERB.search(text) and (noun := _found_in(_counted_noun, previous)):
        text = _COUNT_VERB.sub(f"how many {noun} ", text)
    if _YES_NO.match(previous.text) and (about := topic(previous.text)):
        text = _THING.sub(about, text, count=1)
    context = previous.text if _leans_on(text, question) else None
    return FollowUp(text[0].upper() + text[1:] if text else question, context)


def _found_in(find: Callable[[str], str | None], previous: FollowUp) -> str | None:
    """What `find` finds in the previous question's own words, else in the question it leaned on."""
    return find(previous.text) or (find(previous.context) if previous.context else None)


def _leans_on(text: str, question: str) -> bool:
    """Whether a rewritten follow-up still needs the previous question to be understood.

    Examples: "Where was it signed?" and "When did the talks end?" (was "When did they end?") do;
    "When did Acme admit closing the plant?" does not.
    """
    if _THING.search(text) or re.search(r"\bthere\b", text, re.I):
        return True
    vague = len(text.split()) <= 4 or _GROUP.search(question) or _PERSON.search(question)
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


def _resolve_people(text: str, previous: FollowUp, last_answer: str | None) -> str:
    """Put whom "they", "them" and "he/she" most likely mean in their place (the first of each)."""
    first_sentence = re.split(r"(?<=[a-z\d\"”)\]][.!?])\s+", re.sub(r"\s*\[\d+\]", "", last_answer or ""))[0]
    person = named_person(first_sentence) or _found_in(asked_person, previous)
    them = plural_phrase(previous.text) or _found_in(actor, previous) or _found_in(subject, previous)
    for pronoun, name in ((r"\bthey\b", _they(text, previous)), (r"\bthem\b", them), (_PERSON.pattern, person)):
        if name:
            text = re.sub(pronoun, name, text, count=1, flags=re.I)
    return text


def _they(text: str, previous: FollowUp) -> str | None:
    """Whom "they" means: an actor when the verb needs one, else the plural noun phrase.

    Examples after "Did the Bureau say Acme's trucks were sent?": "when did they deny it?" -> "Bureau";
    "when were they sent?" -> "Acme's trucks"; "did they send them?" -> "Acme"
    """
    if not _PASSIVE.search(text) and _ACTOR_VERB.search(text):
        return _found_in(subject, previous)
    if not _PASSIVE.search(text) and re.search(r"\bthem\b", text, re.I):
        return _found_in(actor, previous) or _found_in(subject, previous)
    return plural_phrase(previous.text) or _found_in(actor, previous) or _found_in(subject, previous)


def _counted_noun(previous: str) -> str | None:
    match = re.search(r"\b(?:how many|[\d,]+|thousands of)\s+(\w+)", previous, re.I)
    return match.group(1) if match else None
