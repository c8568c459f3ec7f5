"""Answers: leads by question type, exact citations, conflicts in date order, abstention.

Unit tests compose from small articles written here; the end-to-end tests ask the seed
collection through the public API with the real encoder.
"""

import dataclasses
import datetime as dt

import pytest

from evals.answers import answer_scores, run_answers
from evals.testset import load_testset
from index.catalog import StoredArticle
from index.pipeline import ChunkSettings, process
from index.types import Article, ArticleMeta
from qa import Assistant
from qa.answer_types import ABSTAIN_TEXT, Citation
from qa.answerability import unanswerable_reason
from qa.article_types import ArticleSummary
from qa.compose import Composer
from qa.corpus_words import CorpusWords
from qa.dates import find_dates
from qa.evidence import Evidence
from qa.questions import parse_question
from qa.request_types import Question, QuestionType, Turn
from qa.settings import ComposeSettings
from qa.stance import speaker, stance


def _article(doc_id: str, published: str, text: str) -> StoredArticle:
    meta = ArticleMeta(
        doc_id=doc_id, title=f"Title {doc_id}", publisher="Gazette", published=dt.date.fromisoformat(published)
    )
    return process(Article(meta=meta, original=text, source=f"{doc_id}.txt", content_hash=doc_id), ChunkSettings())


def _evidence(article: StoredArticle, index: int, score: float, meaning: float = 0.6) -> Evidence:
    s = article.sentences[index]
    dates = find_dates(s.text, article.meta.published)
    return Evidence(s, article, score, meaning, dates, stance(s.text), speaker(s.text))


def _question(text: str, kind: QuestionType, context: str | None = None) -> Question:
    """The question parsed, of the given type, leaning on `context` as a follow-up would."""
    return dataclasses.replace(parse_question(text), type=kind, context=context)


COMPOSER = Composer(ComposeSettings())
MONDAY = _article(
    "m",
    "2024-10-21",
    "The agency said last Friday that the plant would close. Jo Park said 300 workers would lose jobs.",
)
DENIAL = _article("d", "2024-10-22", "Acme denied closing the plant, calling the reports baseless.")
ADMISSION = _article("a", "2025-04-28", "Acme confirmed the closure of the plant in a statement.")


def _check_citations(citations) -> None:  # type: ignore[no-untyped-def]
    for c in citations:
        article = {"m": MONDAY, "d": DENIAL, "a": ADMISSION}[c.doc_id]
        assert article.clean.text[c.start : c.end] == c.quote


def test_when_resolves_the_relative_date_and_leads_with_it() -> None:
    text, citations = COMPOSER.compose(
        _question("When did the agency say the plant would close?", "when"), [_evidence(MONDAY, 0, 0.9)]
    )
    assert text == (
        "On 18 October 2024 (“last Friday”, counted from the report's date), the agency said that the plant would"
        " close. [1]"
    )
    _check_citations(citations)


def test_when_without_a_date_says_it_is_the_publication_date() -> None:
    text, _ = COMPOSER.compose(_question("When did Acme confirm the closure?", "when"), [_evidence(ADMISSION, 0, 0.9)])
    assert text.startswith("On 28 April 2025 (the date of the report; the article gives no other date), Acme confirmed")


def test_a_superseded_denial_is_never_the_answer_and_comes_as_earlier() -> None:
    denial, admission = _evidence(DENIAL, 0, 0.95), _evidence(ADMISSION, 0, 0.7)
    text, citations = COMPOSER.compose(_question("When did Acme admit closing the plant?", "when"), [denial, admission])
    assert text.startswith("On 28 April 2025")
    assert "Earlier, on 22 October 2024 (the date of the report), Acme denied closing the plant" in text
    assert text.endswith("The 28 April 2025 confirmation is the latest in the articles.")
    assert [c.doc_id for c in citations] == ["a", "d"]
    _check_citations(citations)


@pytest.mark.parametrize(
    ("question", "verdict"),
    [("Did Acme ever confirm closing the plant?", "Yes."), ("Is Acme still denying it closed the plant?", "No.")],
)
def test_yes_no_questions_about_a_stance_get_the_latest_verdict(question: str, verdict: str) -> None:
    text, _ = COMPOSER.compose(_question(question, "yes_no"), [_evidence(DENIAL, 0, 0.9), _evidence(ADMISSION, 0, 0.8)])
    assert text.startswith(f"{verdict} Acme confirmed the closure")


def test_a_question_not_about_a_stance_takes_the_best_evidence_without_history() -> None:
    text, _ = COMPOSER.compose(
        _question("Who called the reports baseless?", "who"), [_evidence(DENIAL, 0, 0.9), _evidence(ADMISSION, 0, 0.8)]
    )
    assert text.startswith("Acme denied") and "Earlier" not in text


def test_how_many_leads_with_the_figure_and_who_gave_it() -> None:
    text, _ = COMPOSER.compose(_question("How many workers will lose jobs?", "how_many"), [_evidence(MONDAY, 1, 0.9)])
    assert text.startswith("300 workers, according to Jo Park [1].")


def test_how_many_never_takes_a_dates_day_for_a_figure_and_prefers_an_explicit_unknown() -> None:
    strike = _article(
        "k", "2024-03-20", "The strike began on March 13 at the plant. The number of strikers was not disclosed."
    )
    text, citations = COMPOSER.compose(
        _question("How many workers are on strike?", "how_many"),
        [_evidence(strike, 0, 0.9), _evidence(strike, 1, 0.85)],
    )
    assert text.startswith("The number of strikers was not disclosed") and citations[0].quote.endswith("disclosed.")
    alone, _ = COMPOSER.compose(_question("How many workers are on strike?", "how_many"), [_evidence(strike, 0, 0.9)])
    assert not alone.startswith("13")


def test_who_answered_by_a_quote_ending_he_said_names_the_speaker_from_the_sentence_before() -> None:
    mayor = _article(
        "y", "2024-03-20", 'Mayor Jo Park said that the city would act. "We will rebuild the bridge," he said.'
    )
    lead = _evidence(mayor, 1, 0.9)
    lead.before = mayor.sentences[0]
    text, citations = COMPOSER.compose(_question("Who promised to rebuild the bridge?", "who"), [lead])
    assert "Jo Park" in text and [c.quote for c in citations] == [s.text for s in reversed(mayor.sentences)]


def test_supports_are_at_most_two_and_not_repeats() -> None:
    evidence = [_evidence(BRIEFING, i, score) for i, score in ((0, 0.9), (0, 0.89), (1, 0.88), (2, 0.87), (3, 0.86))]
    text, citations = COMPOSER.compose(_question("What happened to the unit?", "what"), evidence)
    assert len(citations) == 3 and text.count("[1]") == 1


def test_weak_or_no_evidence_abstains_with_the_fixed_phrase() -> None:
    assert COMPOSER.compose(_question("Anything?", "other"), []) == (ABSTAIN_TEXT, [])
    assert COMPOSER.compose(_question("Anything?", "other"), [_evidence(MONDAY, 0, 0.1)]) == (ABSTAIN_TEXT, [])


STRIKE = _article("s", "2024-03-20", "Workers have struck since March 13 over pay.")
SALE = _article("p", "2024-03-20", "The plant was sold for $40 million. Workers marched to Riverton on Riverton roads.")
BRIEFING = _article(
    "b",
    "2024-10-21",
    "The agency said last Friday that the unit is being prepared to move to the front. "
    "On Friday, spokesman Ivo Rand told reporters the unit would move. "
    "The unit moved to the front on Sunday, officials said. "
    "The agency said last week that shipments have gone out since August.",
)
UNDISCLOSED = _article(
    "u",
    "2024-03-21",
    "Acme will close the plant. The union is angry. The plant opened long ago. "
    "The number of jobs lost is not specified. "
    "The Central Planning Commission of the Acme Party ordered the closure of the plant in Riverton.",
)
CORPUS = CorpusWords.of_texts(
    [MONDAY.clean.text, DENIAL.clean.text, ADMISSION.clean.text, STRIKE.clean.text, SALE.clean.text,
     BRIEFING.clean.text]
)  # fmt: skip


@pytest.mark.parametrize(
    ("question", "kind", "evidence", "reason"),
    [
        ("What did Globex say about the plant?", "what", [_evidence(DENIAL, 0, 0.9)], "never mention Globex"),
        ("What is the name of the agency official?", "who", [_evidence(MONDAY, 0, 0.9)], "no one is named"),
        ("How much did the plant cost?", "how_many", [_evidence(DENIAL, 0, 0.9)], "no figure is given"),
        ("How many workers lose jobs?", "how_many", [_evidence(MONDAY, 1, 0.9)], None),
        ("Who said 300 workers would lose jobs?", "who", [_evidence(MONDAY, 1, 0.9)], None),
        ("How many workers struck on March 13?", "how_many", [_evidence(STRIKE, 0, 0.9)], "no figure is given"),
        ("How much were the 300 jobs worth?", "how_many", [_evidence(MONDAY, 1, 0.9)], "no figure is given"),
        ("What did the plant cost when sold?", "how_many", [_evidence(SALE, 0, 0.9)], None),
        ("Where in Riverton is the plant?", "where", [_evidence(SALE, 1, 0.9)], "no place"),
        ("Where did the Acme workers march?", "where", [_evidence(SALE, 1, 0.9)], None),
        ("When did the unit leave for the front?", "when", [_evidence(BRIEFING, 0, 0.9)], "only the report"),
        ("When did the unit leave for the front?", "when", [_evidence(BRIEFING, 1, 0.9)], "only the report"),
        ("When did the agency say the unit would move?", "when", [_evidence(BRIEFING, 0, 0.9)], None),
        ("When did the unit move to the front?", "when", [_evidence(BRIEFING, 2, 0.9)], None),
        ("Since when have shipments gone out?", "when", [_evidence(BRIEFING, 3, 0.9)], None),
        ("How many workers did Riverton's Acme say would lose jobs?", "how_many", [_evidence(MONDAY, 1, 0.9)],
         "no article cites"),
        ("How many workers did Jo Park say would lose jobs?", "how_many", [_evidence(MONDAY, 1, 0.9)], None),
        ("how many workers did the plant's owners say would lose jobs?", "how_many", [_evidence(MONDAY, 1, 0.9)],
         None),
        ("How many jobs were lost?", "how_many", [_evidence(UNDISCLOSED, 3, 0.9)], None),
        ("Where will the jobs go?", "where", [_evidence(UNDISCLOSED, 3, 0.9)], "no place"),  # the number is unknown
        ("Who was the manager who ordered the closure?", "who", [_evidence(UNDISCLOSED, 4, 0.9)], "no one is named"),
        ("Who was the spokesman who said the unit would move?", "who", [_evidence(BRIEFING, 1, 0.9)], None),
        ("When did the union order the closure?", "when", [_evidence(UNDISCLOSED, 4, 0.9)], "do not date it"),
        ("When did Acme deny closing the plant?", "when", [_evidence(DENIAL, 0, 0.9)], None),  # the lede: its day
        ("When did the strike start?", "when", [_evidence(STRIKE, 0, 0.9)], None),
    ],
)  # fmt: skip
def test_unanswerable_reasons(
    question: str, kind: QuestionType, evidence: list[Evidence], reason: str | None
) -> None:  # fmt: skip
    found = unanswerable_reason(_question(question, kind), evidence, CORPUS)
    assert (found is None) if reason is None else (found is not None and reason in found)


def test_a_follow_up_asks_about_the_saying_only_in_its_own_words() -> None:
    follow_up = _question("When did the unit leave for the front?", "when", context="What did the agency say?")
    assert "only the report" in (unanswerable_reason(follow_up, [_evidence(BRIEFING, 0, 0.9)], CORPUS) or "")


VOLUNTEERS = _article(
    "v",
    "2025-04-01",
    "As of March 19, more than 1.4 million people volunteered to join the army. "
    "But these events are caused solely by the joint military exercises. "
    "The volunteers gathered in squares.",
)


def test_a_why_lead_without_a_reason_brings_the_next_sentence_that_gives_one() -> None:
    question = "Why are so many people volunteering for the army?"
    text, citations = COMPOSER.compose(_question(question, "why"), [_evidence(VOLUNTEERS, 0, 0.9)])
    assert [c.quote for c in citations] == [VOLUNTEERS.sentences[0].text, VOLUNTEERS.sentences[1].text]
    assert "caused solely by the joint military exercises" in text
    _check_citations_of(VOLUNTEERS, citations)
    text, citations = COMPOSER.compose(_question(question, "why"), [_evidence(VOLUNTEERS, 1, 0.9)])
    assert len(citations) == 1  # a lead that gives the reason needs no help


def _check_citations_of(article: StoredArticle, citations) -> None:  # type: ignore[no-untyped-def]
    for c in citations:
        assert article.clean.text[c.start : c.end] == c.quote


def test_the_admission_question_on_the_seed_articles(real_assistant: Assistant) -> None:
    answer = real_assistant.ask("when did North Korea admit involvement?")
    assert not answer.abstained and answer.answer.startswith("On 28 April 2025")
    assert answer.citations[0].doc_id == "002_3b5528ce4bb0199d"
    later = answer.answer.split("Earlier", 1)
    assert len(later) == 2 and "denied" in later[1] and "[1]" in later[0]
    for c in answer.citations:
        assert real_assistant.article(c.doc_id).text[c.start : c.end] == c.quote


def test_a_follow_up_shows_its_standalone_question(real_assistant: Assistant) -> None:
    history = [
        Turn(role="user", content="Did North Korea deny sending troops to Russia?"),
        Turn(role="assistant", content="Yes."),
    ]
    answer = real_assistant.ask("And when did they admit it?", history)
    assert answer.standalone_question == "When did North Korea admit sending troops to Russia?"
    assert "28 April 2025" in answer.answer


@pytest.mark.parametrize("question", ["What did Xi Jinping say about the troops?", "What is the capital of France?"])
def test_questions_the_articles_do_not_answer_abstain(real_assistant: Assistant, question: str) -> None:
    answer = real_assistant.ask(question)
    assert answer.abstained and answer.answer == ABSTAIN_TEXT and answer.citations == []


@pytest.mark.parametrize(
    "question", ["?!...", "Когда Северная Корея признала участие?", "北朝鮮はいつ認めたか", "x " * 900]
)
def test_odd_questions_get_an_answer_or_an_honest_abstention(real_assistant: Assistant, question: str) -> None:
    answer = real_assistant.ask(question)
    assert answer.abstained or answer.citations


@pytest.mark.parametrize(("question", "message"), [("", "empty"), ("   ", "empty"), ("y" * 10_000, "too long")])
def test_empty_or_huge_questions_are_refused_clearly(real_assistant: Assistant, question: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        real_assistant.ask(question)


def test_answer_quality_on_the_test_set(real_assistant: Assistant) -> None:
    """A regression guard a little under the reader's measured level (README has the numbers: accuracy 0.786,
    abstention precision 0.52 and recall 0.92 at the dev-chosen threshold; the rule engine's 0.94 was tuned here)."""
    scores = answer_scores(run_answers(load_testset(), real_assistant))
    assert scores["verbatim"] == 1.0
    assert scores["accuracy"] >= 0.75 and scores["abstention_precision"] >= 0.45 and scores["abstention_recall"] >= 0.85


LAYOFFS = _article("l", "2024-10-21", "Acme will cut 300 jobs at the plant. The union called the cuts unfair.")
ECHO = _article("e", "2024-10-22", "The union said some 300 positions would be lost, starting in spring.")
OTHER_NEWS = _article("x", "2024-10-22", "Globex will hire 120 workers at a new site.")


def test_a_support_from_another_article_must_give_the_same_answer() -> None:
    evidence = [_evidence(LAYOFFS, 0, 0.9), _evidence(OTHER_NEWS, 0, 0.88), _evidence(ECHO, 0, 0.87),
                _evidence(LAYOFFS, 1, 0.86)]  # fmt: skip
    _, citations = COMPOSER.compose(_question("How many jobs will Acme cut?", "how_many"), evidence)
    assert [c.doc_id for c in citations] == ["l", "e", "l"]  # 120 workers elsewhere is another story
    _, citations = COMPOSER.compose(_question("What will Acme do at the plant?", "what"), evidence)
    assert [c.doc_id for c in citations] == ["l", "l"]  # no figure, date, name or place to agree on


def test_a_question_about_a_start_is_answered_by_a_since_date() -> None:
    text, _ = COMPOSER.compose(_question("When did the strike start?", "when"), [_evidence(STRIKE, 0, 0.9)])
    assert text.startswith("Since 13 March 2024, ") and "have struck over pay" in text
    text, _ = COMPOSER.compose(_question("When did workers strike over pay?", "when"), [_evidence(STRIKE, 0, 0.9)])
    assert text.startswith("On 20 March 2024 (the date of the report")


@pytest.mark.parametrize(
    ("url", "shown"),
    [("https://example.com/a", "https://example.com/a"), ("http://example.com", "http://example.com"),
     ("javascript:alert(1)", None), (" JavaScript:alert(1)", None), ("java\tscript:alert(1)", None),
     ("data:text/html,<script>", None), ("//example.com/a", None), ("http://[::1", None), (None, None)],
)  # fmt: skip
def test_only_http_urls_leave_the_api_even_from_an_older_store(url: str | None, shown: str | None) -> None:
    citation = Citation(n=1, doc_id="a", title=None, publisher=None, published=None, url=url, quote="q", start=0, end=1)
    summary = ArticleSummary(doc_id="a", title=None, publisher=None, byline=None, published=None,
                             date_inferred=False, url=url, language="en", chunks=1)  # fmt: skip
    assert citation.url == shown and summary.url == shown
    assert citation.model_dump(mode="json")["url"] == shown
