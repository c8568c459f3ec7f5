"""Repair misspelt question words against the words of the indexed articles.

A word is only repaired when it is neither a word of the articles nor a known English word
(a whole word in the encoder's wordpiece vocabulary), and only to an article word within
one edit (two for words of eight letters or more), the most frequent such word winning.
So "nort korean troups" becomes "north korean troops", while "ever" stays "ever" and
names the articles never mention stay as typed.

Lookups go through a deletion index (SymSpell): every article word is filed under each
string made by deleting up to two of its letters, and a question word is looked up by its
own deletes, so a word costs at most 1 + n + n(n-1)/2 lookups instead of the ~3,000 n^2
strings of trying every two-edit variant. Words longer than `MAX_WORD_LENGTH` and unknown
words past the first `MAX_LOOKUPS` of a question are left as typed, so the time a question
takes is bounded whatever it holds. Left out: phonetic matching and splitting run-on words.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

_WORD = re.compile(r"[A-Za-z]{4,}")
MAX_DISTANCE = 2
MAX_WORD_LENGTH = 20  # longer than nearly every English word; hostile strings stop here
MAX_LOOKUPS = 10  # unknown words looked up per question; the rest stay as typed


def deletes(word: str, distance: int) -> Iterator[str]:
    """`word` and every distinct string made by deleting up to `distance` of its letters.

    Example: deletes("abc", 1) -> "abc", "ab", "ac", "bc"
    """
    level = {word}
    yield word
    for _ in range(distance):
        level = {w[:i] + w[i + 1 :] for w in level for i in range(len(w))} - {word}
        yield from sorted(level)


def damerau_levenshtein(a: str, b: str) -> int:
    """Fewest insertions, deletions, substitutions and adjacent swaps turning `a` into `b`.

    Example: ("ca", "abc") -> 2 (swap to "ac", insert "b"); ("nort", "north") -> 1
    """
    far = len(a) + len(b)
    d = [[far] * (len(b) + 2), [far, *range(len(b) + 1)]]
    d += [[far, i] + [0] * len(b) for i in range(1, len(a) + 1)]
    last_row: dict[str, int] = {}
    for i in range(1, len(a) + 1):
        last_col = 0
        for j in range(1, len(b) + 1):
            k, m, same = last_row.get(b[j - 1], 0), last_col, a[i - 1] == b[j - 1]
            last_col = j if same else last_col
            swap = d[k][m] + (i - k - 1) + 1 + (j - m - 1)
            d[i + 1][j + 1] = min(d[i][j] + (not same), d[i + 1][j] + 1, d[i][j + 1] + 1, swap)
        last_row[a[i - 1]] = i
    return d[len(a) + 1][len(b) + 1]


class SpellingRepair:
    """Corrects question words to article words; built from the articles' texts."""

    def __init__(self, texts: Iterable[str], known_words: set[str]) -> None:
        self.counts = Counter(w.lower() for text in texts for w in _WORD.findall(text))
        self.known = known_words
        self.by_delete: defaultdict[str, list[str]] = defaultdict(list)
        for word in self.counts:
            if len(word) <= MAX_WORD_LENGTH + MAX_DISTANCE:
                for key in deletes(word, MAX_DISTANCE):
                    self.by_delete[key].append(word)

    def correct_word(self, word: str) -> str:
        """Example (articles say "pentagon"): "Pentagone" -> "Pentagon"; "ever" -> "ever"."""
        lower = word.lower()
        if not self._needs_repair(lower):
            return word
        best = self._best_candidate(lower)
        if best is None:
            return word
        return best.capitalize() if word[0].isupper() else best

    def correct(self, question: str) -> str:
        lookups = 0

        def repair(match: re.Match[str]) -> str:
            nonlocal lookups
            word = match.group()
            if not self._needs_repair(word.lower()) or lookups >= MAX_LOOKUPS:
                return word
            lookups += 1
            return self.correct_word(word)

        return _WORD.sub(repair, question)

    def _needs_repair(self, lower: str) -> bool:
        return 4 <= len(lower) <= MAX_WORD_LENGTH and lower not in self.counts and lower not in self.known

    def _best_candidate(self, lower: str) -> str | None:
        """The most frequent article word at the nearest distance (1, or 2 from eight letters)."""
        allowed = 1 if len(lower) < 8 else MAX_DISTANCE
        near: dict[int, set[str]] = defaultdict(set)
        seen: set[str] = set()
        for key in deletes(lower, allowed):
            for candidate in self.by_delete.get(key, ()):
                if candidate not in seen and abs(len(candidate) - len(lower)) <= allowed:
                    seen.add(candidate)
                    near[damerau_levenshtein(lower, candidate)].add(candidate)
        nearest = next((near[d] for d in range(1, allowed + 1) if near[d]), None)
        if not nearest:
            return None
        return max(sorted(nearest), key=lambda w: self.counts[w])
