"""The `qa` command: ingest, retrieve, show, articles, a prompt to query from, and `reader train`.

Output is for people by default and JSON with `--json` (or JSON lines with `--jsonl`), in
the shapes ARCHITECTURE.md fixes. Every expected failure is one line on stderr, `qa: error:
...`, and exit status 2 for bad input, 1 for a partly failed ingest; never a traceback.

This module is the entry point (`main`), the exit statuses and `reader train`; the parser is
in qa.cli_parser, the store commands in qa.cli_commands, the printing in qa.cli_output.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from pydantic import ValidationError

from index.catalog import StoreBusy, StoreDamaged
from index.encoder import EncoderError
from index.loader import LoadError
from qa.archive import UnknownArticle
from qa.assistant import Assistant
from qa.cli_commands import COMMANDS
from qa.cli_output import one_line
from qa.cli_parser import build_parser
from qa.settings import QASettings

EXPECTED_ERRORS = (LoadError, StoreBusy, StoreDamaged, EncoderError, UnknownArticle, ValueError, ValidationError)


def _reader_train(args: argparse.Namespace, settings: QASettings) -> int:
    # Imported here: torch and transformers take seconds to load, and no other command needs them.
    from qa.reader_fit import TrainConfig
    from qa.reader_training import train_reader

    given = {k: getattr(args, k) for k in ("epochs", "lr", "max_steps", "batch_size")}
    config = TrainConfig.model_validate({k: v for k, v in given.items() if v is not None})
    report = train_reader(args.data, args.out, args.base or settings.reader_dir, config, progress=sys.stderr.isatty())
    summary = f"questions: {report.questions}, steps: {report.steps}, loss: {report.loss:.3f}, {report.seconds:.0f} s"
    print(f"Fine-tuned the reader ({summary}).")
    print(f'Use it: QA_READER_DIR={shlex.quote(str(args.out))} qa ask "..."')
    return 0


def main(argv: list[str] | None = None, settings: QASettings | None = None) -> int:
    try:
        status = _run(build_parser().parse_args(argv), settings)
        sys.stdout.flush()  # a closed pipe surfaces here, not in the interpreter's flush at exit
        return status
    except BrokenPipeError:
        # The reader stopped early (`qa ask --json ... | head -c 200`): stop quietly, as Unix tools do.
        _silence_stdout()
        return 141  # 128 + SIGPIPE, what a shell reports for a command its pipe reader cut off


def _silence_stdout() -> None:
    """Point stdout at devnull so nothing buffered for the closed pipe is written again at exit."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no file behind it (a test's stdout): nothing to flush at exit
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def _run(args: argparse.Namespace, settings: QASettings | None) -> int:
    try:
        if args.command == "reader":
            return _reader_train(args, settings or QASettings())
        if args.command == "eval":
            from evals.run import run as run_eval

            return run_eval(args, settings or QASettings())
        assistant = Assistant(settings or QASettings())
        return COMMANDS[args.command](assistant, args)
    except EXPECTED_ERRORS as error:
        print(f"qa: error: {one_line(error)}", file=sys.stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        return 0
