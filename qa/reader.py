"""The reader: a MiniLM span extractor with a "no answer" option, run over passages in one batch.

Given a question and passages it scores every token as the start and the end of the answer;
the best span's score (start logit + end logit) minus the `[CLS]` "no answer" score is the
margin: above 0 the passage more likely answers than not. Weights are verified against the
`SHA256SUMS` file beside them before loading, and loaded once per process and directory.
It leaves out which passages to read and what to do with the spans (`qa.read`, `qa.compose`).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from index.encoder import sha256_of

CHECKSUMS_FILE = "SHA256SUMS"
MAX_ANSWER_TOKENS = 30
MAX_QUESTION_TOKENS = 64  # the rest of the 384 is for the passage; a longer question is read up to here


class ReaderError(RuntimeError):
    """The reader cannot be loaded: missing files or weights that are not the expected ones."""


@dataclass(frozen=True)
class SpanScore:
    """The best answer span of one passage, in the passage's characters, and how sure the reader is."""

    start: int
    end: int
    span_score: float
    null_score: float

    @property
    def margin(self) -> float:
        return self.span_score - self.null_score


def verify_checksums(model_dir: Path) -> None:
    """Raise `ReaderError` unless every file listed in `model_dir/SHA256SUMS` has its sha256.

    The file is in `sha256sum` format: "<hex>  <file name>" per line.
    """
    listing = model_dir / CHECKSUMS_FILE
    if not listing.is_file():
        raise ReaderError(f"{model_dir}: no {CHECKSUMS_FILE}; cannot verify the reader's weights")
    for line in listing.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        expected, name = line.split(maxsplit=1)
        path = model_dir / name.strip().lstrip("*")
        if not path.is_file():
            raise ReaderError(f"{path}: missing (listed in {CHECKSUMS_FILE})")
        if (actual := sha256_of(path)) != expected:
            raise ReaderError(f"{path}: sha256 {actual} does not match {expected}; the reader's files are damaged")


class Reader:
    """Scores answer spans. Example: Reader(dir).read("Who won?", ["Ann won the race."]) -> [SpanScore(0, 3, ...)]."""

    def __init__(self, model_dir: Path, max_length: int = 384) -> None:
        import torch
        from transformers import BertForQuestionAnswering, BertTokenizerFast  # type: ignore[attr-defined]
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # a library's bar would garble `qa ask --json` pipelines
        transformers_logging.set_verbosity_error()  # e.g. "sequence longer than 512" when measuring a long question

        verify_checksums(model_dir)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self.model_dir = model_dir
        self.max_length = max_length
        self.tokenizer = BertTokenizerFast.from_pretrained(str(model_dir), local_files_only=True)
        self.model = BertForQuestionAnswering.from_pretrained(
            str(model_dir), local_files_only=True, dtype=torch.float32
        ).eval()
        self._lock = threading.Lock()  # one forward pass at a time; torch already uses both cores

    def read(self, question: str, passages: list[str]) -> list[SpanScore]:
        """The best span of each passage (one batched forward pass); long passages are read in strides."""
        if not passages:
            return []
        question = self._clip(question)
        encoded = self.tokenizer(
            [question] * len(passages), passages, truncation="only_second", max_length=self.max_length,
            stride=96, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
            return_tensors="pt",
        )  # fmt: skip
        start_logits, end_logits = self._forward(encoded)
        best: dict[int, SpanScore] = {}
        for row, passage in enumerate(encoded["overflow_to_sample_mapping"].tolist()):
            found = _best_span(start_logits[row], end_logits[row], encoded.sequence_ids(row),
                               encoded["offset_mapping"][row].tolist())  # fmt: skip
            if passage not in best or found.margin > best[passage].margin:
                best[passage] = found
        return [best[i] for i in range(len(passages))]

    def _clip(self, question: str) -> str:
        """The question up to its `MAX_QUESTION_TOKENS`th token, so the passage always has room."""
        offsets = self.tokenizer(question, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
        return question if len(offsets) <= MAX_QUESTION_TOKENS else question[: offsets[MAX_QUESTION_TOKENS - 1][1]]

    def _forward(self, encoded: dict) -> tuple[np.ndarray, np.ndarray]:
        import torch

        inputs = {k: v for k, v in encoded.items() if k in ("input_ids", "attention_mask", "token_type_ids")}
        with self._lock, torch.inference_mode():
            output = self.model(**inputs)
        return output.start_logits.float().numpy(), output.end_logits.float().numpy()


def _best_span(
    start: np.ndarray, end: np.ndarray, sequence_ids: list[int | None], offsets: list[list[int]]
) -> SpanScore:
    """The highest start+end score over spans inside the passage, at most `MAX_ANSWER_TOKENS` long.

    Example: passage tokens scored start [.., 5, 1], end [.., 0, 4] -> the two-token span, score 9.
    """
    context = np.array([s == 1 for s in sequence_ids])
    masked_start = np.where(context, start, -np.inf)
    masked_end = np.where(context, end, -np.inf)
    pair = masked_start[:, None] + masked_end[None, :]
    length = np.arange(len(start))[None, :] - np.arange(len(start))[:, None]
    pair[(length < 0) | (length >= MAX_ANSWER_TOKENS)] = -np.inf
    i, j = np.unravel_index(int(np.argmax(pair)), pair.shape)
    return SpanScore(offsets[i][0], offsets[j][1], float(pair[i, j]), float(start[0] + end[0]))


@cache
def load_reader(model_dir: Path) -> Reader:
    """The reader at `model_dir`, loaded once per process (CLI, API, chat and evals share it)."""
    if not (model_dir / "config.json").is_file():
        raise ReaderError(f"{model_dir}: no reader here (config.json missing); set QA_READER_DIR to a reader folder")
    return Reader(model_dir)
