"""Dates in answers, as a new user checked them (issue 13), on made-up articles from other stories.

A date without a year follows the tense of its verb; a when-answer takes the sentence's date in
the tense the question asks about, from the clause that shares its words; an undated event takes
the day the article gives the same speaker's words, else the report's date, and says which; a
dateline is never part of an answer, and an answer carries one date per event.
"""

import re

import pytest

from qa.answer_dates import answer_date
from qa.answer_types import ABSTAIN_TEXT
from tests.test_answers import COMPOSER, _article, _check_citations_of, _evidence, _question

TALKS = _article(
    "t", "2025-03-14", "Talks, which collapsed in November 2023, will restart on April 2, the mediators said."
)
GENEVA = _article("g", "2025-03-14", "GENEVA, March 14 - Negotiators agreed on Thursday to resume the water talks.")
COUNCIL = _article("c", "2024-10-23", "On Monday, the council voted to close the ferry line.")
FERRY_RETURN = _article("r", "2024-10-23", "The council said the ferry line will reopen on Monday.")
DENIAL = _article(
    "d",
    "2024-10-22",
    "SEOUL, Oct. 22 (WNS) — A Ruritanian envoy to the United Nations denied that troops had crossed the border. "
    "“We have nothing more to add,” the Ruritanian envoy said Monday at the Assembly.",
)
ADMISSION = _article("a", "2025-04-28", "Ruritania admitted that its troops had crossed the border.")


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("When will the talks restart?", "On 2 April 2025, "),  # not 2 April 2024: "will" looks ahead
        ("When did the talks collapse?", "In November 2023, "),  # the past date, from the clause with "collapsed"
    ],
)
def test_the_date_follows_the_tense_and_the_clause_of_the_question(question: str, lead: str) -> None:
    text, citations = COMPOSER.compose(_question(question, "when"), [_evidence(TALKS, 0, 0.9)])
    assert text.startswith(lead)
    _check_citations_of(TALKS, citations)


@pytest.mark.parametrize(
    ("article", "question", "lead"),
    [
        (COUNCIL, "When did the council vote to close the ferry line?", "On 21 October 2024 (“Monday”"),
        (FERRY_RETURN, "When will the ferry line reopen?", "On 28 October 2024 (“Monday”"),
    ],
)
def test_a_weekday_is_the_one_before_publication_in_the_past_and_after_it_in_the_future(
    article, question: str, lead: str
) -> None:  # type: ignore[no-untyped-def]
    text, _ = COMPOSER.compose(_question(question, "when"), [_evidence(article, 0, 0.9)])
    assert text.startswith(lead) and "counted from the report's date" in text


def test_a_dateline_is_never_part_of_the_answer_and_one_date_is_said_per_event() -> None:
    text, citations = COMPOSER.compose(
        _question("When did negotiators agree to resume the water talks?", "when"), [_evidence(GENEVA, 0, 0.9)]
    )
    assert text == (
        "On 13 March 2025 (“Thursday”, counted from the report's date), Negotiators agreed to resume the water "
        "talks. [1]"
    )
    assert "GENEVA" not in text and len(re.findall(r"\b20\d\d\b", text)) == 1
    assert citations[0].quote.startswith("Negotiators agreed") and "GENEVA" not in citations[0].quote
    _check_citations_of(GENEVA, citations)


def test_an_undated_denial_takes_the_day_the_article_gives_the_same_speaker_and_says_so() -> None:
    evidence = [_evidence(ADMISSION, 0, 0.9), _evidence(DENIAL, 0, 0.8)]
    text, citations = COMPOSER.compose(_question("When did Ruritania admit that troops crossed the border?", "when"),
                                       evidence)  # fmt: skip
    assert text.startswith("On 28 April 2025 (the date of the report; the article gives no other date), Ruritania")
    assert "Earlier, on 21 October 2024 (“Monday”, as the article dates these words elsewhere), a Ruritanian" in text
    assert "22 October" not in text and "SEOUL" not in text
    _check_citations_of(DENIAL, [c for c in citations if c.doc_id == "d"])


def test_without_a_date_of_its_own_or_elsewhere_the_report_date_is_said_to_be_that() -> None:
    alone = _article("x", "2024-10-22", "Ruritania denied that its troops had crossed the border.")
    when, mention = answer_date("When did Ruritania deny it?", _evidence(alone, 0, 0.9))
    assert when is not None and mention is None
    assert (when.date.isoformat(), when.known_from, when.note()) == (
        "2024-10-22",
        "publication",
        "the date of the report",
    )


def test_weak_evidence_still_abstains() -> None:
    assert COMPOSER.compose(_question("When?", "when"), [_evidence(TALKS, 0, 0.1)]) == (ABSTAIN_TEXT, [])
