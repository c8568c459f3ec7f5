"""Evidence scoring: rare words weigh more, and a sentence borrows words from its context."""

import datetime as dt

import numpy as np

from index.catalog import Catalog, StoredArticle
from index.pipeline import ChunkSettings, process
from index.types import Article, ArticleMeta
from qa.evidence import EvidenceSettings, SentenceStats, question_terms, relevance, word_match

SETTINGS = EvidenceSettings()


def _article(doc_id: str, text: str, title: str = "A report") -> StoredArticle:
    meta = ArticleMeta(doc_id=doc_id, title=title, published=dt.date(2024, 10, 21))
    return process(Article(meta=meta, original=text, source=f"{doc_id}.txt", content_hash=doc_id), ChunkSettings())


BRIEFING = _article(
    "b",
    "Plant spokesman Dmitry Orlov spoke at a briefing on the plant. "
    '"So there is a lot of conflicting information," he said. '
    "The plant employs many workers at the plant.",
)
OTHER = _article("o", "The plant opened in the city. The plant has a new manager.", title="Plant opens")
STATS = SentenceStats(Catalog(articles={"b": BRIEFING, "o": OTHER}))


def test_a_rare_word_weighs_more_than_a_common_one() -> None:
    assert STATS.weight("orlov") > STATS.weight("plant")
    terms = question_terms("Did Orlov visit the plant?", SETTINGS)
    with_rare = word_match(terms, BRIEFING.sentences[0], STATS, SETTINGS)
    with_common = word_match(terms, OTHER.sentences[0], STATS, SETTINGS)
    assert with_rare > with_common


def test_a_quote_ending_he_said_borrows_the_speaker_from_the_sentence_before() -> None:
    quote = BRIEFING.sentences[1]
    terms = question_terms("What did the spokesman Orlov call the information?", SETTINGS)
    borrowed = word_match(terms, quote, STATS, SETTINGS)
    alone = word_match(terms, quote, STATS, SETTINGS.model_copy(update={"context_share": 0.0, "article_share": 0.0}))
    assert borrowed > alone > 0


def test_a_follow_ups_earlier_question_counts_at_a_discount() -> None:
    question = "When did the plant say so? (following: What did spokesman Orlov say?)"
    terms = question_terms(question, SETTINGS)
    assert terms == {"plant": 1.0, "spokesman": SETTINGS.followup_share, "orlov": SETTINGS.followup_share}
    naming, other = BRIEFING.sentences[0], OTHER.sentences[0]  # both name the plant; the first names Orlov too
    assert word_match(terms, naming, STATS, SETTINGS) > word_match(terms, other, STATS, SETTINGS)
    ignoring = SETTINGS.model_copy(update={"followup_share": 0.0})
    terms = question_terms(question, ignoring)
    assert word_match(terms, naming, STATS, ignoring) == word_match(terms, other, STATS, ignoring)


def test_words_elsewhere_in_the_article_count_least() -> None:
    last = BRIEFING.sentences[2]  # "Orlov" is two sentences back: article, not context
    terms = question_terms("Orlov workers", SETTINGS)
    share = word_match(terms, last, STATS, SETTINGS)
    none = word_match(terms, last, STATS, SETTINGS.model_copy(update={"article_share": 0.0}))
    assert share > none


def test_meaning_takes_the_better_of_the_sentence_and_the_sentence_with_its_context() -> None:
    first, quote = BRIEFING.sentences[0].sentence_id, BRIEFING.sentences[1].sentence_id
    vectors = {first: np.array([1.0, 0.0], dtype=np.float32), quote: np.array([0.0, 1.0], dtype=np.float32)}
    question = np.array([1.0, 0.0], dtype=np.float32)
    meaning, _ = relevance({}, question, BRIEFING.sentences[1], vectors, STATS, SETTINGS)
    alone, _ = relevance(
        {}, question, BRIEFING.sentences[1], vectors, STATS, SETTINGS.model_copy(update={"context_meaning": 0.0})
    )
    assert alone == 0.0 and 0.3 < meaning < 1.0
