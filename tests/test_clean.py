"""Cleaning: furniture out, body in, offsets back to the original, originals untouched.

The seed articles' lines were labelled furniture or body by hand (tests/data/seed_labels.json),
independently of the cleaner; the synthetic cases check the rules on text it has never seen.
"""

import json
from pathlib import Path

import pytest

from index.clean import clean
from index.loader import load_article, read_manifest
from index.normalize import normalize
from qa.dates import strip_dateline  # the one dateline grammar, used by answers and the timeline
from tests.conftest import SEED_CORPUS

LABELS = json.loads((Path(__file__).parent / "data" / "seed_labels.json").read_text(encoding="utf-8"))
DOC_IDS = sorted(LABELS)


def _cleaned(doc_id: str):  # type: ignore[no-untyped-def]
    path = SEED_CORPUS / f"{doc_id}.txt"
    article = load_article(path, read_manifest(SEED_CORPUS).get(path.name), 5_000_000)
    return article, clean(article.original, article.body_start, article.meta.title)


def _kept_lines(text: str) -> set[str]:
    return {line.strip() for line in text.split("\n") if line.strip()}


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_no_furniture_line_survives(doc_id: str) -> None:
    _, cleaned = _cleaned(doc_id)
    kept = _kept_lines(cleaned.text)
    leaked = [line for line in LABELS[doc_id]["furniture"] if line.strip("\u00a0 ") in kept]
    assert leaked == []


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_body_line_is_kept_less_its_photo_credit(doc_id: str) -> None:
    _, cleaned = _cleaned(doc_id)
    labels = LABELS[doc_id]
    missing = []
    for line in labels["body"]:
        for credit in labels["credit_suffixes"]:
            line = line.removesuffix(credit).rstrip()
        if line not in cleaned.text and line.lstrip("•·*- ") not in cleaned.text:
            missing.append(line)
    assert missing == []


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_photo_credits_are_dropped(doc_id: str) -> None:
    _, cleaned = _cleaned(doc_id)
    assert [c for c in LABELS[doc_id]["credit_suffixes"] if c in cleaned.text] == []


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_segments_map_back_to_the_original_verbatim(doc_id: str) -> None:
    article, cleaned = _cleaned(doc_id)
    for segment in cleaned.segments:
        shown = cleaned.text[segment.clean_start : segment.clean_start + segment.length]
        assert shown == article.original[segment.original_start : segment.original_start + segment.length]
        middle = segment.clean_start + segment.length // 2
        assert article.original[cleaned.to_original(middle)] == cleaned.text[middle]


def test_originals_in_the_corpus_are_byte_for_byte_the_shared_ones() -> None:
    shared = SEED_CORPUS.parents[2] / "shared" / "corpus" / "raw"
    if not shared.is_dir():
        pytest.skip("shared/ is not beside this checkout")
    for original in shared.glob("*.txt"):
        assert (SEED_CORPUS / original.name).read_bytes() == original.read_bytes()


def test_cleaning_never_normalises_what_is_shown() -> None:
    text = "Title Of A Story Here\n\nThe “Сhampions” committee said — again — that it’s fine, twelve words or more."
    cleaned = clean(text)
    assert "“Сhampions”" in cleaned.text and "—" in cleaned.text
    assert normalize(cleaned.text) != cleaned.text


SYNTHETIC = """Example Gazette
Home | World | Sport
Rivers Rise In The North After Storms
By Ana Lee Published: June 3, 2024
[English] [Français] [Español]
Photo: example.org
Water levels rose by two metres across the northern valley on Monday, officials said.
A caption under a photo showing the flooded valley from above the town Photo by Sam Doe/Agency
- Roads were closed in three districts.
Share this article
We use cookies to improve your experience. Accept all
Related articles
Storm season starts early this year
Головна сторінка
"""


def test_generic_furniture_rules_on_unseen_text() -> None:
    cleaned = clean(SYNTHETIC, title="Rivers Rise In The North After Storms")
    assert cleaned.text.split("\n\n") == [
        "Rivers Rise In The North After Storms",
        "Water levels rose by two metres across the northern valley on Monday, officials said.",
        "A caption under a photo showing the flooded valley from above the town",
        "Roads were closed in three districts.",
    ]


def test_a_related_heading_early_in_the_page_does_not_end_the_article() -> None:
    body = [f"Paragraph number {n} is long enough to be the body of the story, with twelve words." for n in range(6)]
    text = "Related\n" + "\n".join(body)
    assert clean(text).text.count("is long enough") == 6


def test_repeated_headline_is_kept_once() -> None:
    title = "Talks Resume Between The Two Delegations"
    lead = "The talks resumed on Tuesday after a pause of almost two full weeks, officials said."
    text = f"{title}\n\nCategory\n\n{title}\n\n{lead}"
    assert clean(text, title=title).text.count(title) == 1


def test_a_short_note_without_long_paragraphs_keeps_its_lines() -> None:
    assert clean("Short Note\nTroops were seen here.\n").text == "Short Note\n\nTroops were seen here."


# Every furniture rule on lines from other stories (a transfer, a merger, an election, a
# court case): each line sits between two body paragraphs, so only the rule can drop it.
LEAD = "The transfer window closed on Friday night with the club completing three late signings, officials said."
CLOSE = "The striker is expected to make his debut against the league leaders next weekend, his agent said."


def _between_paragraphs(line: str) -> list[str]:
    return clean(f"{LEAD}\n{line}\n{CLOSE}").text.split("\n\n")


@pytest.mark.parametrize(
    "line",
    [
        "Share on Facebook", "Share this story", "Print", "E-mail", "Subscribe", "Advertisement", "Back to top",
        "Skip to main content", "Total comments: 3", "14 comments", "Category", "Publication date",
        "Photo: Getty Images", "Image credit: Jane Doe/AP", "Source: Reuters", "Source link",
        "Updated: 3 May 2024 10:32 GMT", "Published: November 5, 2024",
        "Date 2024-11-05 Voters head to the polls in the state election",
        "By Maria Gomez Posted: November 5, 2024 Updated: November 6, 2024",
        "Section: Business | Views: 88 | Author: J. Smith | Tags: merger, banks",
        "We use cookies to give you the best experience on our website.",
        "This website uses cookies. Accept all",
        "By continuing to browse the site you agree to our use of cookies.",
        "Accept all cookies", "Privacy settings", "Cookie policy",
        "You might prefer the Spanish version of our website. Would you like to switch?",
        "View desktop version", "Switch to mobile site", "Site logo The Valley Courier",
        "March 3, Lyon (AFP)", "LONDON (Reuters) -", "[Deutsch] [Italiano] [Polski]",
    ],
)  # fmt: skip
def test_a_furniture_line_from_another_site_is_dropped(line: str) -> None:
    assert _between_paragraphs(line) == [LEAD, CLOSE]


@pytest.mark.parametrize(
    "line",
    [
        "The judge ruled that the search was carried out without the owner's consent.",
        "Regulators fined the company for placing cookies on users' browsers without consent.",
        "Girl Scouts sold more cookies this year than ever before.",
        "Share prices rose 4% after the merger was announced.",
        "Comments from the coach suggested the deal was close.",
        "Updated figures published on Monday showed turnout of 64 percent.",
        "Source: the club's annual report shows a loss of 12 million euros this season.",
    ],
)
def test_a_body_line_that_names_furniture_words_is_kept(line: str) -> None:
    assert _between_paragraphs(line) == [LEAD, line, CLOSE]


@pytest.mark.parametrize(
    "heading",
    ["Related stories", "Read more:", "Read also", "See also", "You might also like", "Recommended for you",
     "Most read", "Most popular", "Latest news", "More stories", "More on this story", "More on the topic"],
)  # fmt: skip
def test_everything_after_a_related_heading_late_in_the_page_is_dropped(heading: str) -> None:
    body = [
        f"Paragraph {n} of the merger story is long enough to count as the body, with twelve words." for n in range(4)
    ]
    text = "\n".join([*body, heading, "Rival bank reports record profits", "Share"])
    assert clean(text).text.split("\n\n") == body


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("Voters queue outside a polling station in Ohio on Tuesday morning File photo by Jo Ray/Agency",
         "Voters queue outside a polling station in Ohio on Tuesday morning"),
        ("The two chief executives shake hands after signing the merger agreement Courtesy of Acme Corp",
         "The two chief executives shake hands after signing the merger agreement"),
        ("The new signing poses with the shirt at the training ground on Friday Photo courtesy of the club",
         "The new signing poses with the shirt at the training ground on Friday"),
    ],
)  # fmt: skip
def test_a_photo_credit_at_the_end_of_a_caption_is_trimmed(line: str, kept: str) -> None:
    assert _between_paragraphs(line) == [LEAD, kept, CLOSE]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LONDON (Reuters) - Shares in Acme rose 5% after the merger.", "Shares in Acme rose 5% after the merger."),
        ("WASHINGTON, Nov. 6 (AP) — Voters returned the senator to office.", "Voters returned the senator to office."),
        ("MADRID, July 1 (AFP) – the club confirmed the signing.", "The club confirmed the signing."),
    ],
)  # fmt: skip
def test_strip_dateline(text: str, expected: str) -> None:
    assert strip_dateline(text) == expected


@pytest.mark.parametrize(
    "text", ["Paris Saint-Germain (PSG) signed the striker on Monday.", "The court (in Lyon) - sitting late - ruled."]
)
def test_a_sentence_without_a_dateline_is_left_alone(text: str) -> None:
    assert strip_dateline(text) == text
