"""The timeline: dated stances across articles, in event order, each with an exact citation."""

import datetime as dt

import numpy as np
import pytest

from index.catalog import Catalog, StoredArticle
from index.pipeline import ChunkSettings, process
from index.types import Article, ArticleMeta
from qa import Assistant
from qa.answer_types import TimelineEvent
from qa.timeline import build_timeline
from tests.test_answers import ADMISSION, DENIAL, MONDAY


def test_events_are_ordered_by_event_date_not_publication() -> None:
    catalog = Catalog(articles={"a": ADMISSION, "m": MONDAY, "d": DENIAL})
    events = build_timeline(catalog)
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert [(e.date, e.stance) for e in events if e.stance in ("denies", "confirms")] == [
        (dt.date(2024, 10, 22), "denies"),
        (dt.date(2025, 4, 28), "confirms"),
    ]
    said = next(e for e in events if "plant would close" in e.what)
    assert said.date == dt.date(2024, 10, 18) and said.stance == "asserts"  # "last Friday" before Monday 21 October


def test_a_repeated_claim_is_kept_once_from_the_first_source() -> None:
    copy = DENIAL.model_copy(deep=True)
    copy.meta = copy.meta.model_copy(update={"doc_id": "d2"})
    events = build_timeline(Catalog(articles={"d": DENIAL, "d2": copy}))
    assert len([e for e in events if e.stance == "denies"]) == 1


def test_seed_timeline_tells_the_story_in_order(real_assistant: Assistant) -> None:
    events = real_assistant.timeline()
    denials = [e for e in events if e.stance == "denies"]
    confirmations = [e for e in events if e.stance == "confirms"]
    assert denials and confirmations and max(d.date for d in denials) < min(c.date for c in confirmations)
    assert any(c.date == dt.date(2025, 4, 28) for c in confirmations)
    for e in events:
        for c in e.sources:
            assert real_assistant.article(c.doc_id).text[c.start : c.end] == c.quote
    assert all(e.actor and not e.actor.lower().startswith(("last ", "pentagon")) for e in events)
    changed = [e for e in events if e.change is not None]
    assert changed and all(e.stance == "confirms" and e.change.earlier_date < e.date for e in changed if e.change)


def test_the_api_and_the_cli_take_an_actor(real_assistant: Assistant) -> None:
    from fastapi.testclient import TestClient

    from app import create_app

    settings = real_assistant.settings.model_copy(update={"allow_upload": False})
    with TestClient(create_app(settings, real_assistant)) as client:
        everything = client.get("/api/timeline").json()
        one = client.get("/api/timeline", params={"actor": everything[-1]["actor"].upper()}).json()
        assert 0 < len(one) < len(everything) and {e["actor"] for e in one} == {everything[-1]["actor"]}
        assert client.get("/api/timeline", params={"actor": "x" * 201}).status_code == 422


def test_a_topic_narrows_the_timeline(real_assistant: Assistant) -> None:
    everything = real_assistant.timeline()
    narrowed = real_assistant.timeline("Kursk region liberation")
    assert 0 < len(narrowed) < len(everything)


# A made-up story from another field: a mine's dam, a river, a regulator. Nothing of it is in corpus/.
def _story_article(doc_id: str, published: str, publisher: str, title: str, *paragraphs: str) -> StoredArticle:
    meta = ArticleMeta(doc_id=doc_id, title=title, publisher=publisher, published=dt.date.fromisoformat(published))
    text = "\n\n".join([title, *paragraphs])
    return process(Article(meta=meta, original=text, source=f"{doc_id}.txt", content_hash=doc_id), ChunkSettings())


SPILL_MAY = _story_article(
    "spill-may", "2024-05-06", "Harbour Gazette", "Veltra denies dam leak as river turns green",
    "PORTVALE, May 6 (HG) — Veltra Mining denied on Sunday that its tailings dam had leaked into the Sorr river.",
    "“There is no leak and there never was,” Veltra spokeswoman Ana Ruiz said.",
    "The Environment Agency said on Friday that its samples showed copper at ten times the legal limit.",
    "The agency declined to comment on where the copper came from.",
    "Local fishermen said the river turned green last week.",
)  # fmt: skip
SPILL_MAY_ECHO = _story_article(
    "spill-echo", "2024-05-07", "River Times", "Mine rejects leak claims",
    "Veltra Mining rejected claims that its tailings dam had leaked into the Sorr river.",
)  # fmt: skip
SPILL_NOVEMBER = _story_article(
    "spill-november", "2024-11-20", "Harbour Gazette", "Veltra admits months of leaks",
    "Veltra Mining admitted on Tuesday that its tailings dam had leaked into the Sorr river for weeks.",
    "Talks with the fishermen's union will restart on December 2, a company spokesman said.",
)  # fmt: skip
SPILL = Catalog(articles={a.meta.doc_id: a for a in (SPILL_NOVEMBER, SPILL_MAY_ECHO, SPILL_MAY)})


def _by_stance(events: list[TimelineEvent], stance: str) -> list[TimelineEvent]:
    return [e for e in events if e.stance == stance]


def test_a_claim_told_in_two_articles_is_one_event_with_both_sources_and_the_sentences_date() -> None:
    events = build_timeline(SPILL)
    (denial,) = _by_stance(events, "denies")
    assert [c.doc_id for c in denial.sources] == ["spill-may", "spill-echo"]
    assert (denial.date, denial.date_from, denial.date_text) == (dt.date(2024, 5, 5), "sentence", "Sunday")
    assert denial.actor == "Veltra Mining" and denial.actor_from == "sentence"
    for c in denial.sources:
        assert {"spill-may": SPILL_MAY, "spill-echo": SPILL_MAY_ECHO}[c.doc_id].clean.text[c.start : c.end] == c.quote
    assert denial.citation.quote.startswith("Veltra Mining denied") and "PORTVALE" not in denial.what


def test_the_story_is_in_event_order_with_a_lane_per_actor_and_the_change_of_position() -> None:
    events = build_timeline(SPILL)
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert {e.actor for e in events} == {"Veltra Mining", "Environment Agency", "Local fishermen"}
    (admission,) = _by_stance(events, "confirms")
    assert admission.date == dt.date(2024, 11, 19)  # "on Tuesday", before Wednesday 20 November
    assert admission.change is not None and admission.change.earlier_stance == "denies"
    assert admission.change.summary == "denied in May 2024, confirmed in November 2024"
    assert all(e.change is None for e in events if e is not admission)


def test_headlines_and_quoted_rhetoric_are_not_events() -> None:
    told = [e.what for e in build_timeline(SPILL)]
    assert not any("There is no leak" in what for what in told)
    assert not any(what.startswith(("Veltra denies dam leak", "Mine rejects", "Veltra admits months")) for what in told)


def test_silence_is_declining_not_denial_and_its_actor_is_named_just_before() -> None:
    (silence,) = _by_stance(build_timeline(SPILL), "declines")
    assert silence.what.startswith("The agency declined to comment")
    assert (silence.actor, silence.who, silence.actor_from) == ("Environment Agency", "Environment Agency", "context")
    assert (silence.date, silence.date_from) == (dt.date(2024, 5, 6), "publication")  # the report's date, said so


def test_claims_are_dated_by_their_words_and_a_future_date_looks_ahead() -> None:
    events = build_timeline(SPILL)
    agency = next(e for e in events if e.what.startswith("The Environment Agency said"))
    assert (agency.stance, agency.date, agency.date_text) == ("asserts", dt.date(2024, 5, 3), "Friday")
    talks = next(e for e in events if "will restart" in e.what)
    assert talks.date == dt.date(2024, 12, 2) and talks.actor == "Veltra Mining" and talks.actor_from == "context"
    fishermen = next(e for e in events if e.actor == "Local fishermen")
    assert (fishermen.date, fishermen.date_precision) == (dt.date(2024, 4, 29), "week")


@pytest.mark.parametrize(
    ("actor", "lanes"),
    [("veltra", {"Veltra Mining"}), ("ENVIRONMENT agency", {"Environment Agency"}), ("nobody", set()), ("", None)],
)
def test_an_actor_filter_keeps_that_actors_lane(actor: str, lanes: set[str] | None) -> None:
    events = build_timeline(SPILL, actor=actor)
    assert {e.actor for e in events} == (lanes if lanes is not None else {e.actor for e in build_timeline(SPILL)})


def test_sentence_vectors_decide_which_sentences_tell_one_claim() -> None:
    far = {s.sentence_id: np.eye(1, 8, i % 8)[0] for i, a in enumerate(SPILL.articles.values()) for s in a.sentences}
    events = build_timeline(SPILL, vectors=far)  # every article's sentences point elsewhere: nothing is one claim
    assert len(_by_stance(events, "denies")) == 2
