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

This module wires the run (`train_reader`) and keeps the two stages' recipe (`main`); the
questions and their windows are in qa.reader_data, `TrainConfig` and the optimisation loop in
qa.reader_fit, the directory checks, the saved reader and TRAINING.json in qa.reader_checkpoint.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
import transformers
from transformers import BertForQuestionAnswering, BertTokenizer

from index.encoder import default_model_dir, verify_weights
from qa.reader_checkpoint import TrainReport, check_dirs, save, write_record
from qa.reader_data import ReaderTrainingError, featurize, read_squad
from qa.reader_fit import TrainConfig, fit

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "reader-train"


def train_reader(data: list[Path], out: Path, base: Path, config: TrainConfig, progress: bool = False) -> TrainReport:
    """Fine-tune the model in `base` on the questions of `data` and write the result to `out`."""
    began = time.perf_counter()
    transformers.logging.disable_progress_bar()  # one bar, ours, and only when asked for
    examples = [example for path in data for example in read_squad(path)]
    check_dirs(base, out)
    device = torch.device(
        ("cuda" if torch.cuda.is_available() else "cpu") if config.device == "auto" else config.device
    )
    torch.manual_seed(config.seed)  # before loading: a new span head is initialised from it
    # In transformers 5 BertTokenizer is the fast (Rust) tokenizer, which gives character offsets.
    tokenizer = BertTokenizer.from_pretrained(base, local_files_only=True)
    model = BertForQuestionAnswering.from_pretrained(base, dtype=torch.float32, local_files_only=True)
    model.to(device)  # type: ignore[arg-type]  # transformers types `to` as the unbound Module.to
    features = {k: v.to(device) for k, v in featurize(tokenizer, examples, config.max_length, config.stride).items()}
    losses = fit(model, features, config, progress)
    save(model, base, out)
    tail = losses[-20:]
    report = TrainReport(
        questions=len(examples),
        features=len(features["input_ids"]),
        steps=len(losses),
        loss=sum(tail) / max(len(tail), 1),
        seconds=round(time.perf_counter() - began, 1),
    )
    write_record(out, base, data, config, report)
    return report


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
