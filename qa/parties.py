"""Who a speaker is: the name phrase read off a sentence's words, and when two phrases name one party.

A name phrase is a run of capitalised words with their connectors ("Ministry of Defense"), a
role noun ("spokesman", "agency") with up to two modifiers ("spy agency"), or both ("state
media"); dates, pronouns and sentence openers ("Meanwhile") are not names. A party is known by
the names in its phrase, so a surname or the opening names stand for the whole ("Peskov").

Left out: where the speaker stands in a sentence (`qa.speakers` finds the verb of speaking) and
knowing that differently named parties are one ("Moscow", "the Kremlin").
"""

from __future__ import annotations

import re

_ROLES = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "spokespeople", "official", "officials", "representative",
    "representatives", "ambassador", "envoy", "president", "minister", "ministry", "secretary", "chief", "leader",
    "leaders", "agency", "service", "government", "police", "army", "military", "committee", "council",
    "commission", "delegation", "delegate", "lawyers", "lawyer", "prosecutors", "prosecutor", "company", "club",
    "board", "union", "court", "media", "authorities", "diplomat", "diplomats", "officer", "officers", "commander",
    "administration", "parliament", "cabinet", "party", "office", "department", "regulator", "regulators", "firm",
    "group", "team", "coalition", "alliance", "campaign", "mayor", "governor", "senator", "lawmaker", "lawmakers",
    "adviser", "aide", "residents", "witnesses", "researchers", "investigators", "observers", "analysts", "authority",
    "experts", "organisers", "organizers", "staff", "management", "executives", "workers", "farmers", "fishermen",
    "villagers", "people", "activists", "protesters", "students", "doctors", "critics", "opponents", "voters",
    "citizens", "locals", "families"
})  # fmt: skip
_CONNECTORS = frozenset(
    {"of", "the", "for", "to", "and", "nor", "at", "de", "del", "von", "van", "al", "bin", "in", "on"}
)
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her"})
NOT_NAMES = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you",
    "neither", "either", "both", "there", "however", "meanwhile", "but", "and", "or", "so", "yet", "also", "on",
    "in", "at", "as", "after", "before", "since", "when", "while", "earlier", "later", "last", "next", "then",
    "thus", "still", "instead", "moreover", "furthermore", "separately", "according", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"
})  # fmt: skip
TOKEN = re.compile(r"\([A-Z][A-Za-z.]{1,9}\)|(?:[A-Z]\.){2,}|[A-Za-z0-9][\w'’-]*(?:\.[A-Za-z0-9][\w'’-]*)*|[,;:]")
_DEMONYM = re.compile(r"(ian|ean|ican|ese|ish)$")
_POSSESSIVE = re.compile(r"['’]s?$")
_PRONOUN_SUBJECT = frozenset({"he", "she", "they", "it", "we", "i"})
_FUNCTION_WORDS = frozenset({"by", "from", "with", "than", "which", "who", "whom", "whose", "if", "not", "no"})


def _is_name(token: str) -> bool:
    """Example: "Seoul's" -> True; "Monday" -> False; "(NIS)" -> True; "agency" -> False"""
    if token.startswith("("):
        return True
    return bool(token) and token[0].isupper() and _POSSESSIVE.sub("", token.lower()) not in NOT_NAMES


def name_before(tokens: list[str], end: int | None) -> str | None:
    """The name phrase ending at `tokens[end - 1]`, read backwards."""
    if not end:
        return None
    start = end
    while start > 0:
        token, after = tokens[start - 1], tokens[start] if start < end else ""
        lower = token.lower()
        connects = lower in _CONNECTORS and _names_follow(tokens, start, end)
        modifies = _modifier(token) and after.lower() in _ROLES and _modifiers(tokens, start, end) < 2
        if not (_is_name(token) or lower in _ROLES or connects or modifies):
            break
        start -= 1
    return _as_name(tokens[start:end])


_PLACE = re.compile(r"(at|in|during|before|from) (a |an |the )?[a-z]+ (of|in|at) (the )?", re.IGNORECASE)


def opening_role(tokens: list[str], end: int) -> str | None:
    """A role opening the sentence, when only a place stands between it and `tokens[end]`: "The representative
    of Ruritania at a session of the Assembly said" -> "representative of Ruritania"."""
    head_end = _name_end(tokens, 0)
    if not any(t.lower() in _ROLES for t in tokens[:head_end]):
        return None
    rest = " ".join(tokens[head_end:end])
    place = _PLACE.match(rest + " ")
    named = place is not None and name_before(tokens, end) == _as_name(rest[place.end() :].split())
    return _as_name(tokens[:head_end]) if named else None


def _names_follow(tokens: list[str], start: int, end: int) -> bool:
    """Whether a name comes next after a connector at `start - 1`, perhaps after "the": "to (the) United Nations"."""
    after = tokens[start:end]
    if after and after[0].lower() in _DETERMINERS:
        after = after[1:]
    return bool(after) and _is_name(after[0])


def name_after(tokens: list[str], start: int, subject: bool = False) -> str | None:
    """The name phrase starting at `tokens[start]`, read forwards."""
    end = _name_end(tokens, start)
    if subject and (end >= len(tokens) or not tokens[end].islower()):
        return None  # an opening phrase is the subject only when a verb follows it
    return _as_name(tokens[start:end])


def _name_end(tokens: list[str], start: int) -> int:
    end = start
    while end < len(tokens) and tokens[end].lower() in _DETERMINERS:
        end += 1
    while end < len(tokens):
        token = tokens[end]
        following = tokens[end + 1] if end + 1 < len(tokens) else ""
        connects = token.lower() in _CONNECTORS and _is_name(following) and following.lower() not in _ROLES
        if not (
            _is_name(token) or token.lower() in _ROLES or connects or (token.islower() and following.lower() in _ROLES)
        ):
            break
        end += 1
    return end


def _modifier(token: str) -> bool:
    """A lowercase word that may describe a role ("spy agency", "state media"); not "by", "of", "the"."""
    return token.islower() and token not in _CONNECTORS | _DETERMINERS | NOT_NAMES | _FUNCTION_WORDS


def _modifiers(tokens: list[str], start: int, end: int) -> int:
    return sum(1 for t in tokens[start:end] if t.islower() and t.lower() not in _ROLES)


def _as_name(phrase: list[str]) -> str | None:
    """The phrase without leading or trailing connectors; None unless it names someone."""
    while phrase and (phrase[0].lower() in _CONNECTORS | _DETERMINERS or phrase[0].lower() in NOT_NAMES):
        phrase = phrase[1:]
    while phrase and phrase[-1].lower() in _CONNECTORS:
        phrase = phrase[:-1]
    if not phrase or phrase[0].lower() in _PRONOUN_SUBJECT or len(phrase) > 14:
        return None
    if len(phrase) == 1 and _DEMONYM.search(phrase[0]):
        return None  # "Russian vessels ...": an adjective, not a speaker
    return " ".join("and" if t == "nor" else t for t in phrase)


def party_key(name: str) -> tuple[str, ...]:
    """The names in a speaker's phrase, each cut to five letters: what identifies the party.

    Example: "Kremlin spokesman Dmitry Peskov" -> ("kreml", "dmitr", "pesko");
    "representative of North Korea" -> ("north", "korea")
    """
    tokens = [_POSSESSIVE.sub("", t.strip("()")) for t in TOKEN.findall(name)]
    return tuple(t.lower()[:5] for t in tokens if t and t[0].isupper() and t.lower() not in NOT_NAMES)


def same_party(a: str, b: str) -> bool:
    """Whether two speakers' phrases name the same party: one's names open the other's, or a lone
    name (a surname, an acronym) stands in the other's own names, not after "of" or "the".

    Example: ("North Korea", "North Korean state media") -> True; ("Peskov", "Kremlin spokesman Dmitry
    Peskov") -> True; ("Korea", "Workers' Party of Korea") -> False
    """
    short, long = sorted((a, b), key=lambda name: len(party_key(name)))
    short_key, long_key = party_key(short), party_key(long)
    if not short_key:
        return False
    if long_key[: len(short_key)] == short_key:
        return True
    if len(short_key) > 1:
        return False
    tokens = [t.strip("()") for t in TOKEN.findall(long)]
    return any(
        t.lower()[:5] == short_key[0] and (i == 0 or tokens[i - 1].lower() not in _CONNECTORS | _DETERMINERS)
        for i, t in enumerate(tokens)
    )
