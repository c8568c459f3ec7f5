"""Follow-up rewriting: whom "he/she/they" mean, and which time an earlier question carries over."""

import pytest

from qa.conversation import follow_up
from qa.referents import asked_person, named_person, plural_phrase, without_period
from qa.request_types import Turn


def _history(*turns: str) -> list[Turn]:
    return [Turn(role="user" if i % 2 == 0 else "assistant", content=t) for i, t in enumerate(turns)]


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (_history("What did the Kremlin spokesman say about North Korean troops?",
                  "Kremlin spokesman Dmitry Peskov said the reports were contradictory. [1]"),
         "what did he say about the reports?", "What did Dmitry Peskov say about the reports?"),
        (_history("What did the Kremlin spokesman say about North Korean troops?",
                  "“We see a lot of contradictory information,” the Kremlin said. [1]"),
         "what did he say about the reports?", "What did the Kremlin spokesman say about the reports?"),
        (_history("who is the NATO chief?", "NATO Secretary General Mark Rutte said the move was an escalation [1]."),
         "what did he say?", "What did Mark Rutte say?"),
        (_history("Who is the Globex chief executive?", "Globex chief executive Maria Costa said the merger was done."),
         "what did she say about jobs?", "What did Maria Costa say about jobs?"),
        (_history("Who coaches the club?", "Head coach Ana Lee took over in June. [1]"), "Did she sign new players?",
         "Did Ana Lee sign new players?"),
        (_history("who is jo park?", "He chairs the Transport Committee. [1]"), "when did he take over?",
         ("When did jo park take over?", "who is jo park?")),
        (_history("Who counted the votes in Ohio?", "We counted every vote twice, the board said. [1]"),
         "what did he say about the fire?",
         ("What did he say about the fire?", "Who counted the votes in Ohio?")),
    ],
)  # fmt: skip
def test_he_and_she_become_a_person(history: list[Turn], question: str, expected: str | tuple[str, str]) -> None:
    assert follow_up(question, history) == (expected if isinstance(expected, tuple) else (expected, None))


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (_history("How many North Korean troops were sent to Russia?", "About 12,000 [1]."),
         "and where were they sent first?", "Where were North Korean troops sent first?"),
        (_history("Did North Korea send soldiers to Russia?", "Yes [1]."), "and where were they sent first?",
         ("Where were soldiers sent first?", "Did North Korea send soldiers to Russia?")),
        (_history("Did Globex buy Acme's factories?", "Yes [1]."), "when were they closed?",
         "When were Acme's factories closed?"),
        (_history("How many fans did Rovers bring to the final?", "About 9,000 [1]."), "where did they sit?",
         ("Where did fans sit?", "How many fans did Rovers bring to the final?")),
        (_history("Did the Green Party deny the vote counts?", "Yes [1]."), "did they later admit them?",
         "Did Green Party later admit the vote counts?"),
        (_history("How did Unite react to the job cuts at the plant?", "It called a strike [1]."),
         "how did they respond to the protests?", "How did Unite respond to the protests?"),
        (_history("Did Acme say its trucks were sent to Ohio?", "Yes [1]."),
         "did they say where the trucks were sent first?", "Did Acme say where the trucks were sent first?"),
        (_history("Did Acme say its workers were striking?", "Yes [1]."), "were they still striking in May?",
         ("Were workers still striking in May?", "Did Acme say its workers were striking?")),
    ],
)  # fmt: skip
def test_they_is_the_plural_noun_unless_the_verb_needs_an_actor(
    history: list[Turn], question: str, expected: str | tuple[str, str]
) -> None:
    assert follow_up(question, history) == (expected if isinstance(expected, tuple) else (expected, None))


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (_history("Did North Korea deny sending troops in October 2024?", "Yes [1]."), "did they later admit it?",
         "Did North Korea later admit sending troops?"),
        (_history("Did Acme deny closing the plant in March 2023?", "Yes [1]."), "did they admit it afterwards?",
         "Did Acme admit closing the plant afterwards?"),
        (_history("Did Acme confirm the layoffs last week?", "Yes [1]."), "did they confirm it in 2024?",
         "Did Acme confirm the layoffs in 2024?"),
        (_history("Where did the council meet on Monday?", "At the town hall [1]."), "where does it meet now?",
         ("Where does it meet now?", "Where did the council meet?")),
        (_history("Did Acme deny closing the plant in March 2023?", "Yes [1]."), "why did they deny it?",
         "Why did Acme deny closing the plant in March 2023?"),
        (_history("What stake did Acme buy in May?", "Half [1]."), "and for how much money?",
         ("For how much money?", "What stake did Acme buy in May?")),
        (_history("Did Acme confirm the layoffs in 2023?", "Yes [1]."), "what about last year?",
         "Did Acme confirm the layoffs last year?"),
    ],
)  # fmt: skip
def test_a_follow_up_about_another_time_drops_the_earlier_period(
    history: list[Turn], question: str, expected: str | tuple[str, str]
) -> None:
    assert follow_up(question, history) == (expected if isinstance(expected, tuple) else (expected, None))


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (_history("Did the board approve the merger on 3 June 2024?", "Yes [1]."), "what about the shareholders?",
         ("What about the shareholders?", "Did the board approve the merger on 3 June 2024?")),
        (_history("What did the club say about the fans on Saturday?", "It banned them [1]."), "did they apologise?",
         ("Did they apologise?", "What did the club say about the fans on Saturday?")),
    ],
)  # fmt: skip
def test_a_date_is_never_the_subject(history: list[Turn], question: str, expected: str | tuple[str, str]) -> None:
    assert follow_up(question, history) == (expected if isinstance(expected, tuple) else (expected, None))


@pytest.mark.parametrize(
    ("history", "question", "expected"),
    [
        (_history("Did the striking nurses deny the claims?", "Yes [1]."), "why did they deny it?",
         ("Why did they deny the claims?", "Did the striking nurses deny the claims?")),
        (_history("Did the board approve the merger?", "Yes [1]."), "did the shareholders approve it later?",
         ("Did the shareholders approve it later?", "Did the board approve the merger?")),
    ],
)  # fmt: skip
def test_it_is_what_a_stance_question_was_about(
    history: list[Turn], question: str, expected: str | tuple[str, str]
) -> None:
    assert follow_up(question, history) == (expected if isinstance(expected, tuple) else (expected, None))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NATO Secretary General Mark Rutte said so.", "Mark Rutte"),
        ("Kremlin spokesman Dmitry Peskov said so.", "Dmitry Peskov"),
        ("Russia's Chief of the General Staff, Valery Gerasimov, said so.", "Valery Gerasimov"),
        ("Mayor Peskova said so.", "Peskova"),
        ("Secretary of State Marco Rubio said so.", "Marco Rubio"),
        ("The Bank of England said so.", None),
        ("“We see it,” the Kremlin said.", None),
        ("South Korea's National Intelligence Service said North Korea sent troops.", None),
        ("He spoke on Monday in New York.", None),
    ],
)
def test_named_person(text: str, expected: str | None) -> None:
    assert named_person(text) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did the US defense secretary say?", "the US defense secretary"),
        ("who is jo park?", "jo park"),
        ("What did Lloyd Austin say about it?", "Lloyd Austin"),
        ("Where did the talks happen?", None),
    ],
)
def test_asked_person(question: str, expected: str | None) -> None:
    assert asked_person(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did the Kremlin say about the reports of North Korean troops?", "North Korean troops"),
        ("Where did the NIS say North Korea's first special forces were sent?", "North Korea's first special forces"),
        ("How many workers did Acme hire in Ohio?", "workers"),
        ("Where did the talks happen?", "the talks"),
        ("Which players did the club sign this year?", "players"),
        ("What happens to the plant in the next two years?", None),
    ],
)
def test_plural_phrase(question: str, expected: str | None) -> None:
    assert plural_phrase(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Did North Korea deny sending troops in October 2024?", "Did North Korea deny sending troops?"),
        ("What did Acme say on 28 April 2025 about the plant?", "What did Acme say about the plant?"),
        ("Who won the 2023 election last week?", "Who won the election?"),
        ("In May, what did the club say?", "What did the club say?"),
        ("May they appeal?", "May they appeal?"),
    ],
)
def test_without_period(question: str, expected: str) -> None:
    assert without_period(question) == expected


def test_an_abstention_is_not_a_claim_to_attribute() -> None:
    # Another story: the answer cited nothing, so "it" cannot be the abstention's own words.
    history = _history("Who approved the harbour dredging budget?", "The articles do not answer this.")
    rewritten = follow_up("who said it?", history).text
    assert "do not answer" not in rewritten
    cited = _history(
        "What did the council decide?", 'The council said "the dredging will start in the spring of next year" [1].'
    )
    assert follow_up("who said that?", cited).text == 'Who said "the dredging will start in the spring of next year"?'
