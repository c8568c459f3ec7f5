"""The Timeline tab in real headless Chromium: the picture's order and lanes, and the actor filter.

Uses the app server and browser of tests/test_browser.py (the seed collection, indexed once per
session). Saves docs/timeline.png, the picture the README shows.
"""

import pytest

from tests.conftest import PROJECT
from tests.test_browser import _tab, _wait, browser, server  # noqa: F401  fixtures used by name below
from tests.test_browser import pytestmark as browser_marks

By = pytest.importorskip("selenium.webdriver.common.by").By
pytestmark = browser_marks  # a real server on 127.0.0.1 and Chromium, as in tests/test_browser.py


def _open_timeline(driver, url: str) -> None:  # type: ignore[no-untyped-def]
    driver.get(url)
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "button[role=tab]"))
    _tab(driver, "Timeline")
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "svg.timeline-picture circle.dot"))


_READ_PICTURE = """
const svg = document.querySelector("svg.timeline-picture");
if (!svg) return [{}, []];
const lanes = {};
for (const g of svg.querySelectorAll("g.lane")) lanes[g.dataset.actor] = +g.querySelector("line").getAttribute("x1");
const dots = [...svg.querySelectorAll("circle.dot")].map(d =>
    [d.dataset.actor, d.dataset.date, +d.getAttribute("cx"), +d.getAttribute("cy")]);
return [lanes, dots];
"""


def _picture(driver):  # type: ignore[no-untyped-def]
    """Lanes (actor -> x of its line) and dots [actor, date, x, y] as the page drew them, read in one go
    (the view is redrawn when a filter changes)."""
    lanes, dots = driver.execute_script(_READ_PICTURE)
    return lanes, [tuple(d) for d in dots]


def test_the_picture_runs_in_date_order_with_a_lane_per_actor(server: str, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    browser.set_window_size(1280, 1900)
    try:
        _open_timeline(browser, server)
        lanes, dots = _picture(browser)
        rows = browser.find_elements(By.CSS_SELECTOR, "table.timeline tr.event")
        assert len(dots) == len(rows) > 5
        assert [d[1] for d in dots] == sorted(d[1] for d in dots)  # time runs down ...
        assert [d[3] for d in dots] == sorted(d[3] for d in dots)  # ... and so do the dots
        assert [d[1] for d in dots] == [r.find_element(By.CSS_SELECTOR, "td.date").text for r in rows]
        assert set(lanes) == {d[0] for d in dots} == {r.get_attribute("data-actor") for r in rows}
        assert all(x == lanes[actor] for actor, _, x, _ in dots)  # each dot in its actor's lane
        changes = browser.find_element(By.CSS_SELECTOR, ".tl-changes").text
        assert "denied in October 2024, confirmed in April 2025" in changes
        browser.find_element(By.CSS_SELECTOR, ".tl-picture").screenshot(str(PROJECT / "docs" / "timeline.png"))
    finally:
        browser.set_window_size(1280, 1000)


def test_choosing_an_actor_keeps_its_lane_and_a_topic_narrows(server: str, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _open_timeline(browser, server)
    everything = len(_picture(browser)[1])
    browser.find_element(By.CSS_SELECTOR, "#timeline-actor input").click()
    option = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, 'li[role=option][aria-label="North Korea"]'))
    option[0].click()
    _wait(browser, lambda d: set(_picture(d)[0]) == {"North Korea"})
    dots = _picture(browser)[1]
    actors = browser.execute_script("return [...document.querySelectorAll('table.timeline tr.event')]"
                                    ".map(r => r.dataset.actor)")  # fmt: skip
    assert 0 < len(dots) < everything and set(actors) == {"North Korea"} and len(actors) == len(dots)
    assert "confirmed in April 2025" in browser.find_element(By.CSS_SELECTOR, ".tl-changes").text
    topic = browser.find_element(By.CSS_SELECTOR, "#timeline-topic textarea, #timeline-topic input")
    topic.send_keys("admitted sending soldiers to fight")
    browser.find_element(By.ID, "timeline-show").click()
    _wait(browser, lambda d: len(_picture(d)[1]) < len(dots) or d.find_elements(By.CSS_SELECTOR, ".tl-empty"))
    assert {d[0] for d in _picture(browser)[1]} <= {"North Korea"}
