"""What of the model's reply its sources support: sentences, their [n] markers, and the check.

`split_sentences` cuts a reply into sentences (lines and bullets too) that keep their markers.
`check_reply` keeps a marker only when its source `supports` the sentence (shares its content
words, or all its numbers), drops a sentence left without one, and renumbers the survivors'
markers 1..k, each citation a verbatim quote at its offsets; `is_abstention` recognises the
fixed "cannot answer" reply. It leaves out what the model is shown (qa.llm_prompt) and asking
it, or falling back when nothing is supported (qa.llm).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING

from index.bm25 import tokenize
from qa.answer_types import ABSTAIN_TEXT, Citation

if TYPE_CHECKING:
    from qa.llm_prompt import Source

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_END = re.compile(r"[.!?][\"'”’)]*(?:\s*\[\d+(?:\s*,\s*\d+)*\])*(?=\s+[\"“‘'(]?[A-Z]|\s*$)")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|No|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec))\.$"
)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences, each with the markers that follow it; lines and bullets split too.

    Example: "Units went [1]. On Oct. 22 the U.S. spoke. [2]" -> ["Units went [1].", "On Oct. 22 the U.S. spoke. [2]"].
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line, start = _BULLET.sub("", line), 0
        for end in _END.finditer(line):
            if not _ABBREVIATION.search(line[start : end.start() + 1]):
                sentences.append(line[start : end.end()].strip())
                start = end.end()
        sentences.append(line[start:].strip())
    return [s for s in sentences if s]


def markers(sentence: str) -> list[int]:
    """Example: "Units went [2][1, 2]." -> [2, 1]."""
    found = [int(n) for group in _MARKERS.findall(sentence) for n in group.split(",")]
    return list(dict.fromkeys(found))


def supports(claim: str, quote: str, published: dt.date | None = None) -> bool:
    """Whether a quote states the claim: half its content words, or all its numbers, and no number it lacks.

    The publication date's numbers count as known, since the model is shown it beside the quote.
    Example: ("12,000 troops went", "About 12,000 soldiers were sent.") -> True (all its numbers);
    ("50,000 troops were sent", "12,000 troops were sent.") -> False (50000 is not in the quote).
    """
    words, known = set(tokenize(_MARKERS.sub("", claim))), set(tokenize(quote))
    numbers = {w for w in words if w[0].isdigit()}
    dated = known | ({str(published.year), str(published.month), str(published.day)} if published else set())
    if not numbers <= dated:
        return False
    return len(words & known) >= max(1, math.ceil(len(words) / 2)) or (bool(numbers) and numbers <= known)


def check_reply(reply: str, sources: list[Source]) -> tuple[str, list[Citation], int]:
    """The reply's supported sentences with markers renumbered 1..k, their citations, and how many were dropped."""
    by_n = {source.n: source for source in sources}
    renumbered: dict[int, int] = {}
    kept: list[str] = []
    sentences = split_sentences(reply)
    for sentence in sentences:
        backing = [n for n in markers(sentence) if n in by_n and by_n[n].supports(sentence)]
        for n in backing:
            renumbered.setdefault(n, len(renumbered) + 1)
        if backing:
            kept.append(_remark(sentence, backing, renumbered))
    citations = [by_n[n].citation(k) for n, k in renumbered.items()]
    return " ".join(kept), citations, len(sentences) - len(kept)


def _remark(sentence: str, backing: list[int], renumbered: dict[int, int]) -> str:
    """The sentence with unsupported markers removed and the rest renumbered."""

    def group(match: re.Match[str]) -> str:
        kept = dict.fromkeys(renumbered[n] for n in map(int, match.group(1).split(",")) if n in backing)
        return "".join(f" [{k}]" for k in kept)

    return _MARKERS.sub(group, sentence)


def is_abstention(text: str) -> bool:
    """Example: "the articles do not answer this" -> True."""
    return _words(_MARKERS.sub("", text)) == _words(ABSTAIN_TEXT)


def _words(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().casefold()
