"""`python -m evals.ceiling`: accuracy never abstaining and with perfect abstention."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals import ceiling
from evals.rows import Row

ROW = {"engine": "reader", "threshold": -1000.0, "gold": [], "answer": "a", "answer_span": None, "confidence": None,
       "citations": [], "span_f1": None, "latency_ms": 10.0, "abstained": False}  # fmt: skip


def row(collection: str, answerable: bool, margin: float, right: bool, **fields: Any) -> Row:
    given = {"collection": collection, "split": "test", "id": f"{collection}-{margin}-{answerable}", "question": "q?",
             "answerable": answerable, "margin": margin, "correct_if_answered": right and answerable}  # fmt: skip
    return Row.model_validate({**ROW, **given, **fields})


def story() -> list[Row]:
    """Two answerable (one right at margin 5, one wrong at margin 1), two unanswerable (margins 0 and 4)."""
    return [row("news", True, 5.0, True), row("news", True, 1.0, False), row("news", False, 0.0, False),
            row("news", False, 4.0, False)]  # fmt: skip


def test_the_ceiling_answers_as_the_run_did_and_abstains_on_every_unanswerable_question() -> None:
    found = ceiling.ceiling(story())
    assert found.never_abstaining == 0.25  # only the right answer
    assert found.ceiling == 0.75 and found.answerable_ceiling == 0.5


def test_collections_are_kept_apart_in_run_order_and_rules_rows_are_left_out() -> None:
    rows = [*story(), row("wiki", True, 9.0, True), row("wiki", True, 9.0, True, engine="rules", threshold=None)]
    found = ceiling.ceilings(rows)
    assert [(c.collection, c.questions) for c in found] == [("news", 4), ("wiki", 1)]
    assert found[1].ceiling == 1.0 and "wiki" in ceiling.table(found)


def test_a_run_that_abstained_on_its_margin_is_refused() -> None:
    with pytest.raises(ValueError, match=r"threshold 3\.2"):
        ceiling.ceilings([row("news", True, 5.0, True, threshold=3.2)])
    with pytest.raises(ValueError, match="no reader results"):
        ceiling.ceilings([])


def test_the_command_prints_the_table_and_names_a_missing_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "results.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in story()), encoding="utf-8")
    assert ceiling.main(["--results", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "news" in out and "0.250    0.750        0.500" in out
    with pytest.raises(SystemExit):
        ceiling.main(["--results", str(tmp_path / "none")])
    assert "no results at" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["evals.ceiling", "evals.threshold", "evals.calibrate"])
def test_every_reader_of_a_run_names_a_missing_one_and_the_run_that_makes_it(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib

    main = importlib.import_module(command).main
    with pytest.raises(SystemExit) as stopped:
        main(
            [
                "--results",
                str(tmp_path / "none"),
                *(["--out", str(tmp_path / "out.json")] if command != "evals.ceiling" else []),
            ]
        )
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "no results at" in err and "run: python -m evals.collections" in err
    assert not (tmp_path / "out.json").exists()
