"""The `qa` command: ingest, retrieve, show, articles, a prompt to query from, and `reader train`.

Output is for people by default and JSON with `--json` (or JSON lines with `--jsonl`), in
the shapes ARCHITECTURE.md fixes. Every expected failure is one line on stderr, `qa: error:
...`, and exit status 2 for bad input, 1 for a partly failed ingest; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python

from index.catalog import StoreBusy, StoreDamaged
from index.encoder import EncoderError
from index.ingest import remove_article
from index.loader import LoadError
from qa.assistant import Assistant, UnknownArticle
from qa.render import print_article, print_articles, print_hits, print_report, print_timeline, render_answer
from qa.settings import QASettings
from qa.terminal import chat, require_articles, warm_up
from qa.types import AskRequest, Filters

EXPECTED_ERRORS = (LoadError, StoreBusy, StoreDamaged, EncoderError, UnknownArticle, ValueError, ValidationError)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Cited question answering over news articles.")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="index articles (.md, .txt, .html); only changes are embedded")
    ingest.add_argument("path", nargs="?", type=Path, help="a file or folder (default: the corpus)")
    ingest.add_argument("--prune", action="store_true",
                        help="remove indexed articles whose file under PATH is gone (looks only inside PATH; "
                             "qa remove DOC_ID takes out any other)")  # fmt: skip
    ingest.add_argument("--json", action="store_true")
    retrieve = commands.add_parser("retrieve", help="ranked passages for a question")
    retrieve.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    retrieve.add_argument("--k", type=int, default=None, help="number of hits (default 5)")
    retrieve.add_argument("--doc-id", action="append", dest="doc_ids", help="only this article (repeatable)")
    retrieve.add_argument("--publisher", action="append", dest="publishers", help="publisher contains (repeatable)")
    retrieve.add_argument("--after", dest="published_after", help="published on or after YYYY-MM-DD")
    retrieve.add_argument("--before", dest="published_before", help="published on or before YYYY-MM-DD")
    retrieve.add_argument("--json", action="store_true")
    retrieve.add_argument("--jsonl", action="store_true", help="read questions as JSON lines on stdin")
    ask = commands.add_parser("ask", help="a short answer with citations")
    ask.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--jsonl", action="store_true", help='read {"question", "history"} JSON lines on stdin')
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
    remove = commands.add_parser("remove", help="take one article out of the index (its file is left alone)")
    remove.add_argument("doc_id", help="the article's full doc_id (see qa articles)")
    remove.add_argument("--json", action="store_true")
    _add_reader_parser(commands)
    _add_store_parsers(commands)
    from evals.run import add_parser as add_eval_parser  # the evaluator's front door lives beside the scorers

    add_eval_parser(commands)
    return parser


def _add_reader_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _add_store_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser("doctor", help="check that catalog, Chroma and BM25 agree; exit 1 if not")
    doctor.add_argument("--json", action="store_true")
    reindex = commands.add_parser("reindex", help="rebuild the whole store from the articles, then switch to it")
    reindex.add_argument("path", nargs="?", type=Path, help="a file or folder (default: the corpus), with the files "
                         "already indexed")  # fmt: skip
    reindex.add_argument("--json", action="store_true")


def _filters(args: argparse.Namespace) -> Filters | None:
    fields = {k: getattr(args, k) for k in ("doc_ids", "publishers", "published_after", "published_before")}
    given = {k: v for k, v in fields.items() if v is not None}
    return Filters.model_validate(given) if given else None


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _ingest(assistant: Assistant, args: argparse.Namespace) -> int:
    report = assistant.ingest(args.path, prune=args.prune, progress=sys.stderr.isatty())
    _emit(args.json, report, print_report)
    return 1 if report.rejected else 0


def _emit(as_json: bool, value: Any, show: Callable[[Any], None]) -> None:
    """Print a result (a model or a list of models) as JSON, or for people with `show`."""
    if as_json:
        print(_dump(to_jsonable_python(value)))
    else:
        show(value)


def _retrieve(assistant: Assistant, args: argparse.Namespace) -> int:
    if args.jsonl:
        return _retrieve_lines(assistant, args)
    if not args.question:
        raise ValueError("give a question, or --jsonl to read questions from stdin")
    require_articles(assistant)
    _emit(args.json, assistant.retrieve(args.question, args.k, _filters(args)), print_hits)
    return 0


def _retrieve_lines(assistant: Assistant, args: argparse.Namespace) -> int:
    require_articles(assistant)

    def handle(line: str) -> dict[str, Any]:
        question, k, filters = _parse_request(line, args)
        return assistant.retrieve(question, k, filters).model_dump(mode="json")

    return _each_line(handle)


def _each_line(handle: Callable[[str], dict[str, Any]]) -> int:
    """One JSON object per stdin line; a bad line gets an `error` object and the rest go on."""
    status = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            print(_dump(handle(line)), flush=True)
        except (ValueError, ValidationError) as error:
            print(_dump({"question": _question_of(line), "error": _one_line(error)}), flush=True)
            status = 2
    return status


def _parse_request(line: str, args: argparse.Namespace) -> tuple[str, int | None, Filters | None]:
    try:
        request = json.loads(line)
    except json.JSONDecodeError:
        return line.strip(), args.k, _filters(args)
    if not isinstance(request, dict):
        return str(request), args.k, _filters(args)
    filters = Filters.model_validate(request["filters"]) if request.get("filters") else _filters(args)
    return str(request.get("question", "")), request.get("k", args.k), filters


def _ask(assistant: Assistant, args: argparse.Namespace) -> int:
    if args.jsonl:
        return _ask_lines(assistant)
    if not args.question:
        raise ValueError("give a question, or --jsonl to read questions from stdin")
    _ready(assistant)
    _emit(args.json, assistant.ask(args.question), lambda answer: print(render_answer(answer)))
    return 0


def _ready(assistant: Assistant) -> None:
    """Refuse an empty store before loading anything; then load, saying what when it is slow."""
    require_articles(assistant)
    warm_up(assistant)


def _ask_lines(assistant: Assistant) -> int:
    _ready(assistant)

    def handle(line: str) -> dict[str, Any]:
        request = AskRequest.from_line(line)
        return assistant.ask(request.question, request.history).model_dump(mode="json")

    return _each_line(handle)


def _question_of(line: str) -> str:
    try:
        request = json.loads(line)
    except json.JSONDecodeError:
        return line.strip()
    return str(request.get("question", "")) if isinstance(request, dict) else str(request)


def _timeline(assistant: Assistant, args: argparse.Namespace) -> int:
    _emit(args.json, assistant.timeline(args.topic, args.actor), print_timeline)
    return 0


def _show(assistant: Assistant, args: argparse.Namespace) -> int:
    _emit(args.json, assistant.article(_doc_id(assistant, args.doc_id)), print_article)
    return 0


def _doc_id(assistant: Assistant, given: str) -> str:
    """`given` if indexed, else the one doc_id it begins; an ambiguous start is an error naming the matches."""
    ids = sorted(assistant.store.catalog.articles)
    matches = [i for i in ids if i.startswith(given)]
    if given in ids or not matches:
        return given  # an unknown one is reported by `Assistant.article`
    if len(matches) > 1:
        shown = ", ".join(matches[:8]) + (f" and {len(matches) - 8} more" if len(matches) > 8 else "")
        raise ValueError(f"doc_id {given!r} is ambiguous: it begins {shown}")
    return matches[0]


def _remove(assistant: Assistant, args: argparse.Namespace) -> int:
    report = remove_article(assistant.store, args.doc_id)
    _emit(args.json, report, lambda r: print(f"removed {args.doc_id} ({r.chunks_removed} chunks)"))
    return 0


def _articles(assistant: Assistant, args: argparse.Namespace) -> int:
    _emit(args.json, assistant.articles(), print_articles)
    return 0


def _doctor(assistant: Assistant, args: argparse.Namespace) -> int:
    health = assistant.doctor()
    _emit(args.json, health, lambda h: print("\n".join(h.describe())))
    return 0 if health.ok else 1


def _reindex(assistant: Assistant, args: argparse.Namespace) -> int:
    report = assistant.reindex(args.path, progress=sys.stderr.isatty())
    _emit(args.json, report, print_report)
    return 1 if report.rejected else 0


def _chat(assistant: Assistant, args: argparse.Namespace) -> int:
    require_articles(assistant)
    return chat(assistant)


def _one_line(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return " ".join(str(error).split())


def _reader_train(args: argparse.Namespace, settings: QASettings) -> int:
    # Imported here: torch and transformers take seconds to load, and no other command needs them.
    from qa.reader_training import TrainConfig, train_reader

    given = {k: getattr(args, k) for k in ("epochs", "lr", "max_steps", "batch_size")}
    config = TrainConfig.model_validate({k: v for k, v in given.items() if v is not None})
    report = train_reader(args.data, args.out, args.base or settings.reader_dir, config, progress=sys.stderr.isatty())
    summary = f"questions: {report.questions}, steps: {report.steps}, loss: {report.loss:.3f}, {report.seconds:.0f} s"
    print(f"Fine-tuned the reader ({summary}).")
    print(f'Use it: QA_READER_DIR={shlex.quote(str(args.out))} qa ask "..."')
    return 0


COMMANDS: dict[str, Callable[[Assistant, argparse.Namespace], int]] = {
    "ingest": _ingest, "retrieve": _retrieve, "ask": _ask, "timeline": _timeline, "show": _show,
    "articles": _articles, "chat": _chat, "remove": _remove,
    "doctor": _doctor, "reindex": _reindex,
}  # fmt: skip


def main(argv: list[str] | None = None, settings: QASettings | None = None) -> int:
    try:
        status = _run(_parser().parse_args(argv), settings)
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
        print(f"qa: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        return 0
