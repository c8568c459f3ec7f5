"""Rewrite a chat follow-up into a question that stands on its own.

Rules over the previous turns, no model: "they/he/she" become the previous question's
subject (for "they", the subject of the claim it reports, unless the follow-up asks about
the saying: after "Did the NIS say North Korea sent troops?", "when did they leave?" is
about North Korea and "when did they say so?" about the NIS); "it/that" become the previous
yes/no question's topic ("Did X deny Y?" -> Y), or else the previous question is appended
as context; "what about X?" swaps the subject for X;
"who said that?" quotes the previous answer; "how many were ..." borrows the counted noun.
A question that needs none of this is returned unchanged.
"""

from __future__ import annotations

import re

from qa.types import Turn

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
_ENTITY = re.compile(r"\b(?:[A-Z][\w'’.-]*)(?:\s+(?:of\s+the\s+|of\s+)?[A-Z][\w'’.-]*)*")
_NOT_ENTITY = {"When", "Did", "Does", "Do", "What", "Who", "Where", "Why", "How", "Which", "Is", "Are", "Was",
               "Were", "Has", "Have", "And", "But", "So", "The", "A", "In", "On", "According", "I"}  # fmt: skip
_STANCE_VERB = r"(?:deny|denied|denies|admit|admitted|confirm|confirmed|acknowledge|acknowledged|say|said|claim\w*)"
_SAYING = re.compile(rf"\b{_STANCE_VERB}\b|\b(report\w*|announc\w*|stat(e|ed|ement)|told|tell)\b", re.I)
_REPORTED = re.compile(
    r"\b(?:say|said|says|claim\w*|report\w*|announc\w*|state[sd]?|told)\s+(?:that\s+)?(?P<claim>.+)", re.I
)
_AUX = r"(?:did|does|do|has|have|had|is|are|was|were|will|would|can|could|ever|still|officially|publicly)"


def subject(question: str) -> str | None:
    """The first named thing in a question. Example: "Did North Korea deny it?" -> "North Korea"."""
    for match in _ENTITY.finditer(question):
        words = match.group().split()
        while words and words[0] in _NOT_ENTITY:
            words.pop(0)
        if words:
            return re.sub(r"['’]s$", "", " ".join(words))
    return None


def actor(question: str) -> str | None:
    """The first named thing of the claim a question reports, not its source.

    Example: "Where did the NIS say North Korea's troops were sent?" -> "North Korea"
    """
    reported = _REPORTED.search(question)
    return subject(reported.group("claim")) if reported else None


def topic(question: str, subject_text: str | None) -> str | None:
    """What the question is about, less its question words, subject and stance verb.

    Example: "Did North Korea deny sending troops to Russia?" -> "sending troops to Russia"
    """
    text = question.strip().rstrip("?")
    if subject_text:
        text = text.replace(subject_text, " ")
    text = re.sub(rf"^\W*(\w+\s+)?({_AUX}\s+)*", "", text, flags=re.I)
    text = re.sub(rf"^\s*({_AUX}\s+)*{_STANCE_VERB}\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"^(that|about)\s+", "", text.strip(), flags=re.I)
    return text.strip() or None


CONTEXT = re.compile(r"\s*\(following: (?P<earlier>.*)\)\s*$")


def own_words(standalone: str) -> str:
    """A rewritten question without the context appended to it. Example: "When? (following: X)" -> "When?"."""
    return CONTEXT.sub("", standalone)


def leaned_on(standalone: str) -> str:
    """The earlier question a follow-up carries as context, or "". Example: "When? (following: X)" -> "X"."""
    match = CONTEXT.search(standalone)
    return match.group("earlier") if match else ""


def _claim(answer: str) -> str:
    """What "that" most likely points at in an answer: its longest quotation, else its first real sentence."""
    answer = re.sub(r"\s*\[\d+\]", "", answer).strip()
    quotes = _QUOTE.findall(answer)
    if quotes:
        return " ".join(max(quotes, key=len).split()[:25]).rstrip(".,")
    sentences = [s for s in re.split(r"(?<=[.!?])\s", answer) if len(s.split()) >= 5] or [answer]
    return " ".join(sentences[0].split()[:25]).rstrip(".")


def rewrite(question: str, history: list[Turn]) -> str:
    """The standalone form of `question` after `history` (each earlier user turn rewritten too)."""
    previous: str | None = None
    last_answer: str | None = None
    for turn in history:
        if turn.role == "user":
            previous = _rewrite_one(turn.content, previous, last_answer)
        else:
            last_answer = turn.content
    return _rewrite_one(question, previous, last_answer)


def _rewrite_one(question: str, previous: str | None, last_answer: str | None) -> str:
    if previous is None:
        return question.strip()
    who = subject(previous)
    if (swap := _SWAP.match(question)) and who:
        return previous.replace(who, swap.group("x").strip(), 1)
    text = _FILLER.sub("", question).strip()
    if _SAID_THAT.search(text) and last_answer:
        return f'Who said "{_claim(last_answer)}"?'
    person = subject(last_answer) if last_answer else None
    group = who if _SAYING.search(text) else actor(previous) or who
    for pronoun, name in ((_GROUP, group), (_PERSON, person)):
        if name and pronoun.search(text) and not subject(text):
            text = pronoun.sub(name, text, count=1)
    if _COUNT_VERB.search(text) and (noun := _counted_noun(previous)):
        text = _COUNT_VERB.sub(f"how many {noun} ", text)
    if _THING.search(text) or re.search(r"\bthere\b", text, re.I):
        about = topic(previous, who) if _YES_NO.match(previous) else None
        text = _THING.sub(about, text, count=1) if about else f"{text} (following: {previous})"
    elif len(text.split()) <= 4 and not subject(text):
        text = f"{text} (following: {previous})"
    return text[0].upper() + text[1:] if text else question


def _counted_noun(previous: str) -> str | None:
    match = re.search(r"\b(?:how many|[\d,]+|thousands of)\s+(\w+)", previous, re.I)
    return match.group(1) if match else None
