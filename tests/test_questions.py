"""Question types, stance and speaker, and follow-up rewriting: the rules behind answers."""

import pytest

from qa.conversation import follow_up, rewrite
from qa.question_terms import content_terms
from qa.questions import about_stance, classify, parse_question
from qa.request_types import Turn
from qa.stance import speaker, stance


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did the council vote?", "when"),
        ("On what date was the bridge opened?", "when"),
        ("Who chaired the meeting?", "who"),
        ("Which official resigned?", "who"),
        ("Where did the talks take place?", "where"),
        ("In which city did they meet?", "where"),
        ("Which towns did the floods reach?", "where"),
        ("Which UN envoy spoke first?", "who"),
        ("What government body approved it?", "who"),
        ("What did the agency say?", "what"),
        ("How many people were evacuated?", "how_many"),
        ("how much did it cost", "how_many"),
        ("What did the minister promise?", "what"),
        ("Why was the vote delayed?", "why"),
        ("Did the mayor sign the order?", "yes_no"),
        ("Is the road still closed?", "yes_no"),
        ("And when did they admit it?", "when"),
        ("Where was the minister when he said it?", "where"),
        ("In what part of the country did the floods hit?", "where"),
        ("What figures did the report give for the damage?", "how_many"),
        ("Why did they wait, and how many left?", "why"),
        ("Tell me about the floods", "other"),
    ],
)
def test_classify(question: str, kind: str) -> None:
    assert classify(question) == kind


def test_content_terms_drop_scaffolding() -> None:
    assert content_terms("How many troops did the army send, according to officials?") == {
        "troop",
        "armi",
        "send",
        "offici",
    }


@pytest.mark.parametrize(
    ("question", "kind", "expected"),
    [
        ("When did the company admit the leak?", "when", True),
        ("Is the ministry still denying it?", "yes_no", True),
        ("What is the government's latest position?", "what", True),
        ("Who confirmed the figures first?", "who", False),
        ("Where was the treaty signed?", "where", False),
    ],
)
def test_about_stance(question: str, kind: str, expected: bool) -> None:
    assert about_stance(question, kind) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The ministry confirmed the leak on Monday.", "confirms"),
        ("The company admitted it had lost the files.", "confirms"),
        ("The mayor denied the reports, calling them baseless.", "denies"),
        ("Officials refused to confirm the figure.", "denies"),
        ("The agency could not confirm the deployment.", "denies"),
        ("Neither side has confirmed or denied the reports.", "reports"),
        ("The group remained silent about the claims.", "reports"),
        ("Analysts said the move was unexpected.", "asserts"),
        ("The bridge opened in 1990.", "reports"),
    ],
)
def test_stance(sentence: str, expected: str) -> None:
    assert stance(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("“We will rebuild,” Mayor Ana Lee said on Tuesday.", "Mayor Ana Lee"),
        ("“We will rebuild,” said city spokesperson Jo Park during a briefing.", "city spokesperson Jo Park"),
        ("The Ministry of Health also confirmed the figure.", "Ministry of Health"),
        ("The figure is high, according to the statistics office.", "statistics office"),
        ("“It is over,” he said.", None),
        ("Rain fell all day.", None),
    ],
)
def test_speaker(sentence: str, expected: str | None) -> None:
    assert speaker(sentence) == expected


def _history(*turns: str) -> list[Turn]:
    return [Turn(role="user" if i % 2 == 0 else "assistant", content=t) for i, t in enumerate(turns)]


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (_history("Did Acme deny closing the plant?", "Yes."), "And when did they admit it?",
         "When did Acme admit closing the plant?"),
        (_history("Did Acme confirm the layoffs?", "No."), "what about Globex?", "Did Globex confirm the layoffs?"),
        (_history("What was Acme's position on the merger?", "..."), "What about Globex?",
         "What was Globex's position on the merger?"),
        (_history("How many workers did Acme hire in Ohio?", "About 300 workers [1]."),
         "how many were already in Texas?", "How many workers were already in Texas?"),
        (_history("What did the mayor say?", '“We will rebuild the bridge by spring,” she said. [1]'), "who said that?",
         'Who said "We will rebuild the bridge by spring"?'),
        (_history("What did the official say?", "Jo Park said the plan was final. [1]"),
         "Where was he when he said it?", ("Where was Jo Park when he said it?", "What did the official say?")),
        (_history("Where did the talks happen?", "In Geneva [1]."), "When did they end?",
         ("When did the talks end?", "Where did the talks happen?")),
        ([], "When did Acme admit it?", "When did Acme admit it?"),
        (_history("Where did the Bureau say Acme's trucks were sent?", "To Ohio [1]."), "When did they leave?",
         "When did Acme's trucks leave?"),
        (_history("Where did the Bureau say Acme's trucks were sent?", "To Ohio [1]."), "When did they say so?",
         "When did Bureau say so?"),
        (_history("Who runs Acme?", "Jo Park [1]."), "What did the Globex chief say?",
         "What did the Globex chief say?"),
    ],
)  # fmt: skip
def test_follow_ups_are_rewritten_to_stand_alone(
    history: list[Turn], question: str, expected: str | tuple[str, str]
) -> None:
    assert follow_up(question, history) == (expected if isinstance(expected, tuple) else (expected, None))


def test_each_earlier_follow_up_is_rewritten_before_the_next() -> None:
    history = _history("Did Acme deny closing the plant?", "Yes.", "And did they admit it later?", "Yes [1].")
    assert follow_up("When?", history) == ("When?", "Did Acme admit closing the plant later?")


def test_a_follow_up_is_parsed_once_with_the_question_it_leans_on_kept_apart() -> None:
    history = _history("Where did the talks happen?", "In Geneva [1].")
    question = parse_question("When did they end?", history)
    assert (question.text, question.context, question.asked) == (
        "When did the talks end?", "Where did the talks happen?", "When did they end?")  # fmt: skip
    assert question.type == "when" and question.terms == content_terms("When did the talks end?")
    assert question.with_context == "When did the talks end? Where did the talks happen?"
    assert rewrite("When did they end?", history) == "When did the talks end?"


def test_a_question_is_read_in_its_repaired_spelling_and_shown_as_written() -> None:
    question = parse_question("When did the tlaks end in May 2024?", respell=lambda s: s.replace("tlaks", "talks"))
    assert question.text == "When did the talks end in May 2024?"
    assert question.standalone == "When did the tlaks end in May 2024?"
    assert "talk" in question.terms and [p.text for p in question.periods] == ["May 2024"]
