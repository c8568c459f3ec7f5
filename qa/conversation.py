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
("his", "their") and anything that needs a parser or a list of names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from qa.types import ABSTAIN_TEXT, Turn

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

# Whom "he/she" can mean: titles and roles are cut off a name ("Secretary General Mark Rutte").
_ROLE = (r"(?:spokes(?:man|woman|person)|chief|head|leader|president|(?:prime\s+)?minister|secretary(?:-general)?"
         r"|general|chancellor|ambassador|envoy|mayor|governor|senator|official|commander|director|chair(?:man|woman)?"
         r"|executive|ceo|founder|owner|manager|coach|captain|judge|representative|premier|king|queen)")  # fmt: skip
_TITLE = re.compile(rf"{_ROLE}|state|vice|deputy|mr|mrs|ms|dr|sir", re.I)
_ROLE_PHRASE = re.compile(rf"\bthe\s+(?:[\w'’-]+\s+){{0,2}}?{_ROLE}\b", re.I)
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was)\s+(?P<x>.+?)\s*\??\s*$", re.I)
_NOT_A_NAME = {"I", "We", "You", "He", "She", "It", "They", "His", "Her", "Its", "Our", "Their", "This", "That",
               "There", "North", "South", "East", "West", "Central", "New", "United", "States", "Kingdom",
               "Republic", "Union", "Nations", "Council", "Ministry", "Department", "Agency", "Service",
               "Committee", "Commission", "Party", "Group", "Army", "Forces", "Staff", "Office", "Court", "Bank",
               "Club", "Company", "University", "Parliament", "Government", "Treaty", "Operation", "House",
               "City", "Street", "Times", "News", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
               "Saturday", "Sunday"}  # fmt: skip
# Whom "they" can mean: an actor for these verbs, else a plural noun phrase.
_ACTOR_VERB = re.compile(rf"{_SAYING.pattern}|\b(respond|react|repl[yi]|comment|refus|reject|apologi[sz])\w*", re.I)
_PARTICIPLE = r"(?:\w+\s+)?(?:\w+(?:ed|en|wn|t)|told|held|paid|sold|led)\b"
_PASSIVE = re.compile(
    rf"\b(?:were|are)\s+they\s+{_PARTICIPLE}|\bthey\s+(?:were|are|had been|have been)\s+{_PARTICIPLE}", re.I
)
_NAMED = r"(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*"
_ADJECTIVE = r"(?!(?:of|to|in|on|at|for|from|with|about|and|or|by|did|do|does|were|was|are|is)\b)[a-z-]+"
_PLURAL_PHRASE = re.compile(
    rf"(?:\b(?:the|{_NAMED}['’]s|[\w-]+['’]s|\d[\d,.]*)\s+(?:{_ADJECTIVE}\s+){{0,2}}|\b{_NAMED}\s+)?"
    r"\b(?P<noun>[a-z][a-z-]+s|people|men|women|children|personnel)\b"
)
_NOT_PLURAL = {"this", "was", "has", "does", "its", "his", "hers", "yes", "news", "always", "perhaps", "thus",
               "besides", "sometimes", "afterwards", "towards", "series", "means", "whereabouts", "years", "months",
               "weeks", "days", "hours", "minutes", "times", "thousands", "hundreds", "millions", "billions",
               "dozens", "lots", "tens", "ones", "others"}  # fmt: skip
# Periods a question may carry, and words that move a follow-up to another time.
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")  # fmt: skip
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_DATE = (rf"{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?|{_MONTH}\s+(?:{_DAY},?\s+)?{_YEAR}|{_MONTH}\s+{_DAY}"
         rf"|{_YEAR}(?:-\d\d){{0,2}}|{_WEEKDAY}|yesterday|today"
         rf"|(?:last|this|next|past|previous)\s+(?:week(?:end)?|month|year|{_WEEKDAY}|{_MONTH})")  # fmt: skip
_SINCE = r"\b(?:in|on|during|since|by|from|before|after|until|as\s+of)\s+(?:early\s+|late\s+|mid-)?"
_PERIOD = re.compile(rf"(?:{_SINCE})?\b(?:{_DATE})\b|{_SINCE}{_MONTH}\b", re.I)
_ANOTHER_TIME = re.compile(
    r"\b(?:later|then|afterwards?|now|still|yet|ever|since|eventually|subsequently|currently|anymore)\b", re.I
)


def subject(question: str) -> str | None:
    """The first named thing in a question, never a date. Example: "Did North Korea deny it?" -> "North Korea"."""
    for match in _ENTITY.finditer(_PERIOD.sub(" ", question)):
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


def topic(question: str) -> str | None:
    """What a stance question is about: the words after its stance verb, or None without one.

    Examples: "Did North Korea deny sending troops to Russia?" -> "sending troops to Russia";
    "Did the board approve the merger?" -> None
    """
    stance = re.search(rf"\b{_STANCE_VERB}\s+(?:that\s+|about\s+)?(?P<about>.*?)[\s?]*$", question, re.I)
    return (stance.group("about") or None) if stance else None


def named_person(text: str) -> str | None:
    """The first person a text names: two capitalised words, or one after a title or role.

    Examples: "NATO Secretary General Mark Rutte said so." -> "Mark Rutte";
    "Kremlin spokesman Dmitry Peskov said so." -> "Dmitry Peskov"; "“We see it,” the Kremlin said." -> None
    """
    for match in _ENTITY.finditer(text):
        words = [w.rstrip(".,") for w in match.group().split()]
        while words and words[0] in _NOT_ENTITY:
            words.pop(0)
        cut = max((i + 1 for i, w in enumerate(words) if _TITLE.fullmatch(w)), default=0)
        name, before = words[cut:], text[: match.start()].split()[-1:]
        titled = cut > 0 or bool(before and re.fullmatch(_ROLE, before[0], re.I))
        if name and (titled or len(name) > 1) and all(_could_be_a_name(w) for w in name):
            return re.sub(r"['’]s$", "", " ".join(name))
    return None


def _could_be_a_name(word: str) -> bool:
    """Whether a word can be part of a person's name. Examples: "Rutte" yes; "of", "NATO", "Ministry", "We" no."""
    return word[:1].isupper() and not (len(word) > 1 and word.isupper()) and word not in _NOT_A_NAME


def asked_person(question: str) -> str | None:
    """The person or role a question asks about.

    Examples: "who is jo park?" -> "jo park"; "What did the US defense secretary say?" -> "the US defense secretary"
    """
    if name := named_person(question):
        return name
    if who_is := _WHO_IS.match(question):
        return who_is.group("x")
    role = _ROLE_PHRASE.search(question)
    return role.group() if role else None


def plural_phrase(question: str) -> str | None:
    """The plural noun phrase of a question: the last one with a name in it, else the last one.

    Example: "What did the Kremlin say about the reports of North Korean troops?" -> "North Korean troops"
    """
    phrases = [
        " ".join(w for w in match.group().split() if w not in _NOT_ENTITY)
        for match in _PLURAL_PHRASE.finditer(question)
        if match.group("noun") not in _NOT_PLURAL and not _follows_a_subject(question, match.start("noun"))
    ]
    named = [p for p in phrases if re.search(r"[A-Z]|['’]s\b", p)]
    return (named or phrases)[-1] if phrases else None


def _follows_a_subject(question: str, at: int) -> bool:
    """Whether the word at `at` is a verb after its subject ("What happens", "who says")."""
    return bool(re.search(r"\b(what|who|that|he|she|it)\s+$", question[:at], re.I))


def without_period(question: str) -> str:
    """The question without its dates, months, years or "last week".

    Example: "Did North Korea deny sending troops in October 2024?" -> "Did North Korea deny sending troops?"
    """
    text = re.sub(r"\s+([?.,!])", r"\1", re.sub(r"\s{2,}", " ", _PERIOD.sub(" ", question)))
    text = text.strip(" ,")
    return text[0].upper() + text[1:] if text else question


def _about_another_time(question: str) -> bool:
    """Whether a follow-up moves away from the earlier question's period. Example: "did they admit it later?"."""
    return bool(_ANOTHER_TIME.search(question) or _PERIOD.search(question))


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
    if _about_another_time(question):
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
    if _PERIOD.fullmatch(new):
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
