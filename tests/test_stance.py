"""Stance and speaker on sentences from other stories: only grammar decides, no story's words.

The cases cover every verb and construction the lexicon knows, and the words it must not
treat as stance however often one collection uses them ("rumours", "fakes", "groundless").
"""

import pytest

from qa.speakers import same_party
from qa.stance import position, speaker, stance


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


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The club refused to confirm the fee.", "declines"),  # not a denial: nothing was denied
        ("Police could not confirm the arrest.", "declines"),
        ("The board remained silent after the vote.", "declines"),
        ("The campaign did not respond to a request for comment.", "declines"),
        ("Acme denied the merger talks on Monday.", "denies"),
        ("Globex confirmed the merger in a filing.", "confirms"),
        ("The union said the offer was too low.", "asserts"),
        ("The mayor called for calm.", "asserts"),
        ("Barges allegedly carrying ore were seen near the port.", "reports"),  # "allegedly" claims nothing
        ("It is noted that the ore was shipped.", "reports"),  # a passive names no claimant
        ("This was reported by the port authority.", "reports"),
        ("PORTVALE, May 6 (HG) — The mill said it would close.", "asserts"),
    ],
)
def test_the_timelines_position_keeps_silence_apart_from_denial(sentence: str, expected: str) -> None:
    assert position(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ('"The fee was never agreed," club spokesman Ivo Rand said.', "club spokesman Ivo Rand"),
        ('"We saw the report, then the league says it has no record," Ivo Rand said.', "Ivo Rand"),  # not "league"
        ("Last week Rivonia said the harbour would reopen.", "Rivonia"),
        ("According to the port authority, the harbour will reopen.", "port authority"),
        ("PORTVALE, May 6 (HG) — Veltra Mining denied the leak.", "Veltra Mining"),
        ("The spokesman cited remarks by Mayor Ana Ruiz, who told reporters it was dead.", "Mayor Ana Ruiz"),
        ("The representative of Ruritania at a session of the Assembly said it had nothing to add.",
         "representative of Ruritania"),
        ("A Ruritanian envoy to the United Nations denied the reports.", "Ruritanian envoy to the United Nations"),
        ("Washington, in turn, also did not confirm the report.", "Washington"),
        ("Neither the club nor Acme has confirmed the fee.", "club and Acme"),
        ("The regional council convened on Tuesday and said it would appeal.", "regional council"),
        ("This was reported by the port authority.", "port authority"),
        ("It is noted that the ore was shipped.", None),
        ("Russian barges were seen near the port, he said.", None),  # a pronoun names no one
        ("The United States warned the port.", "United States"),  # "States" is a name here, not "states"
    ],
)  # fmt: skip
def test_speaker_is_the_name_beside_the_verb_of_speaking_outside_quotes(sentence: str, expected: str | None) -> None:
    assert speaker(sentence) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Ruritania", "Ruritanian state media", True),
        ("Rand", "club spokesman Ivo Rand", True),
        ("PFA", "Professional Footballers' Association (PFA)", True),
        ("Ruritania", "Bank of Ruritania", False),  # a name after "of" is not the speaker
        ("UN", "Ruritanian envoy to the UN Ivo Rand", False),
        ("club spokesman", "club", False),  # no names to compare
        ("Acme", "Globex", False),
    ],
)
def test_same_party_compares_names(a: str, b: str, same: bool) -> None:
    assert same_party(a, b) is same and same_party(b, a) is same
