"""Answer kinds: whether a sentence holds the kind of thing a question asks for.

A date for "when", a number for "how many", a name for "who", a place for "where", a reason
for "why"; a name or place counts only when the question does not name it already. Also the
word lists and patterns these checks share with the answerability checks (months and
weekdays, words for bodies, demonym endings) and how two search tokens count as one word.

It leaves out how much a match counts in a sentence's score (`qa.sentence_scoring`) and
whether the articles can answer at all (`qa.answerability`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from index.bm25 import tokenize
from qa.dates import DateMention
from qa.request_types import QuestionType

_NUMBER = re.compile(r"\b\d[\d,.]*\b(?!\s*(?:percent|%))|\b(thousands?|hundreds?|dozens?|millions?)\b", re.I)
_NAME = re.compile(r"\b[A-Z][\w'’]+(?:[ -][A-Z][\w'’]+)*\b|\b(spokes\w+|minister|president|ambassador|secretary"
                   r"|chairman|representative|delegate|commission|ministry|agency|service|committee)\b")  # fmt: skip
_PLACE_NAME = re.compile(
    r"(?:\b(?:in|to|at|near|from|into|across|on)|\b(?:city|town|village|port|region|province|republic) of)"
    r"\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
)
DEMONYM = re.compile(r"(ian|ean|ese|ish|ic)$")
CALENDAR = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
BODY_WORDS = {
    "forces", "force", "party", "ministry", "commission", "council", "staff", "service", "agency", "army",
    "committee", "group", "union", "organization", "organisation", "government", "office", "command", "assembly",
    "parliament", "court", "navy", "police", "nations",
}  # fmt: skip
_ROLE = re.compile(
    r"(leader|spokes\w+|officials?|chief|president|minister|envoy|ambassador|troops|soldiers"
    r"|forces|army|military|government|media|authorities)\b"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_REASON = re.compile(r"\b(because|due to|in accordance with|as part of|in order to|caused (?:\w+ly )?by|aimed at"
                     r"|so that|in an attempt to|in a bid to|owing to|as a result of|given that"
                     r"|under|meets the conditions|in response to|in connection with)\b", re.I)  # fmt: skip
_CAUSAL_SINCE = re.compile(
    r",\s*since\b|\bsince\s+(?:[\w'’-]+\s+){0,4}?(?:is|are|does|do|can|cannot|must|will)\b", re.I
)
UNKNOWN = re.compile(
    r"\b(not (specified|disclosed|known|clear|been disclosed)|unknown|unclear|declined to say)\b", re.I
)


_PRECISION_VALUE = {"day": 1.0, "week": 0.6, "month": 0.6, "year": 0.3}


def kind_match(
    kind: QuestionType, text: str, dates: list[DateMention], asked: Iterable[str] = (), start: bool = False
) -> float:
    """1.0 when the sentence holds the kind of thing the question asks for (a vaguer date less), else 0.0.
    A since-date counts only for a question about a `start`. A place or name counts only if the
    question (its words `asked`) does not name it already; a
    reason counts less when it explains something other than what the question asks about."""
    if kind == "when":
        return max((_PRECISION_VALUE[d.precision] for d in dates if start or not d.since), default=0.0)
    if kind == "why":
        return reason_match(text, dates, set(asked))
    checks: dict[str, Callable[[], bool]] = {
        "how_many": lambda: bool(_NUMBER.search(text)) or bool(UNKNOWN.search(text)),
        "who": lambda: bool(new_names(set(asked), text)),
        "where": lambda: bool(new_places(set(asked), text)),
    }
    check = checks.get(kind)
    return 1.0 if check is not None and check() else 0.0


def new_names(asked: set[str], text: str) -> list[str]:
    """Who the text names beyond the question's words `asked`: a capitalised name (not a date,
    not the sentence's first word alone) or a title such as "spokesman" or "agency".

    Example: ({"agenc", "cite"}, "This was reported by the Yonhap news agency.") -> ["Yonhap"]
    """
    found = []
    for match in _NAME.finditer(text):
        words = [w for w in match.group().split() if w.lower() not in CALENDAR]
        if not words or (match.start() == 0 and len(words) == 1 and not match.group(1)):
            continue
        if not _all_asked(" ".join(words), asked):
            found.append(" ".join(words))
    return found


def same_word(token: str, other: str) -> bool:
    """Whether two search tokens are one word: equal, or both long and alike in their first five
    letters, as names and their adjectives are spelled several ways ("korea"/"korean",
    "zelenski"/"zelenskyy")."""
    return token == other or (len(token) >= 5 and token[:5] == other[:5])


def holds_word(words: Iterable[str], token: str) -> bool:
    """Whether `words` hold the word `token` (see `same_word`)."""
    return any(same_word(token, w) for w in words)


def _all_asked(name: str, asked: set[str]) -> bool:
    """Whether every word of a name is among the asked words, so "North Korean" is asked by "North Korea's"."""
    return all(t in asked or holds_word(asked, t) for t in tokenize(name))


def new_places(asked: set[str], text: str) -> list[str]:
    """Places the text names (a capitalised name after "in", "to", "near", "the city of"...) beyond
    the question's words `asked` (search tokens).

    Example: ({"fight"}, "fighting in the Kursk region") -> ["Kursk"]
    """
    found = []
    for match in _PLACE_NAME.finditer(text):
        name, after = match.group(1), text[match.end() :].lstrip()
        if name.split()[0].lower() in CALENDAR or name.split()[-1].lower() in BODY_WORDS:
            continue  # "in June": a date; "from the Armed Forces": a body
        if ((DEMONYM.search(name) or _POSSESSIVE.search(name)) and after[:1].islower()) or _ROLE.match(after):
            continue  # "on Russian territory", "on Russia's side", "to Kremlin leader Putin": an attribute
        if " of " in match.group() and asked & set(tokenize(" ".join(text[: match.start()].split()[-2:]))):
            continue  # "the Kursk region of Russia" when Kursk is asked: the asked place, placed
        if not _all_asked(name, asked):
            found.append(name)
    return found


def reason_match(text: str, dates: list[DateMention], asked: set[str]) -> float:
    """1.0 for a reason given for something the question asks about (a word of the question in the
    clause just before "because", "in accordance with" ...), 0.75 for a reason given for something
    else ("The remarks came in response to ..." asked why troops were sent), else 0.0."""
    markers = [m.start() for m in _REASON.finditer(text)] + _causal_since(text, dates)
    if not markers:
        return 0.0
    for at in markers:
        clause = re.split(r"[.;:!?]", text[:at])[-1].split()[-10:]
        if any(_all_asked(word, asked) for word in clause if tokenize(word)):
            return 1.0
    return 0.75


def _causal_since(text: str, dates: list[DateMention]) -> list[int]:
    """Where "since" opens a reason: after a comma ("impossible, since Russia voted for it") or
    before a present-tense verb ("since the US is clinging to it"), not a date ("since August") or
    a time ("the first comment since the agency said")."""
    since_dates = [d for d in dates if d.since]
    return [
        m.start() for m in _CAUSAL_SINCE.finditer(text) if not any(0 <= d.start - m.end() <= 2 for d in since_dates)
    ]
