"""Normalisation, sentence splitting and metadata extraction: the pure text rules."""

import datetime as dt

import pytest

from index.metadata import extract_meta, find_printed_date
from index.normalize import normalize
from index.sentences import split_sentences


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Сhampions", "Champions"),  # Cyrillic С inside a Latin word
        ("Москва", "Москва"),  # a whole Cyrillic word is left alone
        ("“unfounded”", '"unfounded"'),
        ("Acme’s", "Acme's"),
        ("1941–45 — war", "1941-45 - war"),
        ("ﬁle", "file"),  # NFKC ligature
        ("a\u00a0b", "a b"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He spoke on Oct. 22. It was late.", ["He spoke on Oct. 22.", "It was late."]),
        ("The U.N. met. The U.S. did not.", ["The U.N. met.", "The U.S. did not."]),
        ("“It is hard,” he said. Then he left.", ["“It is hard,” he said.", "Then he left."]),
        ("Was it true? “No.” Done!", ["Was it true?", "“No.”", "Done!"]),
        ("Headline\n\nFirst line. Second.", ["Headline", "First line.", "Second."]),
        ("Dr. Kim arrived. J. Smith too.", ["Dr. Kim arrived.", "J. Smith too."]),
        (
            "the chairman of the board... made a contribution.",
            ["the chairman of the board... made a contribution."],
        ),
        ("It reached 1.4 million people.", ["It reached 1.4 million people."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_sentence_spans_index_the_text() -> None:
    text = "  One two.   Three four!\nFive "
    for span in split_sentences(text):
        piece = text[span.start : span.end]
        assert piece == piece.strip() and piece


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Posted : November 6, 2024, 09:15", dt.date(2024, 11, 6)),
        ("date 2024-11-05 Voters head to the polls", dt.date(2024, 11, 5)),
        ("Published 3 March 2024", dt.date(2024, 3, 3)),
        ("LYON, Oct. 22 (AFP)", None),  # no year printed: no date
        ("February 30, 2024", None),  # not a real day
    ],
)
def test_find_printed_date(line: str, expected: dt.date | None) -> None:
    assert find_printed_date(line) == expected


def test_extract_meta_reads_title_byline_and_date() -> None:
    text = "Site icon Example News\n\nBig Story About Things Happening\n\nBy Jane Roe Posted : May 2, 2024\n\n" + (
        "A long first paragraph that has more than twelve words in it and ends here. " * 2
    )
    assert extract_meta(text) == {"title": "Big Story About Things Happening", "byline": "Jane Roe",
                                  "published": dt.date(2024, 5, 2)}  # fmt: skip


def test_extract_meta_takes_no_title_from_the_body() -> None:
    body = "A first paragraph that is long enough to count as the body of the article.\nA Heading Inside\n"
    assert "title" not in extract_meta(body)
