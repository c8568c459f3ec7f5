"""`qa chat` at a terminal, and what the first question of a process loads.

At a terminal the prompt has line editing and a history kept across sessions (readline, in
`QA_DATA_DIR/chat_history`); from a pipe, or where readline is missing, it reads plain lines and
echoes each question so that the output reads as a conversation. `/new` starts over, `/help`
lists the commands, `/quit` (or Ctrl-D) leaves. The first question of a process loads the
encoder, the reader and the index: `warm_up` loads them first and says on stderr what it is
loading when that takes more than a second. Answering and layout are left to `Assistant` and
`qa.render`.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from qa.assistant import Assistant
from qa.render import render_answer
from qa.request_types import Turn

HISTORY_FILE = "chat_history"
HISTORY_LENGTH = 1000
LOADING_NOTICE_AFTER_S = 1.0
HELP = """/new   start a new conversation: follow-ups stop referring to earlier questions
/help  this list
/quit  leave (Ctrl-D too)
Anything else is a question; a follow-up ("and when?") is read with the conversation."""


class NoArticles(ValueError):
    """The store holds no articles: there is nothing to answer from."""


def require_articles(assistant: Assistant) -> None:
    """Refuse to answer from an empty or missing store, rather than abstain on every question, and from half
    an index (`StoreDamaged`, naming what is missing) before any model is loaded."""
    assistant.require_whole_index()
    if not assistant.store.catalog.articles:
        raise NoArticles(f"no articles indexed: run qa ingest (data directory {assistant.settings.data_dir})")


@contextlib.contextmanager
def loading_notice(what: str, stream: TextIO) -> Iterator[None]:
    """Say "qa: loading WHAT..." on `stream` once the block has run for LOADING_NOTICE_AFTER_S seconds."""
    lock, finished = threading.Lock(), threading.Event()

    def announce() -> None:
        with lock:
            if not finished.is_set():
                print(f"qa: loading {what}...", file=stream, flush=True)

    timer = threading.Timer(LOADING_NOTICE_AFTER_S, announce)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:  # once the block is over, a notice can no longer appear after what follows it
            finished.set()
        timer.cancel()


def warm_up(assistant: Assistant, stream: TextIO | None = None) -> None:
    """Load what a question needs (encoder, reader, index), naming each one that is slow to load.

    The models load once per process and the index once per assistant, so a second call is quick and silent.
    """
    steps: list[tuple[str, Callable[[], object]]] = [("the sentence encoder (all-MiniLM-L6-v2)", assistant.encoder)]
    if assistant.settings.answer.engine == "reader":
        steps.append((f"the reader model ({assistant.settings.reader_dir})", assistant.reader))
    count = len(assistant.store.catalog.articles)
    # One small search opens every part of the index: vectors, BM25 and the spelling vocabulary.
    steps.append((f"the index of {count} articles", lambda: assistant.retrieve("index", k=1)))
    for what, load in steps:
        with loading_notice(what, stream or sys.stderr):
            load()


def chat(assistant: Assistant) -> int:
    """Questions at a prompt until /quit or end of input; each answered with the conversation so far."""
    interactive = sys.stdin.isatty()
    save_history = _line_editing(assistant.settings.data_dir / HISTORY_FILE) if interactive else None
    print("Ask about the articles; follow-ups use the conversation. /help lists the commands, /quit leaves.")
    warm_up(assistant)
    history: list[Turn] = []
    try:
        for line in _lines(interactive):
            if line.startswith("/"):
                if not _command(line, history):
                    break
            elif line:
                _answer(assistant, line, history)
    finally:
        if save_history:
            save_history()
    return 0


def _lines(interactive: bool) -> Iterator[str]:
    """Stripped input lines; at a terminal Ctrl-C abandons the line being typed, as in a shell."""
    while True:
        try:
            line = input("? " if interactive else "")
        except EOFError:
            if interactive:
                print()
            return
        except KeyboardInterrupt:
            if not interactive:
                raise
            print()
            continue
        if not interactive:
            print(f"? {line}")
        yield line.strip()


def _command(line: str, history: list[Turn]) -> bool:
    """Run a /command; False when it ends the chat."""
    name = line.split()[0].lower()
    if name in {"/quit", "/exit", "/q"}:
        return False
    if name == "/new":
        history.clear()
        print("New conversation: earlier questions are forgotten.")
    elif name in {"/help", "/?"}:
        print(HELP)
    else:
        print(f"unknown command {name}: /help lists the commands")
    return True


def _answer(assistant: Assistant, question: str, history: list[Turn]) -> None:
    try:
        answer = assistant.ask(question, history)
    except ValueError as error:  # a question the assistant refuses (too long, say): say why, keep the chat
        print(f"qa: {' '.join(str(error).split())}")
        return
    print(render_answer(answer))
    history += [Turn(role="user", content=question), Turn(role="assistant", content=answer.answer)]


def _line_editing(history_file: Path) -> Callable[[], None] | None:
    """Turn on readline's line editing with the saved history; returns what saves it, or None without readline."""
    try:
        import readline
    except ImportError:  # Python built without it (some Windows and minimal builds): plain input() still works
        return None
    readline.clear_history()
    with contextlib.suppress(OSError):  # no history yet, or unreadable: start empty
        readline.read_history_file(history_file)
    readline.set_history_length(HISTORY_LENGTH)

    def save() -> None:
        try:
            history_file.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history_file)
        except OSError as error:
            print(f"qa: chat history not saved ({' '.join(str(error).split())})", file=sys.stderr)

    return save
