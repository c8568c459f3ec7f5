"""Whether a sentence asserts, denies or confirms, read off one sentence; who says it is `qa.speakers`'.

A small lexicon, on purpose: news reports mark stance with a handful of verbs ("denied",
"confirmed", "rejected", "refused to confirm"). Only grammar is read, no story's vocabulary:
"called the reports fake" is no denial, since no verb of denial is there.

Two readings. `stance`, for answers to "did they admit it?": a negated confirmation ("refused to
confirm") counts as denial, since it answers no; declining to comment counts as silence and only
reports. `position`, for the story's timeline, keeps apart what a party did: it claims, denies,
confirms, declines (to comment or to confirm: silence is not denial), or the sentence only reports.
It leaves out coreference: "he said" names no one, and `speaker` returns None.
"""

from __future__ import annotations

import re
from typing import Literal

from index.normalize import normalize
from qa.dates import strip_dateline
from qa.speakers import speaker

__all__ = ["POSITIONS", "Position", "Stance", "position", "speaker", "stance"]

Stance = Literal["asserts", "denies", "confirms", "reports"]
Position = Literal["asserts", "denies", "confirms", "declines", "reports"]
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
_CLAIM = re.compile(
    r"\b(said|says|say|told|tells|claim(s|ed)?|alleg(e|es|ed)|reveal(s|ed)|warn(s|ed)|condemn(s|ed)|urg(e|es|ed)"
    r"|accus(e|es|ed)|announc(e|es|ed)|insist(s|ed)|stat(es|ed)|stress(es|ed)|argu(e|es|ed)|declar(e|es|ed)"
    r"|reported|call(s|ed)? for)\b",
    re.IGNORECASE,
)
# "It is noted that", "this was reported by": the passive names no claimant, so it only reports.
_PASSIVE_SAYING = re.compile(
    r"\b(is|are|was|were|been|being|be)\s+(\w+ly\s+)?(said|reported|stated|claimed|alleged|noted|announced|revealed"
    r"|declared|condemned|accused|urged|warned|told)\b",
    re.IGNORECASE,
)


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


def position(sentence: str) -> Position:
    """What the party the sentence speaks of did, for the timeline: silence and refusing to confirm
    are "declines", not denial; a claim needs a verb of saying ("allegedly" claims nothing).

    Example: "Acme refused to confirm the fee." -> "declines"; "Acme said the fee was paid." -> "asserts"
    """
    text = normalize(strip_dateline(sentence))
    if _SILENT.search(text) or _NEGATED_CONFIRM.search(text):
        return "declines"
    if _CONFIRM.search(text):
        return "confirms"
    if _DENY.search(text):
        return "denies"
    return "asserts" if _CLAIM.search(_PASSIVE_SAYING.sub(" ", text)) else "reports"
