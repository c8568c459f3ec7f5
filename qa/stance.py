"""Who says what, and whether it asserts, denies or confirms: read off one sentence.

A small lexicon, on purpose: news reports mark stance with a handful of verbs ("denied",
"confirmed", "rejected", "refused to confirm"). Negated confirmation counts as denial; declining
to comment, or neither confirming nor denying, counts as silence and only reports. Only grammar
is read, no story's vocabulary: "called the reports fake" is no denial, since no verb of denial
is there. It leaves out coreference: "he said" names no one, and `speaker` returns None.
"""

from __future__ import annotations

import re
from typing import Literal

from index.normalize import normalize

Stance = Literal["asserts", "denies", "confirms", "reports"]
POSITIONS: tuple[Stance, ...] = ("confirms", "denies")  # the stances that state a position

# Negation, then within a few words the verb it negates: "refused to confirm", "has not yet commented".
_NEGATION = (
    r"\b(refus\w* to|declin\w* to|(could|did|does|do|has|have|had|would)( not|n't)|not yet|neither|nor|no|without)\b"
)
_NEAR = r"[\w\s,]{0,40}?"
_NEGATED_CONFIRM = re.compile(rf"{_NEGATION}{_NEAR}\b(confirm\w*|admit\w*|acknowledg\w*)", re.IGNORECASE)
# Saying nothing either way is silence, not denial: "declined to comment", "neither confirmed nor denied".
_SILENT = re.compile(
    rf"\b(confirm\w* (or|nor) den(y|ied)|(remained|kept|stayed) silent|no comment)\b|{_NEGATION}{_NEAR}\bcomment",
    re.IGNORECASE,
)
_CONFIRM = re.compile(r"\b(confirm(s|ed)?|admit(s|ted)?|acknowledg(e|es|ed)|conceded?)\b", re.IGNORECASE)
_DENY = re.compile(r"\b(den(y|ies|ied)|reject(s|ed)?|dismiss(es|ed)?)\b", re.IGNORECASE)
_ASSERT = re.compile(
    r"\b(said|says|claim(s|ed)?|reveal(s|ed)?|alleg\w*|accus\w*|warn(s|ed)?|condemn\w*|urg(e|es|ed))\b",
    re.IGNORECASE,
)
_SPEECH = (
    r"(said|says|told|added|wrote|stated|claimed|confirmed|denied|reported|revealed|announced|noted"
    r"|urged|condemned|called|warned|concluded|refused|rejected|dismissed|admitted"
    r"|acknowledged)"
)
# Adverbs that stand between a speaker and the verb: "Acme officially confirmed", "officials here said".
_ADVERBS = (
    r"also|has|have|had|was|were|is|strongly|officially|firmly|then|later|here|reportedly|publicly"
    r"|again|already|recently|previously|in turn|for the first time"
)
_BETWEEN = rf"(?:(?:{_ADVERBS})[\s,]+){{0,3}}"
_SPEAKER_BEFORE = re.compile(rf"(?P<who>[A-Z][^.,;:“”\"]{{2,120}})\s+{_BETWEEN}{_SPEECH}\b")
_SPEAKER_AFTER = re.compile(
    rf"[,”\"]\s*{_SPEECH}\s+(?P<who>\w[^,.;“”\"]{{2,80}}?)(?=\s+(?:during|at|in|on|to|after)\b|[,.;]|$)"
)
_ACCORDING = re.compile(r"\baccording to (?P<who>[^,.;]{3,80})", re.IGNORECASE)
_TRAILING_ADVERBS = re.compile(rf"(\s+({_ADVERBS}))+$", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"\b(that|nor|or|has|have|had|was|were|is|are|could|would|not|since|first)\b")
_PRONOUN = re.compile(r"^(he|she|they|it|this|that|we|i)$", re.IGNORECASE)


def stance(sentence: str) -> Stance:
    """The stance a sentence reports.

    Example: "The club also refused to confirm the fee" -> "denies".
    """
    text = normalize(sentence)
    if _SILENT.search(text):
        return "reports"
    if _NEGATED_CONFIRM.search(text):
        return "denies"
    if _CONFIRM.search(text):
        return "confirms"
    if _DENY.search(text):
        return "denies"
    return "asserts" if _ASSERT.search(text) else "reports"


def speaker(sentence: str) -> str | None:
    """Who the sentence attributes its claim to, if it names anyone.

    Example: "Jo Park said that the plant would close." -> "Jo Park"
    """
    text = normalize(sentence)
    for pattern in (_ACCORDING, _SPEAKER_AFTER, _SPEAKER_BEFORE):
        if match := pattern.search(text):
            name = match.group("who").strip(" \"'")
            name = re.sub(r"^(the|a|an)\s+", "", name, flags=re.IGNORECASE)
            name = _TRAILING_ADVERBS.sub("", name)
            if name and not _PRONOUN.match(name) and not _NOT_A_NAME.search(name) and len(name.split()) <= 14:
                return name
    return None
