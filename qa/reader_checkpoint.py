"""The directories of a training run: the base checked before training, the trained reader written after.

`check_dirs` refuses a base that is no model directory or fails its SHA256SUMS, and an output that
is a file, the base itself, or a non-empty directory no earlier run wrote. `save` writes what
`models/reader/` holds (fp16 weights, config, the base's tokenizer files, SHA256SUMS for
`qa.reader` to check) and `write_record` the run's TRAINING.json (`TrainReport` and where from).
It leaves out training itself (`qa.reader_fit`) and loading a reader to answer with (`qa.reader`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import torch
import transformers
from pydantic import BaseModel, Field
from safetensors.torch import save_file
from transformers import BertForQuestionAnswering

from index.encoder import sha256_of
from qa.reader import CHECKSUMS_FILE, ReaderError, verify_checksums
from qa.reader_data import ReaderTrainingError
from qa.reader_fit import TrainConfig

RECORD_FILE = "TRAINING.json"
TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")


class TrainReport(BaseModel):
    questions: int = Field(description="Questions read from the data files.")
    features: int = Field(description="Windows the questions were cut into.")
    steps: int = Field(description="Optimizer steps taken.")
    loss: float = Field(description="Mean training loss over the last 20 steps (or all, if fewer).")
    seconds: float = Field(description="Wall time, loading and saving included.")


def check_dirs(base: Path, out: Path) -> None:
    if not (base / "config.json").is_file():
        raise ReaderTrainingError(f"base {base} is not a model directory (no config.json)")
    if (base / CHECKSUMS_FILE).is_file():
        try:
            verify_checksums(base)
        except ReaderError as error:
            raise ReaderTrainingError(f"base {error}") from error
    if out.exists() and not out.is_dir():
        raise ReaderTrainingError(f"out {out} is a file, not a directory")
    if out.resolve() == base.resolve():
        raise ReaderTrainingError(f"out {out} is the base model itself; write to another directory")
    if out.is_dir() and any(out.iterdir()) and not (out / RECORD_FILE).is_file():
        raise ReaderTrainingError(f"out {out} is not empty and is no earlier training output (no {RECORD_FILE})")


def save(model: BertForQuestionAnswering, base: Path, out: Path) -> None:
    """float16 weights, config and the base's tokenizer files as in `models/reader/`, and the SHA256SUMS
    that `qa.reader` checks before loading."""
    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.detach().to(torch.float16).cpu().contiguous() for k, v in model.state_dict().items()}
    save_file(weights, out / "model.safetensors", metadata={"format": "pt"})
    model.config.architectures = ["BertForQuestionAnswering"]
    model.config.to_json_file(out / "config.json")
    for name in TOKENIZER_FILES:
        if (base / name).is_file():
            shutil.copyfile(base / name, out / name)
    written = ["model.safetensors", "config.json", *(name for name in TOKENIZER_FILES if (out / name).is_file())]
    (out / CHECKSUMS_FILE).write_text("".join(f"{sha256_of(out / name)}  {name}\n" for name in written))


def write_record(out: Path, base: Path, data: list[Path], config: TrainConfig, report: TrainReport) -> None:
    record = {
        "base": str(base.resolve()),
        "data": [{"path": str(path.resolve()), "sha256": sha256_of(path)} for path in data],
        "config": config.model_dump(),
        **report.model_dump(),
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
    }
    (out / RECORD_FILE).write_text(json.dumps(record, indent=1) + "\n")
