"""Repair misspelt question words against the words of the indexed articles.

A word is only repaired when it is neither a word of the articles nor a known English word
(a whole word in the encoder's wordpiece vocabulary), and only to an article word within
one edit (two for words of eight letters or more), the most frequent such word winning.
So "nort korean troups" becomes "north korean troops", while "ever" stays "ever" and
names the articles never mention stay as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[A-Za-z]{4,}")


def edits1(word: str) -> set[str]:
    """All strings one deletion, transposition, substitution or insertion away from `word`."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return deletes | transposes | replaces | inserts


class SpellingRepair:
    """Corrects question words to article words; built from the articles' texts."""

    def __init__(self, texts: Iterable[str], known_words: set[str]) -> None:
        self.counts = Counter(w.lower() for text in texts for w in _WORD.findall(text))
        self.known = known_words

    def correct_word(self, word: str) -> str:
        """Example (articles say "pentagon"): "Pentagone" -> "Pentagon"; "ever" -> "ever"."""
        lower = word.lower()
        if len(lower) < 4 or lower in self.counts or lower in self.known:
            return word
        candidates = {w for w in edits1(lower) if w in self.counts}
        if not candidates and len(lower) >= 8:
            candidates = {w2 for w1 in edits1(lower) for w2 in edits1(w1) if w2 in self.counts}
        if not candidates:
            return word
        best = max(sorted(candidates), key=lambda w: self.counts[w])
        return best.capitalize() if word[0].isupper() else best

    def correct(self, question: str) -> str:
        return _WORD.sub(lambda m: self.correct_word(m.group()), question)
