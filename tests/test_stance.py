"""Stance and speaker on sentences from other stories: only grammar decides, no story's words.

The cases cover every verb and construction the lexicon knows, and the words it must not
treat as stance however often one collection uses them ("rumours", "fakes", "groundless").
"""

import pytest

from qa.stance import speaker, stance


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Acme denied the merger talks on Monday.", "denies"),
        ("The club denies any approach for its captain.", "denies"),
        ("The club rejected reports that its captain would leave.", "denies"),
        ("The senator dismissed the allegations as politics.", "denies"),
        ("Globex confirmed the merger in a filing.", "confirms"),
        ("The defendant admitted the charge in court.", "confirms"),
        ("The board acknowledged the loss.", "confirms"),
        ("The candidate conceded on Wednesday night.", "confirms"),
        ("The club refused to confirm the fee.", "denies"),
        ("The regulator declined to confirm the inquiry.", "denies"),
        ("Police could not confirm the arrest.", "denies"),
        ("The agent has not yet acknowledged the offer.", "denies"),
        ("The firm did not admit any wrongdoing.", "denies"),
    ],
)
def test_verbs_of_confirming_and_denying(sentence: str, expected: str) -> None:
    assert stance(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Acme declined to comment on the merger.",
        "The club refused to comment on the fee.",
        "The campaign did not respond to a request for comment.",
        "The defendant's lawyers could not be reached for comment.",
        "The minister has not yet commented on the result.",
        "There was no comment from the campaign.",
        "The court has neither confirmed nor denied the leak.",
        "Neither club has confirmed or denied the talks.",
        "The striker kept silent about his future.",
        "The board remained silent after the vote.",
    ],
)
def test_silence_only_reports(sentence: str) -> None:
    assert stance(sentence) == "reports"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Rumours linked the striker with a move to Milan.", "reports"),
        ("Fans shared fakes of the new kit online.", "reports"),
        ("Critics called the merger plan groundless and baseless.", "reports"),
        ("The court heard evidence from three witnesses.", "reports"),
        ("The commission said the campaign spread false information.", "asserts"),
        ("The striker claimed he was fouled.", "asserts"),
        ("Defence lawyers alleged misconduct by the police.", "asserts"),
        ("Regulators warned the merger would raise prices.", "asserts"),
        ("The union urged members to back the offer.", "asserts"),
        ("The prosecutor accused the firm of fraud.", "asserts"),
        ("The report revealed a loss of 2 million euros.", "asserts"),
    ],
)
def test_words_that_are_not_stance_grammar(sentence: str, expected: str) -> None:
    assert stance(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The election commission here said turnout was high.", "election commission"),
        ("Acme officially confirmed the merger.", "Acme"),
        ("The club for the first time acknowledged the offer.", "club"),
        ("Globex in turn denied the report.", "Globex"),
        ("The coach made a decision to drop the captain.", None),
    ],
)
def test_speaker_before_adverbs(sentence: str, expected: str | None) -> None:
    assert speaker(sentence) == expected
