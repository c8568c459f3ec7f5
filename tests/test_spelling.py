"""Spelling repair: the deletion index matches brute-force two-edit search, at bounded cost."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

import qa.spelling
from qa.spelling import MAX_LOOKUPS, MAX_WORD_LENGTH, SpellingRepair

SEED_CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "articles"


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in string.ascii_lowercase}
        | {a + c + b for a, b in splits for c in string.ascii_lowercase}
    )


def _brute_force(repair: SpellingRepair, word: str) -> str:
    """The search the index replaced: every one-edit variant, then every two-edit one."""
    lower = word.lower()
    if len(lower) < 4 or lower in repair.counts or lower in repair.known:
        return word
    candidates = {w for w in _edits1(lower) if w in repair.counts}
    if not candidates and len(lower) >= 8:
        candidates = {w2 for w1 in _edits1(lower) for w2 in _edits1(w1) if w2 in repair.counts}
    if not candidates:
        return word
    best = max(sorted(candidates), key=lambda w: repair.counts[w])
    return best.capitalize() if word[0].isupper() else best


def _misspell(word: str, rng: random.Random) -> str:
    for _ in range(rng.choice([1, 2])):
        i = rng.randrange(len(word))
        word = rng.choice(
            [word[:i] + word[i + 1 :], word[:i] + rng.choice("aeinrst") + word[i:], word[:i] + "x" + word[i + 1 :]]
        )
    return word


def test_repairs_match_brute_force_search_on_misspelt_article_words() -> None:
    repair = SpellingRepair([p.read_text() for p in SEED_CORPUS.rglob("*") if p.is_file()], {"said"})
    rng = random.Random(13)
    words = sorted(w for w in repair.counts if len(w) <= 12)
    for word in rng.sample(words, 150):
        typo = _misspell(word, rng)
        assert repair.correct_word(typo) == _brute_force(repair, typo), typo


@pytest.fixture
def generated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every candidate string the repair generates while looking words up."""
    strings: list[str] = []
    original = qa.spelling.deletes

    def counting(word: str, distance: int) -> Iterator[str]:
        for s in original(word, distance):
            strings.append(s)
            yield s

    monkeypatch.setattr(qa.spelling, "deletes", counting)
    return strings


def test_a_long_word_generates_at_most_its_two_deletes(generated: list[str]) -> None:
    repair = SpellingRepair(["The Pentagon and North Korea"], set())
    generated.clear()  # building the index generates the articles' deletes; only lookups count
    n = MAX_WORD_LENGTH
    repair.correct_word("q" * 3 + "abcdefghijklmnopqrstuvwxyz"[: n - 3])
    assert 0 < len(generated) <= 1 + n + n * (n - 1) // 2


def test_hostile_words_are_not_looked_up_past_the_caps(generated: list[str]) -> None:
    repair = SpellingRepair(["The Pentagon and North Korea"], set())
    generated.clear()
    rng = random.Random(0)
    hostile = " ".join("".join(rng.choices(string.ascii_lowercase, k=27)) for _ in range(60))
    assert repair.correct(hostile) == hostile
    assert generated == []
    many = " ".join("".join(rng.choices(string.ascii_lowercase, k=12)) for _ in range(60))
    repair.correct(many)
    assert len(generated) <= MAX_LOOKUPS * (1 + 12 + 12 * 11 // 2)
