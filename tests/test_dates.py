"""Date expressions in news sentences, resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from qa.date_grammar import Precision
from qa.dates import (
    DateMention,
    dateline_end,
    find_dates,
    format_date,
    resolve_relative_date,
    strip_dateline,
)

D = dt.date
MON_21 = D(2024, 10, 21)  # a Monday
TUE_22 = D(2024, 10, 22)


def _only(text: str, published: dt.date | None) -> DateMention:
    mentions = find_dates(text, published)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "expression", "date"),
    [
        ("Published 2025-04-28 at noon.", "2025-04-28", D(2025, 4, 28)),
        ("On April 26, 2025, he spoke.", "April 26, 2025", D(2025, 4, 26)),
        ("On 26 April 2025 he spoke.", "26 April 2025", D(2025, 4, 26)),
        ("It fired on Oct. 12, 2024.", "Oct. 12, 2024", D(2024, 10, 12)),
        ("Seoul said October 21, 2024 was calm.", "October 21, 2024", D(2024, 10, 21)),
        ("Seen Oct 12 2024 near the border.", "Oct 12 2024", D(2024, 10, 12)),
        ("Talks on Monday, Oct. 21, 2024 ended.", "Monday, Oct. 21, 2024", D(2024, 10, 21)),
        ("ON OCTOBER 21, 2024 IT ENDED", "OCTOBER 21, 2024", D(2024, 10, 21)),
        ("since may 3, 2023", "may 3, 2023", D(2023, 5, 3)),
    ],
)
def test_absolute_dates(text: str, expression: str, date: dt.date) -> None:
    for published in (None, MON_21):
        mention = _only(text, published)
        assert (mention.text, mention.date, mention.precision, mention.relative) == (
            expression,
            date,
            "day",
            False,
        )


@pytest.mark.parametrize(
    ("abbreviation", "month"),
    [
        ("Jan", 1), ("Feb", 2), ("Mar", 3), ("Apr", 4), ("Jun", 6), ("Jul", 7), ("Aug", 8),
        ("Sep", 9), ("Sept", 9), ("Oct", 10), ("Nov", 11), ("Dec", 12),
    ],
)  # fmt: skip
@pytest.mark.parametrize("dot", ["", "."])
def test_month_abbreviations(abbreviation: str, month: int, dot: str) -> None:
    mention = _only(f"It happened on {abbreviation}{dot} 5, 2023 at dawn.", None)
    assert mention.date == D(2023, month, 5)
    assert mention.text == f"{abbreviation}{dot} 5, 2023"


@pytest.mark.parametrize(
    "text",
    [
        "Pyongyang may send more troops.",
        "Officials may 'reconsider' the deal in may.",
        "About 12,000 soldiers were deployed.",
        "Under Resolution 2375 the sanctions apply.",
        "They counted 2375 shells in 1850 or in 2200.",
        "He was in Jan's office.",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text, MON_21) == []


@pytest.mark.parametrize(
    ("text", "published", "date"),
    [
        ("On April 26, Chief of the General Staff", D(2025, 4, 28), D(2025, 4, 26)),
        ("fired on Oct. 8 in the morning", MON_21, D(2024, 10, 8)),
        ("starting from Oct8", MON_21, D(2024, 10, 8)),
        ("as of March 19", D(2023, 4, 1), D(2023, 3, 19)),
        ("since March 13 have been conducting", D(2023, 4, 1), D(2023, 3, 13)),
        ("due on October 23", MON_21, D(2024, 10, 23)),  # two days ahead: still this year
        ("recalled on October 24", MON_21, D(2023, 10, 24)),  # three days ahead: last year
        ("On Dec. 30 it snowed", D(2025, 1, 10), D(2024, 12, 30)),
        ("held on the 3rd of March", D(2024, 5, 1), D(2024, 3, 3)),
        ("held on 3 March", D(2024, 5, 1), D(2024, 3, 3)),
        ("since may 2 it rained", D(2024, 5, 1), D(2024, 5, 2)),
    ],
)
def test_month_day_without_year(text: str, published: dt.date, date: dt.date) -> None:
    mention = _only(text, published)
    assert (mention.date, mention.precision, mention.relative) == (date, "day", True)
    assert find_dates(text, None) == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Russia invaded in February 2022.", D(2022, 2, 1)),
        ("The pact was signed in June 2024.", D(2024, 6, 1)),
        ("Sept. 2023 was the hottest.", D(2023, 9, 1)),
        ("by the end of May 2025", D(2025, 5, 1)),
    ],
)
def test_month_with_year(text: str, date: dt.date) -> None:
    mention = _only(text, None)
    assert (mention.date, mention.precision, mention.relative) == (date, "month", False)


@pytest.mark.parametrize(
    ("text", "published", "date", "since"),
    [
        ("with the two isolated regimes signing a mutual defense pact in June", TUE_22, D(2024, 6, 1), False),
        ("talks resumed since August", TUE_22, D(2024, 8, 1), True),
        ("at the end of October", TUE_22, D(2024, 10, 1), False),
        ("elections in November", TUE_22, D(2023, 11, 1), False),
        ("rallies in May", TUE_22, D(2024, 5, 1), False),
        ("in december", D(2025, 1, 5), D(2024, 12, 1), False),
    ],
)
def test_month_alone(text: str, published: dt.date, date: dt.date, since: bool) -> None:
    mention = _only(text, published)
    assert (mention.date, mention.precision, mention.relative, mention.since) == (date, "month", True, since)


@pytest.mark.parametrize(
    ("text", "published", "expression", "date", "since"),
    [
        ("on more than 70 occasions since August last year", TUE_22, "August last year", D(2023, 8, 1), True),
        ("signed in June last year", D(2025, 4, 28), "June last year", D(2024, 6, 1), False),
        ("due in March this year", D(2025, 4, 28), "March this year", D(2025, 3, 1), False),
    ],
)
def test_month_last_or_this_year(text: str, published: dt.date, expression: str, date: dt.date, since: bool) -> None:
    mention = _only(text, published)
    assert (mention.text, mention.date, mention.precision, mention.since) == (
        expression,
        date,
        "month",
        since,
    )


@pytest.mark.parametrize(
    ("text", "date", "precision", "relative"),
    [
        ("Exports fell last year.", D(2023, 1, 1), "year", True),
        ("Exports fell this year.", D(2024, 1, 1), "year", True),
        ("Elections are due next year.", D(2025, 1, 1), "year", True),
        ("Prices rose last month.", D(2024, 9, 1), "month", True),
        ("The war began in 2022.", D(2022, 1, 1), "year", False),
        ("Sanctions in force since 1950 remain.", D(1950, 1, 1), "year", False),
        ("Troops withdrawn by 2100.", D(2100, 1, 1), "year", False),
        ("Peace lasted until 1999, then war.", D(1999, 1, 1), "year", False),
    ],
)
def test_years(text: str, date: dt.date, precision: Precision, relative: bool) -> None:
    mention = _only(text, TUE_22)
    assert (mention.date, mention.precision, mention.relative) == (date, precision, relative)
    assert find_dates(text, None) == ([] if relative else [mention])


@pytest.mark.parametrize(
    ("text", "published", "date"),
    [
        ("Troops arrived last Friday.", MON_21, D(2024, 10, 18)),
        ("Troops arrived on Monday.", MON_21, D(2024, 10, 21)),
        ("Troops arrived last Monday.", MON_21, D(2024, 10, 14)),
        ("Talks resume next Monday.", MON_21, D(2024, 10, 28)),
        ("Talks resume next Wednesday.", MON_21, D(2024, 10, 23)),
        ("Monday was quiet.", TUE_22, D(2024, 10, 21)),
        ("It fired on Saturday.", TUE_22, D(2024, 10, 19)),
        ("On Sunday evening it fired.", TUE_22, D(2024, 10, 20)),
        ("A statement on Tuesday said so.", TUE_22, D(2024, 10, 22)),
        ("On Wednesday’s visit, he said", TUE_22, D(2024, 10, 16)),
    ],
)
def test_weekdays(text: str, published: dt.date, date: dt.date) -> None:
    mention = _only(text, published)
    assert (mention.date, mention.precision, mention.relative) == (date, "day", True)


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("It was announced yesterday.", D(2024, 10, 21), "day"),
        ("It is announced today.", D(2024, 10, 22), "day"),
        ("It will be announced tomorrow.", D(2024, 10, 23), "day"),
        ("He had arrived the previous day.", D(2024, 10, 21), "day"),
        ("Drills began last week.", D(2024, 10, 14), "week"),
        ("Drills began this week.", D(2024, 10, 21), "week"),
    ],
)
def test_day_and_week_words(text: str, date: dt.date, precision: Precision) -> None:
    mention = _only(text, TUE_22)
    assert (mention.date, mention.precision, mention.relative) == (date, precision, True)


@pytest.mark.parametrize(
    "text",
    [
        "“On\u00a0Oct.\u00a012,\u00a02024,” he said; last\nFriday it rained in\u00a0June.",
        "He said: ‘since August last year’\n\nand on Monday, 2024‑10‑21 (non-breaking hyphens).",
    ],
)
def test_offsets_index_the_original_text(text: str) -> None:
    mentions = find_dates(text, MON_21)
    assert len(mentions) == 3
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


@pytest.mark.parametrize(
    "text",
    [
        "It ended February 30, 2024.",
        "Dated 2024-02-30.",
        "On 31 April 2023 nothing.",
        "Feb. 29, 2023 it was.",
    ],
)
def test_invalid_dates_are_skipped(text: str) -> None:
    assert find_dates(text, D(2024, 6, 1)) == []


@pytest.mark.parametrize(
    ("text", "expressions"),
    [
        ("in June 2024", ["June 2024"]),
        ("since August last year", ["August last year"]),
        ("last Friday and Oct. 12, 2024", ["last Friday", "Oct. 12, 2024"]),
        ("between 2025-04-28 and April 26, 2025", ["2025-04-28", "April 26, 2025"]),
    ],
)
def test_longest_non_overlapping_left_to_right(text: str, expressions: list[str]) -> None:
    assert [m.text for m in find_dates(text, MON_21)] == expressions


@pytest.mark.parametrize(
    ("expression", "published", "expected"),
    [
        ("last Friday", MON_21, (D(2024, 10, 18), "day")),
        ("On Sunday evening", TUE_22, (D(2024, 10, 20), "day")),
        ("June", TUE_22, (D(2024, 6, 1), "month")),
        ("2022", TUE_22, (D(2022, 1, 1), "year")),
        ("last week", TUE_22, (D(2024, 10, 14), "week")),
        ("Pyongyang may send", TUE_22, None),
        ("on Monday and Tuesday", TUE_22, None),
        ("", TUE_22, None),
    ],
)
def test_resolve_relative_date(expression: str, published: dt.date, expected: tuple[dt.date, Precision] | None) -> None:
    assert resolve_relative_date(expression, published) == expected


@pytest.mark.parametrize(
    ("date", "precision", "shown"),
    [
        (D(2024, 10, 18), "day", "18 October 2024"),
        (D(2024, 10, 14), "week", "the week of 14 October 2024"),
        (D(2024, 6, 1), "month", "June 2024"),
        (D(2023, 1, 1), "year", "2023"),
    ],
)
def test_format_date_and_display(date: dt.date, precision: Precision, shown: str) -> None:
    assert format_date(date, precision) == shown
    mention = DateMention(start=0, end=1, text="x", date=date, precision=precision, relative=True)
    assert mention.display() == shown


MAR_14 = D(2025, 3, 14)  # a Friday


@pytest.mark.parametrize(
    ("text", "published", "date", "precision"),
    [
        ("Talks will restart on April 2.", MAR_14, D(2025, 4, 2), "day"),  # ahead: not 2 April 2024
        ("Talks collapsed on April 2.", MAR_14, D(2024, 4, 2), "day"),
        ("The April 2 talks were short.", MAR_14, D(2024, 4, 2), "day"),
        ("The ferry will sail again on March 10.", MAR_14, D(2026, 3, 10), "day"),  # the next 10 March
        ("The board will meet on Friday.", MAR_14, D(2025, 3, 21), "day"),  # a weekday ahead is after publication
        ("The board met on Friday.", MAR_14, D(2025, 3, 14), "day"),
        ("The board meets next Friday.", MAR_14, D(2025, 3, 21), "day"),
        ("Elections will be held in June.", D(2024, 10, 22), D(2025, 6, 1), "month"),
        ("Elections were held in June.", D(2024, 10, 22), D(2024, 6, 1), "month"),
        ("Results are due in October.", D(2024, 10, 22), D(2024, 10, 1), "month"),  # this month is not past
        ("The works start next April.", MAR_14, D(2025, 4, 1), "month"),
        ("The works start next April.", D(2025, 4, 10), D(2026, 4, 1), "month"),
        ("The works started last April.", MAR_14, D(2024, 4, 1), "month"),
        ("The works started last March.", MAR_14, D(2024, 3, 1), "month"),
        # "would", "could": the future of a past statement, on the nearer side of publication
        ("The minister said talks would resume in March.", D(2024, 10, 22), D(2025, 3, 1), "month"),
        ("She said the inquiry would report in September.", D(2024, 10, 22), D(2024, 9, 1), "month"),
        ("He said the ferry could sail again on April 2.", MAR_14, D(2025, 4, 2), "day"),
        ("They said the mill would shut on February 20.", MAR_14, D(2025, 2, 20), "day"),
    ],
)
def test_tense_and_next_or_last_decide_the_direction(
    text: str, published: dt.date, date: dt.date, precision: Precision
) -> None:
    mention = _only(text, published)
    assert (mention.date, mention.precision) == (date, precision)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("GENEVA, - Negotiators agreed on Thursday.", "Negotiators agreed on Thursday."),
        ("SEOUL, (UPI) — Talks ended.", "Talks ended."),
        ("GENEVA, March 14 - Negotiators agreed.", "Negotiators agreed."),
        ("SEOUL, Oct. 22 (UPI) — A delegate spoke.", "A delegate spoke."),
        ("PORTVALE, May 6 (HG) — the mine denied it.", "The mine denied it."),
        ("SAN FRANCISCO, Calif. (AP) — A quake hit.", "A quake hit."),
        ("GENEVA — Talks ended.", "Talks ended."),
        ("NATO Secretary-General Mark Rutte said so.", "NATO Secretary-General Mark Rutte said so."),
        ("US - China talks resumed.", "US - China talks resumed."),
        ("The court (in Lyon) - sitting late - ruled.", "The court (in Lyon) - sitting late - ruled."),
    ],
)
def test_a_dateline_is_found_in_its_forms(text: str, body: str) -> None:
    assert strip_dateline(text) == body
    assert dateline_end(text) == (0 if body == text else len(text) - len(body))


def test_a_datelines_date_is_not_the_sentences() -> None:
    mentions = find_dates("GENEVA, March 14 - Negotiators agreed on Thursday to resume talks.", MAR_14)
    assert [(m.text, m.date) for m in mentions] == [("Thursday", D(2025, 3, 13))]
