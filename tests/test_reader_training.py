"""Fine-tuning the reader: span targets, a few CPU steps from the shipped reader, the CLI, bad inputs."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import torch
from safetensors.torch import load_file
from transformers import BertForQuestionAnswering, BertTokenizerFast

from qa.cli import main
from qa.reader_data import Example, ReaderTrainingError, featurize, read_squad, span_targets
from qa.reader_fit import TrainConfig
from qa.reader_training import train_reader

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "reader"
FESTIVAL = (
    "The Velmora Glass Festival began in 1987 on the shores of Lake Ornath. Its founder, the glassblower "
    "Idris Kallenby, built the first kiln from river stones."
)
PRIZE = (
    "Each summer the festival awards the Amber Flute to the best young glassblower. In 2019 the prize went "
    "to Mirela Santo, who was seventeen."
)
QUESTIONS = [  # (context, question, answer or None when the context does not answer it)
    (FESTIVAL, "When did the Velmora Glass Festival begin?", "1987"),
    (FESTIVAL, "Who founded the Velmora Glass Festival?", "Idris Kallenby"),
    (FESTIVAL, "What was the first kiln built from?", "river stones"),
    (FESTIVAL, "How many visitors came to the first festival?", None),
    (PRIZE, "What prize does the festival award?", "the Amber Flute"),
    (PRIZE, "Who won the Amber Flute in 2019?", "Mirela Santo"),
    (PRIZE, "How much money comes with the Amber Flute?", None),
    (PRIZE, "Who won the Amber Flute in 2021?", None),
]
TINY = TrainConfig(lr=2e-4, epochs=10, batch_size=4, max_steps=4, max_length=96, stride=32)


def _qa(context: str, question: str, answer: str | None, number: int) -> dict[str, Any]:
    answers = [] if answer is None else [{"text": answer, "answer_start": context.index(answer)}]
    return {"id": f"q{number}", "question": question, "answers": answers, "is_impossible": answer is None}


def squad(questions: list[tuple[str, str, str | None]]) -> dict[str, Any]:
    paragraphs = [
        {"context": context, "qas": [_qa(c, q, a, n) for n, (c, q, a) in enumerate(questions) if c == context]}
        for context in dict.fromkeys(c for c, _, _ in questions)
    ]
    return {"version": "v2.0", "data": [{"title": "Velmora", "paragraphs": paragraphs}]}


def write_json(path: Path, content: Any) -> Path:
    path.write_text(json.dumps(content))
    return path


@pytest.fixture(scope="module")
def tokenizer() -> BertTokenizerFast:
    return BertTokenizerFast.from_pretrained(SHIPPED, local_files_only=True)


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_json(tmp_path_factory.mktemp("data") / "velmora.json", squad(QUESTIONS))


@pytest.fixture(scope="module")
def trained(tiny_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trained") / "reader"
    report = train_reader([tiny_data], out, SHIPPED, TINY)
    assert (report.questions, report.features, report.steps) == (8, 8, 4)
    return out


def _loss(model_dir: Path, data: Path, tokenizer: BertTokenizerFast) -> float:
    model = BertForQuestionAnswering.from_pretrained(model_dir, dtype=torch.float32, local_files_only=True).eval()
    with torch.no_grad():
        return float(model(**featurize(tokenizer, read_squad(data), TINY.max_length, TINY.stride)).loss)


@pytest.mark.parametrize(("context", "question", "answer"), [q for q in QUESTIONS if q[2] is not None])
def test_span_targets_map_back_to_the_answer(
    context: str, question: str, answer: str, tokenizer: BertTokenizerFast
) -> None:
    encoding = tokenizer(question, context, return_offsets_mapping=True)
    start = context.index(answer)
    first, last = span_targets(encoding["offset_mapping"], encoding.sequence_ids(), start, start + len(answer))
    offsets = encoding["offset_mapping"]
    assert context[offsets[first][0] : offsets[last][1]] == answer


def test_windows_without_the_answer_target_cls(tokenizer: BertTokenizerFast) -> None:
    context = f"{FESTIVAL} {PRIZE} " * 3
    example = Example("Who won in 2019?", context, context.rindex("Mirela Santo"), "Mirela Santo")
    features = featurize(tokenizer, [example], max_length=48, stride=16)
    spans = list(zip(features["start_positions"].tolist(), features["end_positions"].tolist(), strict=True))
    found = [features["input_ids"][i, s : e + 1].tolist() for i, (s, e) in enumerate(spans) if (s, e) != (0, 0)]
    assert len(spans) > 3 and found and (0, 0) in spans
    assert all(ids == tokenizer("Mirela Santo", add_special_tokens=False)["input_ids"] for ids in found)


def test_unanswerable_questions_target_cls(tokenizer: BertTokenizerFast) -> None:
    features = featurize(tokenizer, [Example("Who won in 2021?", PRIZE * 2)], max_length=48, stride=16)
    assert len(features["input_ids"]) > 1
    assert not features["start_positions"].any() and not features["end_positions"].any()


def test_training_writes_a_reader_that_loads_and_has_changed(trained: Path, tiny_data: Path) -> None:
    assert BertForQuestionAnswering.from_pretrained(trained, local_files_only=True).config.num_hidden_layers == 6
    assert BertTokenizerFast.from_pretrained(trained, local_files_only=True)("Velmora")["input_ids"][0] == 101
    before, after = load_file(SHIPPED / "model.safetensors"), load_file(trained / "model.safetensors")
    assert before.keys() == after.keys() and {t.dtype for t in after.values()} == {torch.float16}
    assert not torch.equal(before["qa_outputs.weight"], after["qa_outputs.weight"])
    record = json.loads((trained / "TRAINING.json").read_text())
    assert record["steps"] == 4 and record["config"]["max_length"] == 96
    assert record["data"][0]["sha256"] == hashlib.sha256(tiny_data.read_bytes()).hexdigest()
    lines = (trained / "SHA256SUMS").read_text().splitlines()
    sums = {name: digest for digest, name in (line.split("  ") for line in lines)}
    assert sums["model.safetensors"] == hashlib.sha256((trained / "model.safetensors").read_bytes()).hexdigest()


def test_training_lowers_the_loss_on_its_data(trained: Path, tiny_data: Path, tokenizer: BertTokenizerFast) -> None:
    assert _loss(trained, tiny_data, tokenizer) < 0.8 * _loss(SHIPPED, tiny_data, tokenizer)


def test_cli_trains_over_an_earlier_output_from_qa_reader_dir(
    trained: Path,
    tiny_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QA_READER_DIR", str(trained))
    out = Path(shutil.copytree(trained, tmp_path / "again"))
    code = main(
        ["reader", "train", "--data", str(tiny_data), "--out", str(out), "--max-steps", "1", "--batch-size", "1"]
    )
    printed = capsys.readouterr().out
    assert code == 0 and "questions: 8, steps: 1," in printed
    assert f"QA_READER_DIR={out} qa ask" in printed
    record = json.loads((out / "TRAINING.json").read_text())
    assert record["base"] == str(trained.resolve()) and record["steps"] == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--data", "missing.json"], "qa: error: no such data file: missing.json"),
        (["--data", "{data}", "--lr", "0"], "qa: error: lr: Input should be greater than 0"),
    ],
)
def test_cli_reports_bad_input_in_one_line(
    argv: list[str], message: str, tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.replace("{data}", str(tiny_data)) for a in argv]
    assert main(["reader", "train", *argv, "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == message + "\n"


def test_reads_gzipped_squad(tmp_path: Path) -> None:
    path = tmp_path / "velmora.json.gz"
    path.write_bytes(gzip.compress(json.dumps(squad(QUESTIONS)).encode()))
    examples = read_squad(path)
    assert len(examples) == 8 and sum(e.answer_start is None for e in examples) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is not json", "is not JSON"),
        ({"questions": []}, "is not in SQuAD format"),
        ({"data": [{"paragraphs": [{"context": PRIZE, "qas": []}]}]}, "holds no questions"),
        (
            {
                "data": [
                    {
                        "paragraphs": [
                            {
                                "context": PRIZE,
                                "qas": [{"question": "Who?", "answers": [{"text": "Santo", "answer_start": 0}]}],
                            }
                        ]
                    }
                ]
            },
            "answer 'Santo' is not at offset 0",
        ),
    ],
)
def test_bad_data_files_fail_early_with_one_line(content: Any, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(ReaderTrainingError, match=message):
        train_reader([path], tmp_path / "out", SHIPPED, TINY)


def test_bad_directories_fail_early(tiny_data: Path, tmp_path: Path) -> None:
    with pytest.raises(ReaderTrainingError, match="not a model directory"):
        train_reader([tiny_data], tmp_path / "out", tmp_path, TINY)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ReaderTrainingError, match="not empty and is no earlier training output"):
        train_reader([tiny_data], tmp_path, SHIPPED, TINY)
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "config.json").write_text("{}")
    (damaged / "SHA256SUMS").write_text(f"{'0' * 64}  config.json\n")
    with pytest.raises(ReaderTrainingError, match="does not match"):
        train_reader([tiny_data], tmp_path / "out", damaged, TINY)


def test_config_forbids_unknown_settings() -> None:
    with pytest.raises(ValueError, match="learning_rate"):
        TrainConfig.model_validate({"learning_rate": 1e-4})
