"""The reader's confidence calibration: the Platt fit, its weighting, the calibration error and the command."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from evals import calibrate
from evals.rows import Row, calibration_error, reliability_bins, scores

ROW = {"engine": "reader", "threshold": -1000.0, "question": "q?", "gold": [], "answer": "a", "answer_span": None,
       "confidence": None, "citations": [], "span_f1": None, "latency_ms": 10.0, "abstained": False}  # fmt: skip


def row(collection: str, answerable: bool, margin: float, right: bool, **fields: Any) -> Row:
    split = "dev"
    given = {"collection": collection, "split": split, "id": f"{collection}-{margin}-{random.random()}",
             "answerable": answerable, "margin": margin, "correct_if_answered": right and answerable}  # fmt: skip
    return Row.model_validate({**ROW, **given, **fields})


def logistic_rows(collection: str, slope: float, intercept: float, n: int, seed: int) -> list[Row]:
    """Answerable rows whose answers are right with the chance the logistic gives at their margin."""
    draw = random.Random(seed)
    margins = [draw.uniform(-6.0, 16.0) for _ in range(n)]
    return [row(collection, True, m, draw.random() < calibrate.chance(m, slope, intercept)) for m in margins]


def test_the_fit_recovers_a_known_logistic() -> None:
    points = [(r.margin or 0.0, r.correct_if_answered, 1.0) for r in logistic_rows("squad", 0.3, -1.5, 4000, 7)]
    slope, intercept = calibrate.fit(points)
    assert slope == pytest.approx(0.3, abs=0.04) and intercept == pytest.approx(-1.5, abs=0.25)


def test_dev_sets_weigh_equally_and_unanswerable_questions_a_quarter_within_each() -> None:
    squad = [row("squad", True, 5.0, True) for _ in range(6)] + [row("squad", False, 5.0, False) for _ in range(2)]
    quail = [row("quail", True, 1.0, False) for _ in range(3)] + [row("quail", False, 1.0, False)]
    points = calibrate.weighted_points({"squad:dev": squad, "quail:dev": quail})
    by_set = {m: sum(w for margin, _, w in points if margin == m) for m in (5.0, 1.0)}
    assert by_set == {5.0: pytest.approx(0.5), 1.0: pytest.approx(0.5)}
    unanswerable = sum(w for (m, _, w), r in zip(points, squad + quail, strict=True) if not r.answerable)
    assert unanswerable == pytest.approx(0.25)


def test_calibration_error_and_bins_on_hand_made_pairs() -> None:
    assert reliability_bins([(0.91, True), (0.95, False)]) == [(pytest.approx(0.93), 0.5, 2)]
    assert calibration_error([(0.9, True), (0.9, False), (0.2, False)]) == pytest.approx(1 / 3)
    assert calibration_error([(0.7, True), (0.7, False)]) == pytest.approx(0.2)
    assert calibration_error([]) is None


def test_scores_give_the_calibration_error_of_answered_rows_only() -> None:
    answered = [row("squad", True, 5.0, True, confidence=0.8), row("squad", True, 5.0, False, confidence=0.8)]
    abstained = row("squad", False, -2.0, False, confidence=0.1, abstained=True)
    assert scores([*answered, abstained])["calibration_error"] == pytest.approx(0.3)


def test_the_command_writes_the_fit_with_each_dev_sets_reliability_before_and_after(tmp_path: Path) -> None:
    rows = logistic_rows("squad", 0.25, -1.0, 600, 1) + logistic_rows("quail", 0.25, -1.0, 300, 2)
    rows += [row(c, False, m, False) for c in ("squad", "quail") for m in (-4.0, -1.0, 0.5, 2.0)]
    rows += [row("bbc_story", True, 9.0, False, split="test") for _ in range(50)]  # a test set: never read
    results = tmp_path / "results.jsonl"
    results.write_text("".join(r.model_dump_json() + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "calibration.json"
    assert calibrate.main(["--results", str(results), "--threshold", "0", "--out", str(out)]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    # the answerable rows follow slope 0.25, intercept -1.0; the unanswerable ones, always wrong, pull it down
    assert record["slope"] == pytest.approx(0.25, abs=0.08) and -3.0 < record["intercept"] < -1.0
    assert set(record["reliability_at_threshold"]) == {"squad:dev", "quail:dev"}
    squad = record["reliability_at_threshold"]["squad:dev"]
    assert squad["after"]["calibration_error"] < squad["before"]["calibration_error"]


def test_the_command_refuses_a_run_that_abstained_or_lacks_a_dev_set(tmp_path: Path, capsys: Any) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text(row("squad", True, 3.0, True, threshold=3.2).model_dump_json() + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        calibrate.main(["--results", str(results), "--out", str(tmp_path / "c.json")])
    assert "quail:dev" in capsys.readouterr().err and not (tmp_path / "c.json").exists()
    with pytest.raises(SystemExit):
        calibrate.main(["--results", str(tmp_path / "missing"), "--out", str(tmp_path / "c.json")])
