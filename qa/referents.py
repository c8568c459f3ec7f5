"""Referents: what earlier turns name that a follow-up can point back at, and when.

The first named thing of a question (`subject`), of the claim it reports (`actor`), what a
stance question is about (`topic`), the person a text names or a question asks about
(`named_person`, `asked_person`), a question's plural noun phrase (`plural_phrase`); and the
periods a question carries ("in October 2024", "last week"), which are never a referent and
which a follow-up about another time drops (`without_period`).

Rules over capitalisation and a few word lists; it leaves out any parser or list of names,
reading a period's value (`qa.dates`) and deciding what a pronoun means (`qa.pronouns`).
"""

from __future__ import annotations

import re

_ENTITY = re.compile(r"\b(?:[A-Z][\w'’.-]*)(?:\s+(?:of\s+the\s+|of\s+)?[A-Z][\w'’.-]*)*")
_NOT_ENTITY = {"When", "Did", "Does", "Do", "What", "Who", "Where", "Why", "How", "Which", "Is", "Are", "Was",
               "Were", "Has", "Have", "And", "But", "So", "The", "A", "In", "On", "According", "I"}  # fmt: skip
STANCE_VERB = r"(?:deny|denied|denies|admit|admitted|confirm|confirmed|acknowledge|acknowledged|say|said|claim\w*)"
_REPORTED = re.compile(
    r"\b(?:say|said|says|claim\w*|report\w*|announc\w*|state[sd]?|told)\s+(?:that\s+)?(?P<claim>.+)", re.I
)

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
PERIOD = re.compile(rf"(?:{_SINCE})?\b(?:{_DATE})\b|{_SINCE}{_MONTH}\b", re.I)
_ANOTHER_TIME = re.compile(
    r"\b(?:later|then|afterwards?|now|still|yet|ever|since|eventually|subsequently|currently|anymore)\b", re.I
)


def subject(question: str) -> str | None:
    """The first named thing in a question, never a date. Example: "Did North Korea deny it?" -> "North Korea"."""
    for match in _ENTITY.finditer(PERIOD.sub(" ", question)):
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
    stance = re.search(rf"\b{STANCE_VERB}\s+(?:that\s+|about\s+)?(?P<about>.*?)[\s?]*$", question, re.I)
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
    text = re.sub(r"\s+([?.,!])", r"\1", re.sub(r"\s{2,}", " ", PERIOD.sub(" ", question)))
    text = text.strip(" ,")
    return text[0].upper() + text[1:] if text else question


def about_another_time(question: str) -> bool:
    """Whether a follow-up moves away from the earlier question's period. Example: "did they admit it later?"."""
    return bool(_ANOTHER_TIME.search(question) or PERIOD.search(question))
