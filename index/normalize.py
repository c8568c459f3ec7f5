"""Search-side text normalisation: what BM25 and matching see, never what is shown.

Folds Unicode compatibility forms (NFKC), curly quotes and dashes, and letters from other
scripts that look like Latin ones ("Сoordination" with a Cyrillic С). It deliberately does
not translate or transliterate whole words in other scripts: a Cyrillic word stays Cyrillic.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters that render like Latin ones, seen in scraped news text.
_LOOKALIKES = str.maketrans(
    {
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "ո": "n",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o",
    }
)  # fmt: skip
_PUNCT = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "\u00a0": " ", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    }
)  # fmt: skip
_LATIN_CONTEXT = re.compile(r"[A-Za-z]")


def fold_lookalikes(word: str) -> str:
    """Replace look-alike letters inside a word that is otherwise Latin.

    Example: "Сoordination" (Cyrillic С) -> "Coordination"; "Москва" -> "Москва".
    """
    folded = word.translate(_LOOKALIKES)
    return folded if _LATIN_CONTEXT.search(word) else word


def normalize(text: str) -> str:
    """Normalise text for search and comparison.

    Example: "North Korea’s “baseless” — Сoordination" -> "North Korea's \"baseless\" - Coordination"
    """
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    return re.sub(r"\S+", lambda m: fold_lookalikes(m.group()), text)
