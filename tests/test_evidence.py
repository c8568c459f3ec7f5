"""Evidence scoring: rare words weigh more, and a sentence borrows words from its context."""

import dataclasses
import datetime as dt

import numpy as np
import pytest

from index.bm25 import tokenize
from index.catalog import Catalog, StoredArticle
from index.pipeline import ChunkSettings, process
from index.types import Article, ArticleMeta
from qa.answer_kinds import kind_match, new_names, new_places, reason_match
from qa.asked import Asked, in_period, question_terms
from qa.corpus_stats import SentenceStats, names_source
from qa.dates import find_dates
from qa.question_terms import attributed_source, focus_phrase
from qa.questions import parse_question
from qa.request_types import Question, QuestionType
from qa.sentence_scoring import relevance, sentence_score, word_match
from qa.settings import EvidenceSettings

SETTINGS = EvidenceSettings()


def _question(text: str, kind: QuestionType | None = None, context: str | None = None) -> Question:
    """The question parsed, of the given type, leaning on `context` as a follow-up would."""
    parsed = parse_question(text)
    return dataclasses.replace(parsed, type=kind or parsed.type, context=context)


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
    terms = question_terms(_question("Did Orlov visit the plant?"), SETTINGS)
    with_rare = word_match(terms, BRIEFING.sentences[0], STATS, SETTINGS)
    with_common = word_match(terms, OTHER.sentences[0], STATS, SETTINGS)
    assert with_rare > with_common


def test_a_quote_ending_he_said_borrows_the_speaker_from_the_sentence_before() -> None:
    quote = BRIEFING.sentences[1]
    terms = question_terms(_question("What did the spokesman Orlov call the information?"), SETTINGS)
    borrowed = word_match(terms, quote, STATS, SETTINGS)
    alone = word_match(terms, quote, STATS, SETTINGS.model_copy(update={"context_share": 0.0, "article_share": 0.0}))
    assert borrowed > alone > 0


def test_a_follow_ups_earlier_question_counts_at_a_discount() -> None:
    question = _question("When did the plant say so?", context="What did spokesman Orlov say?")
    terms = question_terms(question, SETTINGS)
    assert terms == {"plant": 1.0, "spokesman": SETTINGS.followup_share, "orlov": SETTINGS.followup_share}
    naming, other = BRIEFING.sentences[0], OTHER.sentences[0]  # both name the plant; the first names Orlov too
    assert word_match(terms, naming, STATS, SETTINGS) > word_match(terms, other, STATS, SETTINGS)
    ignoring = SETTINGS.model_copy(update={"followup_share": 0.0})
    terms = question_terms(question, ignoring)
    assert word_match(terms, naming, STATS, ignoring) == word_match(terms, other, STATS, ignoring)


def test_words_elsewhere_in_the_article_count_least() -> None:
    last = BRIEFING.sentences[2]  # "Orlov" is two sentences back: article, not context
    terms = question_terms(_question("Orlov workers"), SETTINGS)
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


@pytest.mark.parametrize(
    ("text", "gives_reason"),
    [
        ("Cooperation is impossible, since Russia itself voted for the sanctions.", True),
        ("But since the United States is clinging to every rumor, it wants sanctions.", True),
        ("These events are caused solely by the exercises.", True),
        ("The group has fought since August last year.", False),
        ("It was the first comment since the agency said so last week.", False),
        ("Workers have struck since March 13.", False),
    ],
)
def test_a_reason_is_told_from_a_since_of_time(text: str, gives_reason: bool) -> None:
    assert (kind_match("why", text, find_dates(text, dt.date(2024, 10, 22))) > 0) == gives_reason


@pytest.mark.parametrize(
    ("question", "text", "places"),
    [
        ("Where did the units fight?", "They fought in the Kursk region of Russia.", ["Kursk", "Russia"]),
        ("Which towns in the Kursk region did they retake?", "Units fought in the Kursk region of Russia.", []),
        ("Where were they sent?", "They were sent to the city of Vladivostok.", ["Vladivostok"]),
        ("Where did North Korea fight?", "Troops from North Korea would fight on Russia's side.", []),
        ("Where did the general report?", "The general reported to Kremlin leader Vladimir Putin.", []),
        ("Where was the treaty signed?", "The treaty was signed in June last year.", []),
        ("Where were they driven out?", "The region was freed from the Armed Forces of Ukraine.", []),
    ],
)
def test_a_place_is_new_to_the_question_and_not_a_date_a_body_or_an_attribute(
    question: str, text: str, places: list[str]
) -> None:
    asked = set(tokenize(question))
    assert new_places(asked, text) == places
    assert kind_match("where", text, [], asked) == float(bool(places))


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("According to Orlov, why did the plant close?", {"orlov"}),
        ("How many workers did the plant's owner Globex say were hired?", {"globex"}),
        ("how many did zelensky say were sent?", {"zelenski"}),
        ("When did the agency announce that?", set()),  # a description, not a name
        ("what word did the kremlin use to describe it?", set()),  # "use" is no verb of saying
        ("Did it say how many?", set()),
        ("How did the plant's position on the reports change?", set()),
    ],
)
def test_attributed_source(question: str, source: set[str]) -> None:
    assert attributed_source(question) == source


def test_an_article_that_never_names_the_source_cannot_report_what_it_said() -> None:
    assert names_source({"orlov"}, "b", STATS)
    assert not names_source({"orlov"}, "o", STATS)
    assert names_source({"plant"}, "o", STATS)  # a word every article holds constrains nothing
    assert names_source(set(tokenize("workers")), "o", STATS)  # nor one the articles never write as a name


def test_a_sentence_loses_the_source_penalty_only_where_its_article_never_names_the_source() -> None:
    asked = Asked.of(_question("According to Orlov, what does the plant have?", "what"), SETTINGS)
    unsourced = Asked(asked.terms, asked.kind)
    zero, vectors = np.zeros(2, dtype=np.float32), {}
    for sentence, named in ((OTHER.sentences[1], False), (BRIEFING.sentences[2], True)):
        cited = sentence_score(asked, zero, sentence, [], vectors, STATS, SETTINGS)[0]
        plain = sentence_score(unsourced, zero, sentence, [], vectors, STATS, SETTINGS)[0]
        assert cited == pytest.approx(plain if named else plain - SETTINGS.source_penalty)


@pytest.mark.parametrize(
    ("question", "text", "names"),
    [
        (
            "Which news agency reported North Korea's denial?",
            "This was reported by the Yonhap news agency.",
            ["Yonhap"],
        ),
        ("Which news agency reported North Korea's denial?", "North Korean officials said so on Monday.", []),
        ("Who spoke for the plant?", "Moscow refused to comment.", []),  # a lone first word is no name
        ("Who ran the plant?", "The plant's spokesman declined to comment.", ["spokesman"]),
    ],
)
def test_a_who_answer_names_someone_the_question_does_not(question: str, text: str, names: list[str]) -> None:
    asked = set(tokenize(question))
    assert new_names(asked, text) == names
    assert kind_match("who", text, [], asked) == float(bool(names))


def test_a_period_matches_to_the_precision_the_question_names() -> None:
    april, year = find_dates("in April 2025", None)[0], find_dates("in 2025", None)[0]
    assert in_period(dt.date(2025, 4, 28), april) and not in_period(dt.date(2025, 5, 1), april)
    assert in_period(dt.date(2025, 12, 1), year) and not in_period(dt.date(2024, 12, 1), year)
    assert not in_period(None, year)


def test_a_sentence_dated_or_published_in_the_period_asked_about_gains_the_date_weight() -> None:
    asked = Asked.of(_question("What did the plant say in October 2024?", "what"), SETTINGS)
    undated = Asked(asked.terms, asked.kind)
    zero, vectors = np.zeros(2, dtype=np.float32), {}
    published_then = OTHER.sentences[0]  # both articles were published on 21 October 2024
    gain = (sentence_score(asked, zero, published_then, [], vectors, STATS, SETTINGS)[0]
            - sentence_score(undated, zero, published_then, [], vectors, STATS, SETTINGS)[0])  # fmt: skip
    assert gain == pytest.approx(SETTINGS.date_weight)
    dated_else = find_dates("It opened in March 2020.", dt.date(2024, 10, 21))
    assert sentence_score(asked, zero, published_then, dated_else, vectors, STATS, SETTINGS)[0] == pytest.approx(
        sentence_score(undated, zero, published_then, dated_else, vectors, STATS, SETTINGS)[0]
    )  # its own date, not its publication, places the sentence in time
    followup = Asked.of(_question("What did it say?", context="What did the plant say in October 2024?"), SETTINGS)
    assert followup.periods[0][1] == SETTINGS.followup_share


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("Which news agency reported the denial?", {"news", "agenc"}),
        ("In what part of Russia did they fight?", {"part", "russia"}),
        ("What kind of payoff did he expect?", {"payoff"}),
        ("Which body officially confirmed it?", {"bodi"}),
        ("What is going to be built?", set()),
        ("Who spoke first?", set()),
    ],
)
def test_focus_phrase(question: str, focus: set[str]) -> None:
    assert focus_phrase(question) == focus


def _gain(asked: Asked, sentence_text: str) -> float:
    """What the question's extra features add to a sentence's score, over its words and meaning alone."""
    article = _article("g", sentence_text)
    stats = SentenceStats(Catalog(articles={"g": article, "o": OTHER}))
    zero, plain = np.zeros(2, dtype=np.float32), Asked(asked.terms, asked.kind)
    sentence = article.sentences[0]
    return (sentence_score(asked, zero, sentence, [], {}, stats, SETTINGS)[0]
            - sentence_score(plain, zero, sentence, [], {}, stats, SETTINGS)[0])  # fmt: skip


def test_a_sentence_with_the_whole_focus_phrase_gains_the_focus_weight() -> None:
    asked = Asked.of(_question("Which news agency reported the closure?", "who"), SETTINGS)
    assert _gain(asked, "This was reported by the Yonhap news agency.") == pytest.approx(SETTINGS.focus_weight)
    assert _gain(asked, "The agency said the plant would close.") == 0.0  # "agency" alone is not the phrase


def test_a_question_about_a_comparison_prefers_a_likeness() -> None:
    asked = Asked.of(_question("What did the mayor compare the flood to?", "what"), SETTINGS)
    assert asked.wants_comparison
    assert _gain(asked, "He said the water rose in the same way as in 1953.") == pytest.approx(SETTINGS.kind_weight)
    assert _gain(asked, "He said the water rose quickly.") == 0.0


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("The troops were sent to the war in accordance with the treaty.", 1.0),
        ("The remarks came in response to an envoy's comment that troops would be sent.", 0.75),
        ("The troops were sent to the war last year.", 0.0),
    ],
)
def test_a_reason_counts_fully_when_it_explains_what_the_question_asks_about(text: str, match: float) -> None:
    asked = set(tokenize("Why were the troops sent?"))
    assert reason_match(text, [], asked) == match
