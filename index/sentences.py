"""Sentence spans for English news text, as character offsets into the text given.

A rule-based splitter: a sentence ends at . ! ? (with any closing quotes) followed by space
and a capital, digit or quote, unless the word before is a known abbreviation ("Oct.",
"U.N.") or an initial; every line break also ends a sentence, since cleaned text keeps one
block per line. It leaves out languages without such punctuation.
"""

from __future__ import annotations

import re

from index.types import Span

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen",
    "rep", "gov", "pres", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "e.g", "i.e", "approx", "est",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\.$")
_BEFORE_NUMBERS = {
    "no",
    "nos",
    "art",
    "vol",
    "p",
    "pp",
}  # "No. 5", "Art. 4": abbreviations only there


def _is_abbreviation(text: str, dot_end: int, next_char: str) -> bool:
    match = _WORD_BEFORE.search(text, 0, dot_end)
    if match is None or text[dot_end : dot_end + 1] not in {"", " ", "\u00a0", "\t"}:
        return False
    word = match.group(1).lower().strip(".")
    if word in _BEFORE_NUMBERS:
        return next_char.isdigit()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _split_block(text: str, start: int, end: int) -> list[Span]:
    spans, begin = [], start
    for match in _BOUNDARY.finditer(text, start, end):
        cut = match.end()
        following = text[cut:end].lstrip()[:1]
        if text[match.start()] == "." and _is_abbreviation(text, match.start() + 1, following):
            continue
        spans.append(Span(begin, cut))
        begin = cut
    spans.append(Span(begin, end))
    return [_strip(text, span) for span in spans if text[span.start : span.end].strip()]


def _strip(text: str, span: Span) -> Span:
    piece = text[span.start : span.end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    return Span(span.start + lead, span.end - trail)


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text`, in order, without surrounding white space.

    Example: "He spoke on Oct. 22. It was late.\\nNext" -> spans of
    "He spoke on Oct. 22.", "It was late." and "Next".
    """
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        spans.extend(_split_block(text, line.start(), line.end()))
    return spans
