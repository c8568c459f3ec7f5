"""Who a sentence attributes its words to: the person or body before "said", after "according to".

The speaker is a name phrase (`qa.parties`) read off the words around a verb of speaking,
outside quotation marks (words inside a quote belong to the speaker, so a name there is not the
speaker's): "Kremlin spokesman Dmitry Peskov said", "according to the election commission",
"”, said ministry spokesperson Jo Park". Without such a verb-side phrase, the sentence's subject
is taken when it opens the sentence and the sentence reports speech ("The council met and said").

Left out: coreference ("he said" names no one: the caller looks at earlier sentences) and any
parsing beyond the words next to the verb.
"""

from __future__ import annotations

import re

from qa.dates import dateline_end
from qa.parties import NOT_NAMES, TOKEN, name_after, name_before, opening_role, party_key, same_party

__all__ = ["blank_quotes", "party_key", "same_party", "speaker", "speech_verb_at"]

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
_ASIDE = re.compile(r",\s*(?:in turn|for (?:its|his|her|their) part|too|however|meanwhile)\s*,", re.IGNORECASE)
_VERB_AFTER_QUOTE = re.compile(r"[\"”]\s*,?\s*(?P<verb>[a-z]+)\b")
_PASSIVE = re.compile(r"\b(is|are|was|were|been|being|be)\s+(\w+ly\s+)?$", re.IGNORECASE)


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
    tokens = TOKEN.findall(text)
    for found in (_according_to(tokens), _before_a_verb(tokens), _after_a_quote(text), _subject(tokens)):
        if found:
            return found
    return None


def _according_to(tokens: list[str]) -> str | None:
    for index in range(len(tokens) - 1):
        if tokens[index].lower() == "according" and tokens[index + 1].lower() == "to":
            return name_after(tokens, index + 2)
    return None


def _before_a_verb(tokens: list[str]) -> str | None:
    for index, token in enumerate(tokens):
        if token in _SPEECH_VERBS and _passive(tokens, index):
            by = next((i for i in range(index + 1, min(len(tokens), index + 4)) if tokens[i] == "by"), None)
            return name_after(tokens, by + 1) if by is not None else None  # the passive's agent, if named
        if token in _SPEECH_VERBS:
            end = _skip_back(tokens, index)
            if end > 1 and tokens[end - 1].lower() == "who" and tokens[end - 2] == ",":  # "Jo Park, who told"
                end -= 2
            found = opening_role(tokens, end) or name_before(tokens, end)
            if not found and end > 0 and tokens[end - 1] == ",":  # "Jo Park, the mayor, said"
                opening = next((i for i in range(end - 2, max(-1, end - 10), -1) if tokens[i] == ","), None)
                found = name_before(tokens, opening) if opening is not None else None
            if found:
                return found
    return None


def _after_a_quote(text: str) -> str | None:
    """'...,” said ministry spokesperson Jo Park during a briefing' -> "ministry spokesperson Jo Park"."""
    for match in _VERB_AFTER_QUOTE.finditer(text):
        if match["verb"] in _SPEECH_VERBS:
            return name_after(TOKEN.findall(text[match.end() :]), 0)
    return None


def _subject(tokens: list[str]) -> str | None:
    """The phrase opening the sentence, when a verb of speaking follows somewhere ("The council met and said")."""
    if not any(t in _SPEECH_VERBS and not _passive(tokens, i) for i, t in enumerate(tokens)):
        return None
    start = tokens.index(",") + 1 if "," in tokens[:6] and tokens[0].lower() in NOT_NAMES else 0
    return name_after(tokens, start, subject=True)


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
