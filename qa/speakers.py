"""Who a sentence attributes its words to: the person or body before "said", after "according to".

The speaker is a name phrase read off the words around a verb of speaking, outside quotation
marks (words inside a quote belong to the speaker, so a name there is not the speaker's):
"Kremlin spokesman Dmitry Peskov said", "according to the election commission", "”, said
ministry spokesperson Jo Park". A name phrase is a run of capitalised words with their
connectors ("Ministry of Defense"), a role noun ("spokesman", "agency") with up to two
modifiers ("spy agency"), or both ("state media"); dates, pronouns and words that open
sentences ("Meanwhile") are not names. Without such a verb-side phrase, the sentence's subject
is taken when it opens the sentence and the sentence reports speech ("The council met and said").

Left out: coreference ("he said" names no one: the caller looks at earlier sentences) and any
parsing beyond the words next to the verb.
"""

from __future__ import annotations

import re

from qa.dates import dateline_end

_SPEECH_VERBS = frozenset({
    "said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "stated", "states", "claimed",
    "claims", "claim", "confirmed", "confirms", "confirm", "denied", "denies", "deny", "reported", "revealed",
    "reveals", "announced", "announces", "noted", "notes", "urged", "urges", "condemned", "condemns", "called",
    "calls", "warned", "warns", "concluded", "refused", "refuses", "declined", "declines", "rejected", "rejects",
    "dismissed", "dismisses", "admitted", "admits", "acknowledged", "acknowledges", "conceded", "insisted",
    "insists", "argued", "argues", "stressed", "stresses", "explained", "declared", "accused", "accuses",
    "alleged", "alleges", "asserted", "maintained", "replied", "responded", "commented", "remained", "kept",
    "stayed"
})  # fmt: skip
# Words that stand between a speaker and the verb: "Acme has also officially confirmed", "did not confirm".
_BETWEEN = frozenset({
    "also", "has", "have", "had", "strongly", "officially", "firmly", "then", "later", "here", "there",
    "reportedly", "publicly", "again", "already", "recently", "previously", "not", "n't", "did", "does", "do",
    "could", "would", "can", "will", "yet", "still", "never", "flatly", "repeatedly", "swiftly", "quickly",
    "immediately", "initially", "earlier"
})  # fmt: skip
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
_NOT_NAMES = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you",
    "neither", "either", "both", "there", "however", "meanwhile", "but", "and", "or", "so", "yet", "also", "on",
    "in", "at", "as", "after", "before", "since", "when", "while", "earlier", "later", "last", "next", "then",
    "thus", "still", "instead", "moreover", "furthermore", "separately", "according", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"
})  # fmt: skip
_TOKEN = re.compile(r"\([A-Z][A-Za-z.]{1,9}\)|(?:[A-Z]\.){2,}|[A-Za-z0-9][\w'’-]*(?:\.[A-Za-z0-9][\w'’-]*)*|[,;:]")
_DEMONYM = re.compile(r"(ian|ean|ican|ese|ish)$")
_ASIDE = re.compile(r",\s*(?:in turn|for (?:its|his|her|their) part|too|however|meanwhile)\s*,", re.IGNORECASE)
_VERB_AFTER_QUOTE = re.compile(r"[\"”]\s*,?\s*(?P<verb>[a-z]+)\b")
_POSSESSIVE = re.compile(r"['’]s?$")
_PASSIVE = re.compile(r"\b(is|are|was|were|been|being|be)\s+(\w+ly\s+)?$", re.IGNORECASE)
_PRONOUN_SUBJECT = frozenset({"he", "she", "they", "it", "we", "i"})


def blank_quotes(text: str) -> str:
    """`text` with the words inside quotation marks blanked (same length); a quote left open at either
    end of the sentence runs to that end.

    Example: '"We will act," Jo Park said.' -> '"              " Jo Park said.'
    """
    chars = list(text)
    inside = _opens_inside(text)
    for index, char in enumerate(text):
        if char in '"“”':
            inside = not inside
        elif inside:
            chars[index] = " "
    return "".join(chars)


def _opens_inside(text: str) -> bool:
    """Whether the sentence starts inside a quote: its first quotation mark closes one ('grow," he said')."""
    first = next((i for i, c in enumerate(text) if c in '"“”'), None)
    if first is None:
        return False
    if text[first] in "“”":
        return text[first] == "”"
    before = text[first - 1] if first else " "
    return not before.isspace() and before not in "([:"


def speaker(sentence: str) -> str | None:
    """Who the sentence attributes its claim to, if it names anyone.

    Example: "Jo Park said that the plant would close." -> "Jo Park";
    '"It is over," Kremlin spokesman Ivo Rand said.' -> "Kremlin spokesman Ivo Rand"
    """
    text = _ASIDE.sub(" ", blank_quotes(sentence[dateline_end(sentence) :]))
    tokens = _TOKEN.findall(text)
    for found in (_according_to(tokens), _before_a_verb(tokens), _after_a_quote(text), _subject(tokens)):
        if found:
            return found
    return None


def _according_to(tokens: list[str]) -> str | None:
    for index in range(len(tokens) - 1):
        if tokens[index].lower() == "according" and tokens[index + 1].lower() == "to":
            return _phrase_after(tokens, index + 2)
    return None


def _before_a_verb(tokens: list[str]) -> str | None:
    for index, token in enumerate(tokens):
        if token in _SPEECH_VERBS and _passive(tokens, index):
            by = next((i for i in range(index + 1, min(len(tokens), index + 4)) if tokens[i] == "by"), None)
            return _phrase_after(tokens, by + 1) if by is not None else None  # the passive's agent, if named
        if token in _SPEECH_VERBS:
            end = _skip_back(tokens, index)
            if end > 1 and tokens[end - 1].lower() == "who" and tokens[end - 2] == ",":  # "Jo Park, who told"
                end -= 2
            found = _opening_head(tokens, end) or _phrase_before(tokens, end)
            if not found and end > 0 and tokens[end - 1] == ",":  # "Jo Park, the mayor, said"
                opening = next((i for i in range(end - 2, max(-1, end - 10), -1) if tokens[i] == ","), None)
                found = _phrase_before(tokens, opening) if opening is not None else None
            if found:
                return found
    return None


_PLACE = re.compile(r"(at|in|during|before|from) (a |an |the )?[a-z]+ (of|in|at) (the )?", re.IGNORECASE)


def _opening_head(tokens: list[str], end: int) -> str | None:
    """A role opening the sentence, when only a place stands between it and the verb: "The representative
    of Ruritania at a session of the Assembly said" -> "representative of Ruritania"."""
    head_end = _phrase_end(tokens, 0)
    if not any(t.lower() in _ROLES for t in tokens[:head_end]):
        return None
    rest = " ".join(tokens[head_end:end])
    place = _PLACE.match(rest + " ")
    named = place is not None and _phrase_before(tokens, end) == _tidy(rest[place.end() :].split())
    return _tidy(tokens[:head_end]) if named else None


def _after_a_quote(text: str) -> str | None:
    """'...,” said ministry spokesperson Jo Park during a briefing' -> "ministry spokesperson Jo Park"."""
    for match in _VERB_AFTER_QUOTE.finditer(text):
        if match["verb"] in _SPEECH_VERBS:
            return _phrase_after(_TOKEN.findall(text[match.end() :]), 0)
    return None


def _subject(tokens: list[str]) -> str | None:
    """The phrase opening the sentence, when a verb of speaking follows somewhere ("The council met and said")."""
    if not any(t in _SPEECH_VERBS and not _passive(tokens, i) for i, t in enumerate(tokens)):
        return None
    start = tokens.index(",") + 1 if "," in tokens[:6] and tokens[0].lower() in _NOT_NAMES else 0
    return _phrase_after(tokens, start, subject=True)


def _passive(tokens: list[str], verb: int) -> bool:
    """Whether `tokens[verb]` is a passive: "was (strongly) condemned"."""
    before = verb - 1
    while before >= 0 and tokens[before].endswith("ly"):
        before -= 1
    return before >= 0 and tokens[before].lower() in _BE


def _skip_back(tokens: list[str], verb: int) -> int:
    """The index just after the name phrase before `tokens[verb]`, past adverbs and auxiliaries."""
    end = verb
    while end > 0:
        two = " ".join(tokens[max(0, end - 2) : end]).lower()
        four = " ".join(tokens[max(0, end - 4) : end]).lower()
        if four in _BETWEEN_PHRASES:
            end -= 4
        elif two in _BETWEEN_PHRASES or two in ("refused to", "declined to"):
            end -= 2
        elif tokens[end - 1].lower() in _BETWEEN:
            end -= 1
        else:
            return end
    return end


_BETWEEN_PHRASES = frozenset({"in turn", "so far", "for the first time"})
_BE = frozenset({"is", "are", "was", "were", "been", "being", "be"})


def _is_name(token: str) -> bool:
    """Example: "Seoul's" -> True; "Monday" -> False; "(NIS)" -> True; "agency" -> False"""
    if token.startswith("("):
        return True
    return bool(token) and token[0].isupper() and _POSSESSIVE.sub("", token.lower()) not in _NOT_NAMES


def _phrase_before(tokens: list[str], end: int | None) -> str | None:
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
    return _tidy(tokens[start:end])


def _names_follow(tokens: list[str], start: int, end: int) -> bool:
    """Whether a name comes next after a connector at `start - 1`, perhaps after "the": "to (the) United Nations"."""
    after = tokens[start:end]
    if after and after[0].lower() in _DETERMINERS:
        after = after[1:]
    return bool(after) and _is_name(after[0])


def _phrase_after(tokens: list[str], start: int, subject: bool = False) -> str | None:
    """The name phrase starting at `tokens[start]`, read forwards."""
    end = _phrase_end(tokens, start)
    if subject and (end >= len(tokens) or not tokens[end].islower()):
        return None  # an opening phrase is the subject only when a verb follows it
    return _tidy(tokens[start:end])


def _phrase_end(tokens: list[str], start: int) -> int:
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
    return token.islower() and token not in _CONNECTORS | _DETERMINERS | _NOT_NAMES | _FUNCTION_WORDS


_FUNCTION_WORDS = frozenset({"by", "from", "with", "than", "which", "who", "whom", "whose", "if", "not", "no"})


def _modifiers(tokens: list[str], start: int, end: int) -> int:
    return sum(1 for t in tokens[start:end] if t.islower() and t.lower() not in _ROLES)


def _tidy(phrase: list[str]) -> str | None:
    """The phrase without leading or trailing connectors; None unless it names someone."""
    while phrase and (phrase[0].lower() in _CONNECTORS | _DETERMINERS or phrase[0].lower() in _NOT_NAMES):
        phrase = phrase[1:]
    while phrase and phrase[-1].lower() in _CONNECTORS:
        phrase = phrase[:-1]
    if not phrase or phrase[0].lower() in _PRONOUN_SUBJECT or len(phrase) > 14:
        return None
    if len(phrase) == 1 and _DEMONYM.search(phrase[0]):
        return None  # "Russian vessels ...": an adjective, not a speaker
    return " ".join("and" if t == "nor" else t for t in phrase)


def speech_verb_at(sentence: str) -> int | None:
    """Where the first verb of speaking outside quotation marks starts, if any; a passive one ("it was
    reported") names no speaker and does not count.

    Example: '"Go," Jo Park said on Monday.' -> 14; "This was reported by the agency." -> None
    """
    text = blank_quotes(sentence)
    for match in re.finditer(r"[a-z]+", text):
        if match[0] in _SPEECH_VERBS and not _PASSIVE.search(text[: match.start()]):
            return match.start()
    return None


def party_key(name: str) -> tuple[str, ...]:
    """The names in a speaker's phrase, each cut to five letters: what identifies the party.

    Example: "Kremlin spokesman Dmitry Peskov" -> ("kreml", "dmitr", "pesko");
    "representative of North Korea" -> ("north", "korea")
    """
    tokens = [_POSSESSIVE.sub("", t.strip("()")) for t in _TOKEN.findall(name)]
    return tuple(t.lower()[:5] for t in tokens if t and t[0].isupper() and t.lower() not in _NOT_NAMES)


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
    tokens = [t.strip("()") for t in _TOKEN.findall(long)]
    return any(
        t.lower()[:5] == short_key[0] and (i == 0 or tokens[i - 1].lower() not in _CONNECTORS | _DETERMINERS)
        for i, t in enumerate(tokens)
    )
