"""The `qa` command's argument parser, and the retrieval filters read from its options.

`build_parser` declares every subcommand and option (the `eval` ones come from `evals.run`, which
owns them); `filters_of` turns the parsed `--doc-id`, `--publisher`, `--after` and `--before`
into `Filters`. It leaves out what the commands do (qa.cli_commands), how they print
(qa.cli_output) and the exit status rules (qa.cli).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from qa.request_types import Filters

# Quoted: argparse's subparsers class is generic to type checkers only, not at run time.
_Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Cited question answering over news articles.")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_ingest_parser(commands)
    _add_question_parsers(commands)
    _add_reading_parsers(commands)
    _add_remove_parser(commands)
    _add_reader_parser(commands)
    _add_store_parsers(commands)
    from evals.run import add_parser as add_eval_parser  # the evaluator's front door lives beside the scorers

    add_eval_parser(commands)
    return parser


def _add_ingest_parser(commands: _Commands) -> None:
    ingest = commands.add_parser("ingest", help="index articles (.md, .txt, .html); only changes are embedded")
    ingest.add_argument("path", nargs="?", type=Path, help="a file or folder (default: the corpus)")
    ingest.add_argument("--prune", action="store_true",
                        help="remove indexed articles whose file under PATH is gone (looks only inside PATH; "
                             "qa remove DOC_ID takes out any other)")  # fmt: skip
    ingest.add_argument("--json", action="store_true")


def _add_question_parsers(commands: _Commands) -> None:
    """`retrieve` and `ask`: the commands that take a question, or JSON lines of them."""
    retrieve = commands.add_parser("retrieve", help="ranked passages for a question")
    retrieve.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    retrieve.add_argument("--k", type=int, default=None, help="number of hits (default 5)")
    _add_filter_options(retrieve)
    retrieve.add_argument("--json", action="store_true")
    retrieve.add_argument("--jsonl", action="store_true", help="read questions as JSON lines on stdin")
    ask = commands.add_parser("ask", help="a short answer with citations")
    ask.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--jsonl", action="store_true", help='read {"question", "history"} JSON lines on stdin')


def _add_filter_options(command: argparse.ArgumentParser) -> None:
    """The options `filters_of` reads."""
    command.add_argument("--doc-id", action="append", dest="doc_ids", help="only this article (repeatable)")
    command.add_argument("--publisher", action="append", dest="publishers", help="publisher contains (repeatable)")
    command.add_argument("--after", dest="published_after", help="published on or after YYYY-MM-DD")
    command.add_argument("--before", dest="published_before", help="published on or before YYYY-MM-DD")


def _add_reading_parsers(commands: _Commands) -> None:
    """`timeline`, `show`, `articles` and `chat`: the commands that read the collection without a question."""
    timeline = commands.add_parser("timeline", help="the story's dated events, oldest first")
    timeline.add_argument("--topic", help="only events about this")
    timeline.add_argument("--actor", help="only this actor's events (any part of a name it goes by)")
    timeline.add_argument("--json", action="store_true")
    show = commands.add_parser("show", help="an article's metadata and the text offsets index")
    show.add_argument("doc_id", help="a doc_id, or the start of one that no other doc_id shares")
    show.add_argument("--json", action="store_true")
    articles = commands.add_parser("articles", help="list indexed articles")
    articles.add_argument("--json", action="store_true")
    commands.add_parser("chat", help="ask questions at a prompt")


def _add_remove_parser(commands: _Commands) -> None:
    remove = commands.add_parser("remove", help="take one article out of the index (its file is left alone)")
    remove.add_argument("doc_id", help="the article's full doc_id (see qa articles)")
    remove.add_argument("--json", action="store_true")


def _add_reader_parser(commands: _Commands) -> None:
    reader = commands.add_parser("reader", help="the span reader model")
    train = reader.add_subparsers(dest="reader_command", required=True).add_parser(
        "train", help="fine-tune the reader on your own questions (SQuAD 2.0 format)"
    )
    train.add_argument("--data", type=Path, action="append", required=True, help="a .json or .json.gz (repeatable)")
    train.add_argument("--out", type=Path, required=True, help="a new or empty directory for the trained reader")
    train.add_argument("--base", type=Path, help="the reader to start from (default: $QA_READER_DIR or models/reader)")
    train.add_argument("--epochs", type=float, help="passes over the data (default 2)")
    train.add_argument("--lr", type=float, help="peak learning rate (default 3e-5)")
    train.add_argument("--max-steps", type=int, help="stop after this many steps")
    train.add_argument("--batch-size", type=int, help="windows per step (default 16)")


def _add_store_parsers(commands: _Commands) -> None:
    doctor = commands.add_parser("doctor", help="check that catalog, Chroma and BM25 agree; exit 1 if not")
    doctor.add_argument("--json", action="store_true")
    reindex = commands.add_parser("reindex", help="rebuild the whole store from the articles, then switch to it")
    reindex.add_argument("path", nargs="?", type=Path, help="a file or folder (default: the corpus), with the files "
                         "already indexed")  # fmt: skip
    reindex.add_argument("--json", action="store_true")


def filters_of(args: argparse.Namespace) -> Filters | None:
    fields = {k: getattr(args, k) for k in ("doc_ids", "publishers", "published_after", "published_before")}
    given = {k: v for k, v in fields.items() if v is not None}
    return Filters.model_validate(given) if given else None
