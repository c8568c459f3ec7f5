"""What the page says about the collection: its title, its empty-state line and example questions.

All of it is read off the indexed articles, so another collection gets its own words: the title
from the names its headlines share with its texts, the line from its sources and dates.

It leaves out the example questions themselves, chosen or made by `qa.example_questions`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.catalog import StoredArticle
from qa.example_questions import example_questions, proper_names

_NAME = re.compile(r"\b[A-Z][\w’'-]*[a-z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*[a-z][\w’'-]*)*")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


@dataclass(frozen=True)
class CollectionView:
    """The page's words about one collection."""

    title: str
    blurb: str
    examples: list[str]


def describe(articles: Sequence[StoredArticle], examples_file: Path | None) -> CollectionView:
    """Title, empty-state line and examples for these articles (`examples_file` if it is theirs)."""
    examples = example_questions(articles, examples_file)
    return CollectionView(collection_title(articles), collection_blurb(articles), examples)


def collection_title(articles: Sequence[StoredArticle]) -> str:
    """What the collection is about: the names its headlines share with its texts, and its years.

    Example: five articles whose headlines name North Korea, Russia and Ukraine ->
    "North Korea · Russia · Ukraine: 5 articles, 2023–2025"
    """
    if not articles:
        return "No articles yet"
    names = ", ".join(_shared_names(articles)[:3]).replace(", ", " · ") or "News articles"
    noun = "article" if len(articles) == 1 else "articles"
    return f"{names}: {len(articles)} {noun}{_years(articles)}"


def collection_blurb(articles: Sequence[StoredArticle]) -> str:
    """The empty chat's line. Example: "Ask about 2 articles from Example Gazette, published June 2024.\""""
    if not articles:
        return "No articles are indexed yet: add some (qa ingest, or the Articles tab) and ask about them."
    publishers = list(dict.fromkeys(a.meta.publisher for a in articles if a.meta.publisher))
    sources = ""
    if len(publishers) <= 2 and all(len(p) <= 40 for p in publishers):
        sources = " from " + " and ".join(publishers) if publishers else ""
    elif publishers:
        sources = f" from {len(publishers)} publishers"
    dated = sorted(a.meta.published for a in articles if a.meta.published)
    when = ""
    if dated:
        first, last = (f"{_MONTHS[d.month - 1]} {d.year}" for d in (dated[0], dated[-1]))
        when = f", published {first}" + (f" to {last}" if last != first else "")
    noun = "article" if len(articles) == 1 else f"{len(articles)} articles"
    lead = f"Ask about this {noun}" if len(articles) == 1 else f"Ask about these {noun}"
    return f"{lead}{sources}{when}. Every answer quotes the sentences it comes from."


def _shared_names(articles: Sequence[StoredArticle]) -> list[str]:
    """Names in the headlines, by how many articles' texts name them; headline-only capitals are left out."""
    proper = proper_names(articles)
    in_titles = {n for a in articles for n in _NAME.findall(a.meta.title or "") if n.split()[0] in proper}
    reach = Counter(n for n in in_titles for a in articles if n in a.clean.text or n in (a.meta.title or ""))
    ranked = sorted(reach, key=lambda n: (-reach[n], -len(n.split()), n))
    kept: list[str] = []
    for name in ranked:
        if not any(name in k or k in name for k in kept):
            kept.append(name)
    return kept


def _years(articles: Sequence[StoredArticle]) -> str:
    """Example: two articles of 2023 and 2025 -> ", 2023–2025"."""
    years = sorted({a.meta.published.year for a in articles if a.meta.published})
    if not years:
        return ""
    return f", {years[0]}" if len(years) == 1 else f", {years[0]}–{years[-1]}"
