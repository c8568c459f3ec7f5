"""Fine-tune the extractive reader (BertForQuestionAnswering) on SQuAD 2.0-format questions.

The recipe of `../shared/tools/train_reader.py`, which made `models/reader/`: windows of 384
tokens with a stride of 128, AdamW (weight decay 0.01), a linear schedule with 10% warm-up,
gradients clipped at 1.0, a fixed seed, bf16 autocast on CUDA only. A window without the answer
(or a question without one) targets position 0, the `[CLS]` token that scores "no answer".

    config = TrainConfig(epochs=2, max_steps=50)
    report = train_reader([Path("mine.json")], Path("my-reader"), Path("models/reader"), config)

`base` is a reader to go on training, or a plain encoder that gets a new span head. The output
directory holds fp16 weights, config and tokenizer as the shipped reader does, and TRAINING.json.

The shipped reader in two stages (models/reader/MODEL_CARD.md); the full run needs a GPU,
about 8 minutes on one H100 (6 for stage 1, 2 for stage 2):

    python -m qa.reader_training --stage 1 --out stage1
    python -m qa.reader_training --stage 2 --base stage1 --out stage2

Fine-tuning on the CPU is for a few hundred questions: one epoch over 300 SQuAD 2.0 questions
(302 windows of 384 tokens, 19 steps of 16) took 272 CPU-seconds and 4.3 GB, 8.5 minutes on
2 cores shared with other jobs (about 3 minutes expected when it has both to itself).
Unlike train_reader.py, an answer that is not where its `answer_start` says is an error (the
shipped mixes have none), and the CPU uses the fused AdamW. Left out: evaluation (score a reader
with `qa eval`, or on a SQuAD dev set with train_reader.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import torch
import transformers
from pydantic import BaseModel, ConfigDict, Field
from safetensors.torch import save_file
from tqdm import tqdm
from transformers import (
    BertForQuestionAnswering,
    BertTokenizer,
    PreTrainedTokenizerFast,
    get_linear_schedule_with_warmup,
)

from index.encoder import default_model_dir, sha256_of, verify_weights
from qa.reader import CHECKSUMS_FILE, ReaderError, verify_checksums

RECORD_FILE = "TRAINING.json"
TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
COLUMNS = ("input_ids", "attention_mask", "token_type_ids", "start_positions", "end_positions")
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "reader-train"


class ReaderTrainingError(ValueError):
    """Training cannot start: a missing or malformed data file, a bad base or output directory."""


class TrainConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lr: float = Field(default=3e-5, gt=0, description="Peak learning rate of AdamW.")
    epochs: float = Field(default=2.0, gt=0, description="Passes over the data; fractions allowed.")
    batch_size: int = Field(default=16, ge=1, description="Windows per optimizer step.")
    max_steps: int | None = Field(default=None, ge=1, description="Stop after this many steps (the schedule too).")
    max_length: int = Field(default=384, ge=32, le=512, description="Tokens per window: question and passage.")
    stride: int = Field(default=128, ge=0, description="Tokens shared by consecutive windows of a passage.")
    seed: int = Field(default=0, description="Seed of the span head's initialisation, dropout and batch order.")
    device: str = Field(default="auto", description='"auto" (CUDA when there is one), "cpu", "cuda", "cuda:1", ...')


class TrainReport(BaseModel):
    questions: int = Field(description="Questions read from the data files.")
    features: int = Field(description="Windows the questions were cut into.")
    steps: int = Field(description="Optimizer steps taken.")
    loss: float = Field(description="Mean training loss over the last 20 steps (or all, if fewer).")
    seconds: float = Field(description="Wall time, loading and saving included.")


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


def train_reader(data: list[Path], out: Path, base: Path, config: TrainConfig, progress: bool = False) -> TrainReport:
    """Fine-tune the model in `base` on the questions of `data` and write the result to `out`."""
    began = time.perf_counter()
    transformers.logging.disable_progress_bar()  # one bar, ours, and only when asked for
    examples = [example for path in data for example in read_squad(path)]
    _check_dirs(base, out)
    device = torch.device(
        ("cuda" if torch.cuda.is_available() else "cpu") if config.device == "auto" else config.device
    )
    torch.manual_seed(config.seed)  # before loading: a new span head is initialised from it
    # In transformers 5 BertTokenizer is the fast (Rust) tokenizer, which gives character offsets.
    tokenizer = BertTokenizer.from_pretrained(base, local_files_only=True)
    model = BertForQuestionAnswering.from_pretrained(base, dtype=torch.float32, local_files_only=True)
    model.to(device)  # type: ignore[arg-type]  # transformers types `to` as the unbound Module.to
    features = {k: v.to(device) for k, v in featurize(tokenizer, examples, config.max_length, config.stride).items()}
    losses = _fit(model, features, config, progress)
    _save(model, base, out)
    tail = losses[-20:]
    report = TrainReport(
        questions=len(examples),
        features=len(features["input_ids"]),
        steps=len(losses),
        loss=sum(tail) / max(len(tail), 1),
        seconds=round(time.perf_counter() - began, 1),
    )
    _write_record(out, base, data, config, report)
    return report


def _check_dirs(base: Path, out: Path) -> None:
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


def planned_steps(features: int, config: TrainConfig) -> int:
    """Example: 1,000 windows in batches of 96 for 1.5 epochs -> 11 batches x 1.5 -> 16 steps."""
    steps = int(math.ceil(features / config.batch_size) * config.epochs)
    return min(steps, config.max_steps) if config.max_steps else steps


def _fit(
    model: BertForQuestionAnswering, features: dict[str, torch.Tensor], config: TrainConfig, progress: bool
) -> list[float]:
    total = planned_steps(len(features["input_ids"]), config)
    # On the CPU the fused AdamW is 10-20 times faster than the default; on CUDA the recipe's default stays.
    fused = True if features["input_ids"].device.type == "cpu" else None
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=0.01, fused=fused)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * total), total)
    model.train()
    losses = []
    batches = islice(_batch_indices(len(features["input_ids"]), config.batch_size, config.seed), total)
    bar = tqdm(batches, total=total, disable=not progress, unit="step", desc="training")
    for indices in bar:
        losses.append(_step(model, {k: v[indices] for k, v in features.items()}, optimizer, schedule))
        bar.set_postfix(loss=f"{losses[-1]:.3f}", refresh=False)
    return losses


def _batch_indices(count: int, batch_size: int, seed: int) -> Iterator[torch.Tensor]:
    """Shuffled batches, epoch after epoch, without end; the order depends only on `seed`."""
    generator = torch.Generator().manual_seed(seed)
    while True:
        yield from torch.randperm(count, generator=generator).split(batch_size)


def _step(
    model: BertForQuestionAnswering,
    batch: dict[str, torch.Tensor],
    optimizer: torch.optim.Optimizer,
    schedule: torch.optim.lr_scheduler.LRScheduler,
) -> float:
    device = batch["input_ids"].device
    with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
        loss = model(**batch).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    schedule.step()
    optimizer.zero_grad(set_to_none=True)
    return float(loss.item())


def _save(model: BertForQuestionAnswering, base: Path, out: Path) -> None:
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


def _write_record(out: Path, base: Path, data: list[Path], config: TrainConfig, report: TrainReport) -> None:
    record = {
        "base": str(base.resolve()),
        "data": [{"path": str(path.resolve()), "sha256": sha256_of(path)} for path in data],
        "config": config.model_dump(),
        **report.model_dump(),
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
    }
    (out / RECORD_FILE).write_text(json.dumps(record, indent=1) + "\n")


STAGES = {
    1: ("train.json.gz", TrainConfig(lr=8e-5, epochs=4, batch_size=96)),
    2: ("train-v2.json.gz", TrainConfig(lr=4e-5, epochs=1.5, batch_size=96)),
}


def main(argv: list[str] | None = None) -> int:
    """Reproduce a stage of the shipped reader: stage 1 from the encoder, stage 2 from stage 1's output."""
    parser = argparse.ArgumentParser(prog="python -m qa.reader_training", description=main.__doc__)
    parser.add_argument("--stage", type=int, choices=sorted(STAGES), required=True)
    parser.add_argument("--out", type=Path, required=True, help="where the reader is written")
    parser.add_argument(
        "--base", type=Path, help="stage 1: the encoder (default: the installed MiniLM); stage 2: stage 1's output"
    )
    parser.add_argument("--data-dir", type=Path, default=SHARED_DATA, help="holds train.json.gz and train-v2.json.gz")
    parser.add_argument("--max-steps", type=int, help="stop early (a smoke test of the setup)")
    args = parser.parse_args(argv)
    if args.stage == 2 and args.base is None:
        parser.error("stage 2 continues from stage 1: give --base STAGE1_DIR")
    base = args.base or default_model_dir()
    if args.base is None:
        verify_weights(base)
    data, config = STAGES[args.stage]
    config = config.model_copy(update={"max_steps": args.max_steps})
    try:
        report = train_reader([args.data_dir / data], args.out, base, config, progress=True)
    except ReaderTrainingError as error:
        parser.error(str(error))
    print(report.model_dump_json())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
