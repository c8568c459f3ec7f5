"""Which way a date points, read off the verb next to it (issue 13), on sentences from other stories."""

import pytest

from qa.tense import question_tense, tense_at


@pytest.mark.parametrize(
    ("sentence", "expression", "tense"),
    [
        ("Talks will restart on April 2.", "April 2", "future"),
        ("Talks collapsed on April 2.", "April 2", "past"),
        ("The April 2 talks were short.", "April 2", "past"),  # nothing before it: the verb after decides
        ("On April 2, talks will restart.", "April 2", "future"),
        ("Talks, which collapsed in November, will restart on April 2.", "November", "past"),
        ("Talks, which collapsed in November, will restart on April 2.", "April 2", "future"),
        ("The strike began on March 13 and will end on May 1.", "March 13", "past"),
        ("The strike began on March 13 and will end on May 1.", "May 1", "future"),
        ("Elections are scheduled for June.", "June", "future"),
        ("The minister is expected to arrive on Friday.", "Friday", "future"),
        ("They'll vote on Friday.", "Friday", "future"),
        ("The plant would reopen on Monday.", "Monday", "either"),  # the future of a past statement: either side
        ("A ceremony on Monday.", "Monday", None),
        ("The fair opens on Monday.", "Monday", None),  # present tense for a schedule: left out
    ],
)
def test_the_verb_next_to_a_date_gives_its_direction(sentence: str, expression: str, tense: str | None) -> None:
    start = sentence.index(expression)
    assert tense_at(sentence, start, start + len(expression)) == tense


@pytest.mark.parametrize(
    ("question", "tense"),
    [("When did the talks collapse?", "past"), ("When was it signed?", "past"), ("When will they vote?", "future"),
     ("When is the vote due?", "future"), ("When is the summit?", None), ("When would it reopen?", None)],
)  # fmt: skip
def test_a_question_looks_back_ahead_or_neither(question: str, tense: str | None) -> None:
    assert question_tense(question) == tense
