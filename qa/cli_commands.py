"""What each `qa` subcommand over the store does: ingest, retrieve, ask, timeline, show,
articles, chat, remove, doctor and reindex, and `COMMANDS`, which maps a name to its function.

Each takes the `Assistant` and the parsed arguments and returns the exit status; bad input
raises, and qa.cli turns that into one line on stderr. It leaves out the parser
(qa.cli_parser), the printing (qa.cli_output), and `reader train` and `eval`, which need no
store and are dispatched by qa.cli.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from index.ingest import remove_article
from qa.assistant import Assistant
from qa.cli_output import each_line, emit
from qa.cli_parser import filters_of
from qa.render import print_article, print_articles, print_hits, print_report, print_timeline, render_answer
from qa.request_types import AskRequest, Filters
from qa.terminal import chat, require_articles, warm_up


def _ingest(assistant: Assistant, args: argparse.Namespace) -> int:
    report = assistant.ingest(args.path, prune=args.prune, progress=sys.stderr.isatty())
    emit(args.json, report, print_report)
    return 1 if report.rejected else 0


def _retrieve(assistant: Assistant, args: argparse.Namespace) -> int:
    if args.jsonl:
        return _retrieve_lines(assistant, args)
    if not args.question:
        raise ValueError("give a question, or --jsonl to read questions from stdin")
    require_articles(assistant)
    emit(args.json, assistant.retrieve(args.question, args.k, filters_of(args)), print_hits)
    return 0


def _retrieve_lines(assistant: Assistant, args: argparse.Namespace) -> int:
    require_articles(assistant)

    def handle(line: str) -> dict[str, Any]:
        question, k, filters = _parse_request(line, args)
        return assistant.retrieve(question, k, filters).model_dump(mode="json")

    return each_line(handle)


def _parse_request(line: str, args: argparse.Namespace) -> tuple[str, int | None, Filters | None]:
    try:
        request = json.loads(line)
    except json.JSONDecodeError:
        return line.strip(), args.k, filters_of(args)
    if not isinstance(request, dict):
        return str(request), args.k, filters_of(args)
    filters = Filters.model_validate(request["filters"]) if request.get("filters") else filters_of(args)
    return str(request.get("question", "")), request.get("k", args.k), filters


def _ask(assistant: Assistant, args: argparse.Namespace) -> int:
    if args.jsonl:
        return _ask_lines(assistant)
    if not args.question:
        raise ValueError("give a question, or --jsonl to read questions from stdin")
    _ready(assistant)
    emit(args.json, assistant.ask(args.question), lambda answer: print(render_answer(answer)))
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

    return each_line(handle)


def _timeline(assistant: Assistant, args: argparse.Namespace) -> int:
    emit(args.json, assistant.timeline(args.topic, args.actor), print_timeline)
    return 0


def _show(assistant: Assistant, args: argparse.Namespace) -> int:
    emit(args.json, assistant.article(_doc_id(assistant, args.doc_id)), print_article)
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
    emit(args.json, report, lambda r: print(f"removed {args.doc_id} ({r.chunks_removed} chunks)"))
    return 0


def _articles(assistant: Assistant, args: argparse.Namespace) -> int:
    emit(args.json, assistant.articles(), print_articles)
    return 0


def _doctor(assistant: Assistant, args: argparse.Namespace) -> int:
    health = assistant.doctor()
    emit(args.json, health, lambda h: print("\n".join(h.describe())))
    return 0 if health.ok else 1


def _reindex(assistant: Assistant, args: argparse.Namespace) -> int:
    report = assistant.reindex(args.path, progress=sys.stderr.isatty())
    emit(args.json, report, print_report)
    return 1 if report.rejected else 0


def _chat(assistant: Assistant, args: argparse.Namespace) -> int:
    require_articles(assistant)
    return chat(assistant)


COMMANDS: dict[str, Callable[[Assistant, argparse.Namespace], int]] = {
    "ingest": _ingest, "retrieve": _retrieve, "ask": _ask, "timeline": _timeline, "show": _show,
    "articles": _articles, "chat": _chat, "remove": _remove,
    "doctor": _doctor, "reindex": _reindex,
}  # fmt: skip
