"""The BM25 side of hybrid retrieval: a tokenizer and a bm25s index saved beside Chroma.

Tokens are normalised (see `normalize`), lower-cased, stop words dropped and stemmed with
the Snowball English stemmer; numbers keep their digits without separators ("12,000" ->
"12000"), so a figure matches however it is written.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from index.catalog import StoreDamaged
from index.normalize import normalize

_TOKEN = re.compile(r"\d[\d,.]*\d|\w+", re.UNICODE)
STOP_WORDS = frozenset(
    """
    a an and are as at be been but by did do does for from had has have he her his how i if in into
    is it its me my no nor not of on or our she so than that the their them then there these they
    this those to was we were what when where which who whom why will with would you your about
    after all also any can could into over said says such up s t
    """.split()  # noqa: SIM905  (a word list reads better as prose)
)  # fmt: skip


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Search tokens of a text.

    Example: "North Korea’s 12,000 troops" -> ["north", "korea", "12000", "troop"].
    """
    words = _TOKEN.findall(normalize(text).casefold())
    kept = [w.replace(",", "") if w[0].isdigit() else w for w in words if w not in STOP_WORDS]
    return [w if w[0].isdigit() else _stemmer().stemWord(w) for w in kept]


class Bm25Index:
    """BM25 scores over a fixed list of ids, in the order given at build time."""

    def __init__(self, ids: list[str], model: bm25s.BM25 | None) -> None:
        self.ids = ids
        self.model = model

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> Bm25Index:
        if not ids:
            return cls([], None)
        model = bm25s.BM25()
        model.index([tokenize(text) or ["\x00"] for text in texts], show_progress=False)
        return cls(ids, model)

    def scores(self, query: str) -> np.ndarray:
        """One BM25 score per id; all zeros when no query word is indexed."""
        tokens = tokenize(query)
        if self.model is None or not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        if self.model is not None:
            self.model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> Bm25Index:
        """The index saved in `folder`; `StoreDamaged` when it is missing or cannot be read."""
        if not (folder / "ids.json").is_file():
            raise StoreDamaged(f"{folder} is missing, so keyword search would be off", repair="ingest")
        try:
            ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise ValueError("ids.json is not a list of chunk ids")
            if not ids:
                return cls([], None)
            model = bm25s.BM25.load(str(folder), show_progress=False)
            if model.scores.get("num_docs") != len(ids):
                raise ValueError(f"{len(ids)} ids but {model.scores.get('num_docs')} indexed texts")
            return cls(ids, model)
        except (OSError, ValueError) as error:  # a missing or truncated file; JSON errors are ValueErrors
            detail = " ".join(str(error).split())[:200]
            raise StoreDamaged(f"{folder} cannot be read ({detail})", repair="ingest") from None
