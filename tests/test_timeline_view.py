"""The timeline's picture and list: lanes, stance colours, how dates are known, the change of position,
and article text that stays text. Built from the made-up mine story of tests/test_timeline.py."""

import datetime as dt
import re
from xml.etree import ElementTree

from qa.answer_types import Citation, TimelineEvent
from qa.timeline import build_timeline
from qa.timeline_list import list_html
from qa.timeline_view import STANCE_COLOURS, lanes_of, picture_svg, timeline_html
from tests.test_timeline import SPILL

EVENTS = build_timeline(SPILL)


def _svg(events: list[TimelineEvent]) -> ElementTree.Element:
    """The picture parsed as XML: it must be well formed, whatever the articles say."""
    svg = re.search(r"<svg.*</svg>", picture_svg(events), re.S)
    assert svg is not None
    return ElementTree.fromstring(svg.group(0))


def _dots(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return [c for c in svg.iter("{*}circle") if "dot" in c.get("class", "")] or [
        c for c in svg.iter("circle") if "dot" in c.get("class", "")
    ]


def test_one_lane_per_actor_and_each_dot_in_its_actors_lane_in_time_order() -> None:
    svg = _svg(EVENTS)
    lanes = [g.get("data-actor") for g in svg.iter() if g.get("class") == "lane"]
    assert lanes == lanes_of(EVENTS) and len(set(lanes)) == len({e.actor for e in EVENTS})
    dots = _dots(svg)
    assert [d.get("data-date") for d in dots] == [e.date.isoformat() for e in EVENTS]
    x_of_lane = {}
    for dot in dots:
        x_of_lane.setdefault(dot.get("data-actor"), dot.get("cx"))
        assert dot.get("cx") == x_of_lane[dot.get("data-actor")]
    assert len(set(x_of_lane.values())) == len(lanes)
    ys = [float(d.get("cy") or 0) for d in dots]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)


def test_stance_colours_and_how_the_date_is_known_show_on_the_dots() -> None:
    for event, dot in zip(EVENTS, _dots(_svg(EVENTS)), strict=True):
        assert dot.get("stroke") == STANCE_COLOURS[event.stance]
        hollow = dot.get("fill") == "#fff"
        assert hollow == (event.date_from == "publication")


def test_the_change_of_position_is_called_out_with_an_arc() -> None:
    page = timeline_html(EVENTS)
    assert "<b>Veltra Mining</b>: denied in May 2024, confirmed in November 2024" in page
    svg = _svg(EVENTS)
    changes = [g for g in svg.iter() if g.get("class") == "change"]
    assert len(changes) == 1 and any(p.tag.endswith("path") for p in changes[0].iter())


def test_the_list_has_a_row_per_event_with_its_sources_and_the_dots_link_to_it() -> None:
    table = list_html(EVENTS)
    assert table.count('<tr class="event"') == len(EVENTS)
    assert re.findall(r'<td class="date">([\d-]+)</td>', table) == [e.date.isoformat() for e in EVENTS]
    denial = next(k for k, e in enumerate(EVENTS) if e.stance == "denies")
    row = re.search(rf'<tr class="event" id="event-{denial}".*?</tr>', table, re.S)
    assert row is not None and row.group(0).count("/read/") == 2 and "“Sunday”" in row.group(0)
    assert f'href="#event-{denial}"' in picture_svg(EVENTS)


def test_hostile_article_text_stays_text() -> None:
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" & more'
    citation = Citation(n=1, doc_id="x<y", title=hostile, publisher=None, published=dt.date(2024, 1, 2), url=None,
                        quote=hostile, start=0, end=len(hostile))  # fmt: skip
    event = TimelineEvent(date=dt.date(2024, 1, 2), date_precision="day", who=hostile, actor=hostile, what=hostile,
                          stance="asserts", citation=citation, sources=[citation])  # fmt: skip
    page = timeline_html([event])
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page
    svg = _svg([event])  # still well-formed XML with the text inside
    assert any(hostile in (t.text or "") for t in svg.iter() if t.tag.endswith("title"))


def test_no_events_says_so() -> None:
    assert "No events" in timeline_html([])
