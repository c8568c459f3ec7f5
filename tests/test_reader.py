"""The reader: verified loading, one copy per process, spans in passage offsets, windows and answers."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa.compose_reader import confidence, normalise_answer, same_answer
from qa.reader import ReaderError, _best_span, load_reader, verify_checksums
from qa.settings import ReaderSettings

READER_DIR = Path(__file__).resolve().parents[1] / "models" / "reader"


def test_checksums_of_the_shipped_reader_hold() -> None:
    verify_checksums(READER_DIR)


def test_a_damaged_weights_file_is_a_clear_error(tmp_path: Path) -> None:
    copy = Path(shutil.copytree(READER_DIR, tmp_path / "reader"))
    with (copy / "model.safetensors").open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00\x01\x02")
    with pytest.raises(ReaderError, match=r"model\.safetensors: sha256 .* does not match"):
        verify_checksums(copy)


def test_a_folder_without_checksums_or_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="SHA256SUMS"):
        verify_checksums(tmp_path)
    with pytest.raises(ReaderError, match=r"config\.json missing"):
        load_reader(tmp_path)


def test_one_copy_per_process() -> None:
    assert load_reader(READER_DIR) is load_reader(READER_DIR)


def test_best_span_stays_inside_the_passage_and_short() -> None:
    # [CLS] q [SEP] p0 p1 p2 [SEP]: question tokens score high but are not the passage.
    sequence_ids = [None, 0, None, 1, 1, 1, None]
    offsets = [[0, 0], [0, 3], [0, 0], [0, 3], [4, 9], [10, 14], [0, 0]]
    start = np.array([1.0, 9.0, 0.0, 0.5, 5.0, 0.0, 0.0])
    end = np.array([1.0, 9.0, 0.0, 0.0, 1.0, 4.0, 0.0])
    span = _best_span(start, end, sequence_ids, offsets)
    assert (span.start, span.end) == (4, 14)
    assert span.span_score == 9.0 and span.null_score == 2.0 and span.margin == 7.0


def test_reader_finds_the_answer_in_text_from_another_story() -> None:
    reader = load_reader(READER_DIR)
    passages = [
        "The board of Halden Foods approved the merger on Tuesday. The deal values the bakery chain at $2.4bn.",
        "Rain is expected across the north of the country this weekend.",
    ]
    spans = reader.read("How much is the bakery chain worth in the deal?", passages)
    assert passages[0][spans[0].start : spans[0].end] == "$2.4bn"
    assert spans[0].margin > 0 > spans[1].margin


def test_answer_normalisation_and_sameness() -> None:
    assert normalise_answer("The 12,000 Troops.") == "12000 troops"
    assert same_answer("12,000 troops", "about 12,000 troops")
    assert not same_answer("Kursk", "Kyiv")
    assert not same_answer("", "Kyiv")


def test_confidence_is_the_calibrated_chance_and_grows_with_the_margin() -> None:
    fitted = ReaderSettings(confidence_slope=0.25, confidence_intercept=-1.0)
    assert confidence(4.0, fitted) == 0.5
    assert confidence(12.0, fitted) == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert confidence(2.0, fitted) > confidence(0.5, fitted) > confidence(-3.0, fitted)


def test_the_shipped_calibration_is_the_one_evals_calibrate_fitted() -> None:
    record = json.loads((Path(__file__).parents[1] / "evals" / "calibration.json").read_text(encoding="utf-8"))
    shipped = ReaderSettings()
    assert (shipped.confidence_slope, shipped.confidence_intercept) == (record["slope"], record["intercept"])
    assert {c["collection"] for c in record["chosen_on"]} == {"squad", "quail"}  # dev sets only


def test_a_very_long_question_is_read_up_to_its_limit() -> None:
    reader = load_reader(READER_DIR)
    spans = reader.read("who " * 600 + "won the race?", ["Ann won the race on Sunday."])
    assert len(spans) == 1 and 0 <= spans[0].start <= spans[0].end <= len("Ann won the race on Sunday.")
