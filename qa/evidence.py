"""Evidence: the sentences of the retrieved passages, as candidates for the answer.

`gather` takes the sentences of the top passages, each once; `SentenceFacts` is what a
sentence says of itself whatever the question (its dates, stance and speaker); `Evidence` is a
candidate sentence with its score and those facts, as the composers and the stance ordering
read it.

It leaves out how a sentence is scored (`qa.sentence_scoring`), the word statistics scoring
reads (`qa.corpus_stats`) and the checks for the kind of thing asked for (`qa.answer_kinds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.catalog import Catalog, StoredArticle
from index.types import Sentence
from qa.answer_kinds import UNKNOWN
from qa.article_types import Hit
from qa.dates import DateMention, find_dates
from qa.stance import Stance, speaker, stance


@dataclass
class Evidence:
    """A candidate sentence with what the answer composer needs to know about it."""

    sentence: Sentence
    article: StoredArticle
    score: float
    meaning: float
    dates: list[DateMention] = field(default_factory=list)
    stance: Stance = "reports"
    speaker: str | None = None
    before: Sentence | None = None  # the sentence before it in its article

    @classmethod
    def unscored(cls, sentence: Sentence, article: StoredArticle) -> Evidence:
        """A sentence brought in for what it says, not for how well it matched (e.g. to name a speaker)."""
        facts = SentenceFacts.read(sentence, article)
        return cls(sentence, article, 0.0, 0.0, list(facts.dates), facts.stance, facts.speaker)

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def text_without_dates(self) -> str:
        """The sentence with its date expressions blanked, so "since March 13" gives no figure."""
        text = self.text
        for mention in self.dates:
            text = text[: mention.start] + " " * (mention.end - mention.start) + text[mention.end :]
        return text

    @property
    def says_unknown(self) -> bool:
        return bool(UNKNOWN.search(self.text))


def gather(hits: list[Hit], catalog: Catalog, limit: int) -> list[tuple[Sentence, StoredArticle]]:
    """The sentences of the top `limit` passages, each once, in passage order."""
    seen: set[str] = set()
    found = []
    for hit in hits[:limit]:
        article = catalog.articles[hit.doc_id]
        for sentence in article.sentences:
            if hit.start <= sentence.start and sentence.end <= hit.end and sentence.sentence_id not in seen:
                seen.add(sentence.sentence_id)
                found.append((sentence, article))
    return found


@dataclass(frozen=True)
class SentenceFacts:
    """What a sentence says of itself, whatever the question: its dates, stance and speaker."""

    dates: list[DateMention]
    stance: Stance
    speaker: str | None

    @classmethod
    def read(cls, sentence: Sentence, article: StoredArticle) -> SentenceFacts:
        text = sentence.text
        return cls(find_dates(text, article.meta.published), stance(text), speaker(text))
