"""Example questions for the page, read off the indexed articles so another collection gets its own.

`example_questions` takes those of `examples.txt` beside the articles when the collection is the
one that file was written for, else makes them from the articles themselves. Made questions come
from two generic patterns of news English: a headline of the form "<subject> <verb>s <rest>"
("Harbour strike ends in Port Lyra" -> "When did the harbour strike end in Port Lyra?") and a
person quoted by name with a role ("..., union leader Maria Olsen said" -> "Who is Maria Olsen?").

It leaves out the collection's title and empty-state line (`qa.collection`), and checking that
the articles answer the questions, which the tests do with the real reader.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path

from index.catalog import StoredArticle

_FULL_NAME = r"(?:[A-Z][a-z][\w’'-]+\s+){1,2}[A-Z][a-z][\w’'-]+"
_SAYS = r"(?:said|says|told|wrote|added)"
_SPEAKER = re.compile(
    rf"(?:\b(?P<before>{_FULL_NAME})\s+{_SAYS}\b)|(?:\b{_SAYS}\s+(?:[a-z]+\s+){{0,3}}(?P<after>{_FULL_NAME}))"
)
# Words after a headline's verb that start a clause of their own: "... ends in Port Lyra after a pay deal".
_CLAUSE = re.compile(r"\s+(?:amid|after|as|over|while|despite|following|with|—|–|-|:|,|;)\s+.*$|[,:;.!?]+$")
_NOT_VERBS = frozenset({"is", "has", "was", "its", "this", "his", "us", "as", "plus", "news", "series", "thus", "less"})
_BODIES = frozenset(
    """Service Ministry Agency Council Nations Office Department Committee Commission Court Party Union Army Forces
    Bank Company Group Institute University Police Government Press Times Post Assembly Parliament Senate""".split()  # noqa: SIM905
)
_NAME_CONTINUES = frozenset({"the", "of", "for", "and", "at", "in", "on", "by"})
MAX_EXAMPLES = 4


def example_questions(articles: Sequence[StoredArticle], examples_file: Path | None) -> list[str]:
    """The example questions of `examples_file` when most articles lie in its folder, else made ones."""
    if examples_file is not None and examples_file.is_file() and _file_is_theirs(examples_file, articles):
        lines = examples_file.read_text(encoding="utf-8").splitlines()
        written = [line.strip() for line in lines if line.strip()]
        if written:
            return written[:MAX_EXAMPLES]
    return made_questions(articles)


def made_questions(articles: Sequence[StoredArticle]) -> list[str]:
    """Up to four questions from the articles, newest first: a headline's event, then a speaker, per article."""
    newest = sorted(articles, key=lambda a: (a.meta.published is not None, a.meta.published), reverse=True)
    known = proper_names(articles)
    events = [q for a in newest if (q := headline_question(a.meta.title or "", known))]
    speakers = [f"Who is {name}?" for name in _speakers(newest)]
    mixed = [q for pair in zip(events, speakers, strict=False) for q in pair]
    rest = events[len(mixed) // 2 :] + speakers[len(mixed) // 2 :]
    return list(dict.fromkeys(mixed + rest))[:MAX_EXAMPLES]


def headline_question(title: str, proper: Collection[str] = frozenset()) -> str | None:
    """A when-question from a sentence-case headline "<subject> <verb>s <rest>", else None.

    Example: "Harbour strike ends in Port Lyra after a pay deal" -> "When did the harbour strike end in Port Lyra?"
    """
    words = _CLAUSE.sub("", title.strip()).split()
    for i, word in enumerate(words[1:5], start=1):
        if word[:1].isupper() or not _present_verb(word):
            continue
        subject = words[:i]
        if subject[0] not in proper and subject[0][:1].isupper() and not subject[0].isupper():
            subject = ["the", subject[0].lower(), *subject[1:]]
        rest = " ".join(words[i + 1 :])
        return f"When did {' '.join(subject)} {_base_form(word)}{' ' + rest if rest else ''}?"
    return None


def _present_verb(word: str) -> bool:
    return (
        word.isalpha()
        and word.islower()
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "ous"))
        and word not in _NOT_VERBS
    )


def _base_form(verb: str) -> str:
    """Example: "denies" -> "deny"; "pushes" -> "push"; "ends" -> "end"."""
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes")):
        return verb[:-2]
    return verb[:-1]


def _speakers(articles: Sequence[StoredArticle]) -> list[str]:
    """People quoted by first and last name ("Mayor Tomas Berg said" -> "Tomas Berg"), one per article.

    Bodies ("the National Intelligence Service said") are left out: a reader answers "who is" of a
    person named with a role, not of an institution."""
    found: list[str] = []
    for article in articles:
        for match in _SPEAKER.finditer(article.clean.text):
            words = (match.group("before") or match.group("after")).split()
            preceding = article.clean.text[: match.start()].split()[-1:]
            if words[-1] in _BODIES or (preceding and preceding[0] in _NAME_CONTINUES):
                continue  # a body: "the United Nations", "Center for International Security"
            name = " ".join(words[-2:])
            if name not in found:
                found.append(name)
                break  # one speaker per article, so the examples spread over the collection
    return found


def proper_names(articles: Sequence[StoredArticle]) -> set[str]:
    """Words written capitalised in the middle of a sentence somewhere in the texts."""
    return {m.group(1) for a in articles for m in re.finditer(r"[a-z,]\s+([A-Z][\w’'-]+)", a.clean.text)}


def _file_is_theirs(examples_file: Path, articles: Sequence[StoredArticle]) -> bool:
    """Whether at least half the articles were ingested from the folder that holds `examples_file`."""
    folder = examples_file.resolve().parent
    inside = sum(Path(a.source).resolve().is_relative_to(folder) for a in articles)
    return inside * 2 >= len(articles) > 0
