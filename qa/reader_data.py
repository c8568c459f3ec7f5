"""The reader's training data: SQuAD 2.0-format questions, cut into windows with span targets.

`read_squad` reads a `.json` or `.json.gz` file into `Example`s (only the first answer counts;
an answer that is not where its `answer_start` says is an error); `featurize` cuts each example
into windows of `max_length` tokens sharing `stride` tokens, and `span_targets` finds the answer's
tokens in a window, or position 0 (`[CLS]`, "no answer") when the window does not hold it all.
It leaves out the model and the optimizer (`qa.reader_fit`) and what is written (`qa.reader_checkpoint`).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import PreTrainedTokenizerFast

COLUMNS = ("input_ids", "attention_mask", "token_type_ids", "start_positions", "end_positions")


class ReaderTrainingError(ValueError):
    """Training cannot start: a missing or malformed data file, a bad base or output directory."""


@dataclass(frozen=True)
class Example:
    """One question on one passage; `answer_start` is None when the passage does not answer it."""

    question: str
    context: str
    answer_start: int | None = None
    answer_text: str = ""


def read_squad(path: Path) -> list[Example]:
    """The questions of a SQuAD 2.0-format file (`.json` or `.json.gz`); only the first answer counts."""
    if not path.is_file():
        raise ReaderTrainingError(f"no such data file: {path}")
    try:
        with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8") as handle:
            document = json.load(handle)
        examples = [ex for article in document["data"] for par in article["paragraphs"] for ex in _examples(par)]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReaderTrainingError(f"{path} is not JSON: {error}") from error
    except (KeyError, TypeError) as error:
        raise ReaderTrainingError(f"{path} is not in SQuAD format (data/paragraphs/qas): {error!r}") from error
    except ReaderTrainingError as error:
        raise ReaderTrainingError(f"{path}: {error}") from error
    if not examples:
        raise ReaderTrainingError(f"{path} holds no questions")
    return examples


def _examples(paragraph: dict[str, Any]) -> Iterator[Example]:
    context = paragraph["context"]
    for qa in paragraph["qas"]:
        answers = [] if qa.get("is_impossible", False) else qa.get("answers", [])
        if not answers:
            yield Example(qa["question"].strip(), context)
            continue
        start, text = answers[0]["answer_start"], answers[0]["text"]
        if context[start : start + len(text)] != text:
            raise ReaderTrainingError(f"question {qa['question']!r}: answer {text!r} is not at offset {start}")
        yield Example(qa["question"].strip(), context, start, text)


def span_targets(
    offsets: Sequence[tuple[int, int]], sequence_ids: Sequence[int | None], start: int, end: int
) -> tuple[int, int]:
    """Token positions of the answer `context[start:end]` in one window, or (0, 0) if it is not all inside.

    Example: offsets [(0, 0), (0, 3), (0, 0), (0, 4), (5, 9), (0, 0)], sequence ids
    [None, 0, None, 1, 1, None] (question "who", passage "Anna Berg"), answer 5..9 -> (4, 4).
    """
    passage = [i for i, sequence in enumerate(sequence_ids) if sequence == 1]
    first, last = passage[0], passage[-1]
    if offsets[first][0] > start or offsets[last][1] < end:
        return 0, 0
    return max(i for i in passage if offsets[i][0] <= start), min(i for i in passage if offsets[i][1] >= end)


def featurize(
    tokenizer: PreTrainedTokenizerFast, examples: list[Example], max_length: int, stride: int
) -> dict[str, torch.Tensor]:
    """Windows of every example, padded to `max_length`, with their span targets (`COLUMNS`)."""
    # A thousand examples at a time: the tokenizer's Python lists for all of SQuAD take tens of GB.
    parts = [_featurize(tokenizer, examples[i : i + 1000], max_length, stride) for i in range(0, len(examples), 1000)]
    return {column: torch.cat([part[column] for part in parts]) for column in COLUMNS}


def _featurize(
    tokenizer: PreTrainedTokenizerFast, examples: list[Example], max_length: int, stride: int
) -> dict[str, torch.Tensor]:
    encoding = tokenizer(
        [e.question for e in examples],
        [e.context for e in examples],
        truncation="only_second",
        max_length=max_length,
        stride=stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        padding="max_length",
    )
    targets = []
    for window, index in enumerate(encoding["overflow_to_sample_mapping"]):
        example = examples[index]
        if example.answer_start is None:
            targets.append((0, 0))
            continue
        end = example.answer_start + len(example.answer_text)
        targets.append(
            span_targets(encoding["offset_mapping"][window], encoding.sequence_ids(window), example.answer_start, end)
        )
    starts, ends = zip(*targets, strict=True)
    columns = {name: torch.tensor(encoding[name]) for name in COLUMNS[:3]}
    return {**columns, "start_positions": torch.tensor(starts), "end_positions": torch.tensor(ends)}
