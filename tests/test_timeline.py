"""The timeline: dated stances across articles, in event order, each with an exact citation."""

import datetime as dt

from index.catalog import Catalog
from qa import Assistant
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
        assert real_assistant.article(e.citation.doc_id).text[e.citation.start : e.citation.end] == e.citation.quote


def test_a_topic_narrows_the_timeline(real_assistant: Assistant) -> None:
    everything = real_assistant.timeline()
    narrowed = real_assistant.timeline("Kursk region liberation")
    assert 0 < len(narrowed) < len(everything)
