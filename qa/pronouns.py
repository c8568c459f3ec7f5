"""What a chat follow-up's pronouns point back at in the previous turn: people, a claim, a counted noun.

Rules over the previous (already standalone) question and the answer to it, no model:
- "he/she" become the person the previous answer's first sentence names ("NATO Secretary
  General Mark Rutte said ..." -> "Mark Rutte"), else the person or role the previous question
  asks about ("who is jo park?", "the Kremlin spokesman"); never a pronoun or a lone capitalised
  word such as "We".
- "they" is the previous question's subject when the follow-up's verb needs an actor (deny,
  admit, say, respond: after "Did the NIS say North Korea sent troops?", "when did they say so?"
  is about the NIS); else its plural noun phrase ("where were they sent?" -> "North Korean
  troops"); else the subject of the claim it reports. "them" is the plural noun phrase.
- "that" in "who said that?" is the previous answer's claim (`claim`), and "how many were ..."
  leaves out the noun the previous question counted (`counted_noun`).
It leaves out "it/that" as a topic, periods, when to apply each rule and the other rewrites of a
follow-up (`qa.conversation`), and finding what the earlier turns name (`qa.referents`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qa.referents import STANCE_VERB, actor, asked_person, named_person, plural_phrase, subject
from qa.request_types import FollowUp

GROUP = re.compile(r"\b(they|them)\b", re.I)
PERSON = re.compile(r"\b(he|she|him|her)\b", re.I)
_QUOTE = re.compile(r"[“\"]([^”\"]{20,})[”\"]")
_SAYING = re.compile(rf"\b{STANCE_VERB}\b|\b(report\w*|announc\w*|stat(e|ed|ement)|told|tell)\b", re.I)

# Whom "they" can mean: an actor for these verbs, else a plural noun phrase.
_ACTOR_VERB = re.compile(rf"{_SAYING.pattern}|\b(respond|react|repl[yi]|comment|refus|reject|apologi[sz])\w*", re.I)
_PARTICIPLE = r"(?:\w+\s+)?(?:\w+(?:ed|en|wn|t)|told|held|paid|sold|led)\b"
_PASSIVE = re.compile(
    rf"\b(?:were|are)\s+they\s+{_PARTICIPLE}|\bthey\s+(?:were|are|had been|have been)\s+{_PARTICIPLE}", re.I
)


def claim(answer: str) -> str:
    """What "that" most likely points at in an answer: its longest quotation, else its first real sentence."""
    answer = re.sub(r"\s*\[\d+\]", "", answer).strip()
    quotes = _QUOTE.findall(answer)
    if quotes:
        return " ".join(max(quotes, key=len).split()[:25]).rstrip(".,")
    sentences = [s for s in re.split(r"(?<=[.!?])\s", answer) if len(s.split()) >= 5] or [answer]
    return " ".join(sentences[0].split()[:25]).rstrip(".")


def found_in(find: Callable[[str], str | None], previous: FollowUp) -> str | None:
    """What `find` finds in the previous question's own words, else in the question it leaned on."""
    return find(previous.text) or (find(previous.context) if previous.context else None)


def resolve_people(text: str, previous: FollowUp, last_answer: str | None) -> str:
    """Put whom "they", "them" and "he/she" most likely mean in their place (the first of each)."""
    first_sentence = re.split(r"(?<=[a-z\d\"”)\]][.!?])\s+", re.sub(r"\s*\[\d+\]", "", last_answer or ""))[0]
    person = named_person(first_sentence) or found_in(asked_person, previous)
    them = plural_phrase(previous.text) or found_in(actor, previous) or found_in(subject, previous)
    for pronoun, name in ((r"\bthey\b", _they(text, previous)), (r"\bthem\b", them), (PERSON.pattern, person)):
        if name:
            text = re.sub(pronoun, name, text, count=1, flags=re.I)
    return text


def _they(text: str, previous: FollowUp) -> str | None:
    """Whom "they" means: an actor when the verb needs one, else the plural noun phrase.

    Examples after "Did the Bureau say Acme's trucks were sent?": "when did they deny it?" -> "Bureau";
    "when were they sent?" -> "Acme's trucks"; "did they send them?" -> "Acme"
    """
    if not _PASSIVE.search(text) and _ACTOR_VERB.search(text):
        return found_in(subject, previous)
    if not _PASSIVE.search(text) and re.search(r"\bthem\b", text, re.I):
        return found_in(actor, previous) or found_in(subject, previous)
    return plural_phrase(previous.text) or found_in(actor, previous) or found_in(subject, previous)


def counted_noun(previous: str) -> str | None:
    """The noun a question counts. Example: "How many troops were sent?" -> "troops"."""
    match = re.search(r"\b(?:how many|[\d,]+|thousands of)\s+(\w+)", previous, re.I)
    return match.group(1) if match else None
