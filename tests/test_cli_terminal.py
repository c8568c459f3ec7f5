"""The terminal as a new user finds it (issue 11, items 7, 8 and 11): `qa chat` with line editing,
history and commands, readable answers, `qa show` by prefix, `python -m qa`, an empty store,
what the first question loads, skipped files and `qa remove`.

The store is made of made-up articles, embedded with the fake encoder and answered by the rule
engine, so no model loads; one test drives `qa chat` through a real pseudo-terminal."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa import Assistant, QASettings
from qa.answer_types import Answer, Citation
from qa.cli import main
from qa.render import render_answer, understood_line
from tests.conftest import PROJECT, FakeEncoder

ARTICLES = {
    "ostra-bridge-closed.md": """---
title: Ostra bridge closed after flood damage
publisher: Millbrook Courier
published: 2023-05-04
---
The Ostra bridge in Millbrook was closed on Thursday after engineers found cracks in two piers.
The council said repairs would take at least eight weeks and cost 1.2 million euros.
""",
    "ostra-ferry.md": """---
title: Extra ferry runs while the Ostra bridge is shut
publisher: Millbrook Courier
published: 2023-05-05
---
The ferry company will add twelve crossings a day while the Ostra bridge stays closed.
Tickets stay at three euros, the company's director Lena Varga said.
""",
    "kessel-buses.md": """---
title: School buses rerouted through Kessel
publisher: District News
published: 2023-05-06
---
School buses will take the Kessel road until the bridge reopens, the district said.
""",
}
QUESTION = "where was the Ostra bridge closed?"


def _settings(tmp_path: Path) -> QASettings:
    return QASettings(data_dir=tmp_path / "store", corpus_dir=tmp_path / "articles", answer={"engine": "rules"})


@pytest.fixture
def store(tmp_path: Path) -> QASettings:
    """Settings over an indexed store of the made-up articles."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = _settings(tmp_path)
    Assistant(settings, FakeEncoder()).ingest()
    return settings


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """`qa ARGS...` in this process, with the fake encoder in place of the real one."""
    encoder = FakeEncoder()
    monkeypatch.setattr("qa.archive.load_encoder", lambda: encoder)

    def invoke(settings: QASettings, *argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv), settings)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


# Item 7: the chat's commands, and readline only where it can work.


def test_chat_commands_new_help_and_quit(run, store: QASettings) -> None:  # type: ignore[no-untyped-def]
    script = f"{QUESTION}\nand when?\n/help\n/new\nand when?\n/bogus\n/quit\n{QUESTION}\n"
    code, out, _ = run(store, "chat", stdin=script)
    assert code == 0
    assert out.count(f"? {QUESTION}") == 1  # echoed once; nothing after /quit is asked
    assert "/new" in out and "/quit" in out and "/help" in out
    assert "unknown command /bogus" in out
    # "and when?" leans on the question before it, except after /new, which forgets it.
    assert out.count("(understood as:") == 1
    assert not (store.data_dir / "chat_history").exists()  # a pipe keeps no line history


def test_chat_at_a_terminal_without_readline_still_works(store: QASettings, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setitem(sys.modules, "readline", None)  # `import readline` raises ImportError
    encoder = FakeEncoder()
    monkeypatch.setattr("qa.archive.load_encoder", lambda: encoder)
    monkeypatch.setattr("sys.stdin", Terminal(f"{QUESTION}\n/quit\n"))
    assert main(["chat"], store) == 0
    assert "Ostra bridge closed after flood damage" in capsys.readouterr().out


PROMPT = b"\n? "


def _pty_session(data_dir: Path, keys: list[tuple[bytes, bytes]]) -> bytes:
    """Run `qa chat` (fake encoder, rule engine) in a pseudo-terminal; send each key string once the
    output since the previous one shows its marker; return everything the terminal showed."""
    script = (
        "import sys; from tests.conftest import FakeEncoder; from qa import Assistant, QASettings; "
        "from qa.terminal import chat; "
        "sys.exit(chat(Assistant(QASettings(data_dir=sys.argv[1], answer={'engine': 'rules'}), FakeEncoder())))"
    )
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "PYTHONPATH": str(PROJECT)}
    process = subprocess.Popen([sys.executable, "-c", script, str(data_dir)], stdin=follower, stdout=follower,
                               stderr=follower, cwd=PROJECT, env=env, start_new_session=True)  # fmt: skip
    os.close(follower)
    shown = b""
    try:
        seen = 0
        for marker, key in keys:
            shown, seen = _read_until(leader, shown, marker, seen)
            os.write(leader, key)
        assert process.wait(timeout=60) == 0, shown.decode(errors="replace")
    finally:
        process.kill()
        os.close(leader)
    return shown


def _read_until(leader: int, shown: bytes, marker: bytes, since: int, timeout: float = 60) -> tuple[bytes, int]:
    """Read until `marker` shows after offset `since`; the output so far and the offset just past the marker."""
    deadline = time.monotonic() + timeout
    while (at := shown.find(marker, since)) < 0:
        assert time.monotonic() < deadline, f"no {marker!r} in {shown.decode(errors='replace')}"
        ready, _, _ = select.select([leader], [], [], 0.5)
        try:
            shown += os.read(leader, 65536) if ready else b""
        except OSError:  # the program ended: nothing more will show
            deadline = 0
    return shown, at + len(marker)


def test_chat_at_a_terminal_edits_lines_and_keeps_history_across_sessions(store: QASettings) -> None:
    title = b"Ostra bridge closed after flood damage"
    # Type the question with a typo, move back over it and mend it (readline's line editing).
    typo = QUESTION.replace("Ostra", "Ostrra")
    back = len(typo) - typo.index("Ostrr") - len("Ostrr")
    keys = typo.encode() + b"\x1b[D" * back + b"\x7f\r"
    _pty_session(store.data_dir, [(PROMPT, keys), (title, b""), (PROMPT, b"/quit\r")])
    history = (store.data_dir / "chat_history").read_text(encoding="utf-8")
    assert QUESTION in history  # the mended line, as it was asked
    # A new session: Ctrl-P twice brings the question back from the saved history (once would be /quit).
    shown = _pty_session(store.data_dir, [(PROMPT, b"\x10\x10\r"), (title, b""), (PROMPT, b"/quit\r")])
    assert shown.count(title) >= 1 and QUESTION.encode() in shown


# Item 7: answers that read well in a terminal.


def _answer(**fields: object) -> Answer:
    citation = Citation(n=1, doc_id="ostra-bridge-closed", title="Ostra bridge closed after flood damage in the "
                        "old town, engineers and the council say", publisher="Millbrook Courier",
                        published=dt.date(2023, 5, 4), url=None, quote="The council said repairs would take at "
                        "least eight weeks and cost 1.2 million euros, more than the town's yearly road budget.",
                        start=1234, end=1339)  # fmt: skip
    given = {"question": "how long will repairs take?", "standalone_question": "how long will repairs take?",
             "answer": "Eight weeks. The council said repairs would take at least eight weeks [1].",
             "abstained": False, "citations": [citation], "timings_ms": {}, **fields}  # fmt: skip
    return Answer.model_validate(given)


@pytest.mark.parametrize("width", [50, 72, 100])
def test_citations_are_wrapped_and_named_by_title_not_offsets(width: int) -> None:
    shown = render_answer(_answer(), width)
    assert all(len(line) <= width for line in shown.splitlines()), shown
    flat = " ".join(shown.split())
    assert (
        "[1] Ostra bridge closed after flood damage in the old town" in flat
        and "say (Millbrook Courier, 2023-05-04)" in flat
    )
    assert "1234" not in shown and "1339" not in shown and "ostra-bridge-closed" not in shown


def test_answers_wrap_to_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert max(len(line) for line in render_answer(_answer()).splitlines()) <= 60


@pytest.mark.parametrize(
    ("question", "standalone", "context", "expected"),
    [
        ("how long?", "how long?", None, None),
        ("and when?", "When did the Ostra bridge close?", None, "(understood as: When did the Ostra bridge close?)"),
        ("When was that?", "When was that?", "Where did the ferry stop?",
         "(understood as: a follow-up to “Where did the ferry stop?”)"),
        ("and when was that?", "When was that?", "Where did the ferry stop?",
         "(understood as: When was that? — a follow-up to “Where did the ferry stop?”)"),
    ],
)  # fmt: skip
def test_how_a_follow_up_was_understood_is_said_once_without_nesting(
    question: str, standalone: str, context: str | None, expected: str | None
) -> None:
    answer = _answer(question=question, standalone_question=standalone, context=context)
    assert understood_line(answer) == expected
    shown = render_answer(answer, 100)
    assert shown.count("understood as") == (expected is not None)
    if expected:
        assert shown.startswith(expected) and expected.count("(") == 1


# Item 7: `qa show` by prefix, `python -m qa`.


def test_show_takes_a_unique_prefix_of_a_doc_id(run, store: QASettings) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(store, "show", "kessel", "--json")
    assert code == 0 and json.loads(out)["doc_id"] == "kessel-buses"
    code, out, _ = run(store, "show", "ostra-f")
    assert code == 0 and out.startswith("Extra ferry runs while the Ostra bridge is shut")


def test_an_ambiguous_prefix_is_one_line_naming_the_matches(run, store: QASettings) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(store, "show", "ostra")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("qa: error: doc_id 'ostra' is ambiguous") and "ostra-bridge-closed, ostra-ferry" in err


def test_an_exact_doc_id_wins_over_a_longer_one_it_begins(run, store: QASettings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "articles" / "ostra.md").write_text("---\ntitle: The Ostra river\n---\nThe Ostra is slow.\n")
    Assistant(store, FakeEncoder()).ingest()
    code, out, _ = run(store, "show", "ostra", "--json")
    assert code == 0 and json.loads(out)["title"] == "The Ostra river"


def test_python_dash_m_qa_is_the_qa_command(tmp_path: Path) -> None:
    env = {**os.environ, "QA_DATA_DIR": str(tmp_path / "nothing-here")}
    done = subprocess.run([sys.executable, "-m", "qa", "articles", "--json"], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")


# Item 8: an empty store, and what the first question loads.


@pytest.mark.parametrize(
    "argv", [["ask", QUESTION], ["ask", QUESTION, "--json"], ["ask", "--jsonl"], ["retrieve", QUESTION], ["chat"]]
)
def test_asking_a_missing_store_says_to_ingest(run, tmp_path: Path, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(_settings(tmp_path), *argv, stdin=QUESTION + "\n")
    assert code != 0 and err.startswith("qa: error: no articles indexed: run qa ingest") and err.count("\n") == 1
    assert "do not answer" not in out


def test_asking_a_store_emptied_by_remove_says_to_ingest(run, store: QASettings) -> None:  # type: ignore[no-untyped-def]
    for doc_id in ("ostra-bridge-closed", "ostra-ferry", "kessel-buses"):
        assert run(store, "remove", doc_id)[0] == 0
    code, out, err = run(store, "ask", QUESTION)
    assert code != 0 and err.startswith("qa: error: no articles indexed: run qa ingest") and out == ""


def test_the_first_question_says_what_it_loads_when_that_is_slow(run, store: QASettings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    encoder = FakeEncoder()

    def slow_encoder() -> FakeEncoder:
        time.sleep(0.5)
        return encoder

    monkeypatch.setattr("qa.archive.load_encoder", slow_encoder)
    monkeypatch.setattr("qa.terminal.LOADING_NOTICE_AFTER_S", 0.1)
    code, out, err = run(store, "ask", QUESTION)
    assert code == 0 and "Ostra" in out
    assert err == "qa: loading the sentence encoder (all-MiniLM-L6-v2)...\n"


def test_a_quick_load_says_nothing(run, store: QASettings) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(store, "ask", QUESTION)
    assert code == 0 and err == ""


def test_the_reader_is_named_when_it_is_the_slow_part(store: QASettings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qa.terminal import warm_up

    assistant = Assistant(store.model_copy(update={"answer": store.answer.model_copy(update={"engine": "reader"})}),
                          FakeEncoder())  # fmt: skip
    monkeypatch.setattr(assistant, "reader", lambda: time.sleep(0.5))
    monkeypatch.setattr("qa.terminal.LOADING_NOTICE_AFTER_S", 0.1)
    stream = io.StringIO()
    warm_up(assistant, stream=stream)
    assert stream.getvalue() == f"qa: loading the reader model ({store.reader_dir})...\n"


# Item 11: skipped files in the report, --prune's reach, `qa remove`.


def test_ingest_reports_files_that_are_not_articles(run, store: QASettings) -> None:  # type: ignore[no-untyped-def]
    (store.corpus_dir / "council-minutes.pdf").write_bytes(b"%PDF-1.7\n")
    (store.corpus_dir / "budget.docx").write_bytes(b"PK\x03\x04")
    code, out, _ = run(store, "ingest")
    assert code == 0 and "0 rejected, 2 skipped" in out
    for name, kind in (("budget.docx", ".docx"), ("council-minutes.pdf", ".pdf")):
        assert f"skipped {store.corpus_dir / name}: not an article file ({kind}); qa reads" in out
    code, out, _ = run(store, "ingest", "--json")
    assert [Path(s["path"]).name for s in json.loads(out)["skipped"]] == ["budget.docx", "council-minutes.pdf"]


def test_prune_says_it_looks_only_inside_the_folder_given(run, store: QASettings, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        run(store, "ingest", "--help")
    shown = " ".join(capsys.readouterr().out.split())
    assert "looks only inside PATH" in shown and "qa remove DOC_ID" in shown


def test_remove_takes_one_article_out(run, store: QASettings) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(store, "remove", "ostra-ferry")
    assert code == 0 and out.startswith("removed ostra-ferry (")
    _, out, _ = run(store, "articles", "--json")
    assert sorted(a["doc_id"] for a in json.loads(out)) == ["kessel-buses", "ostra-bridge-closed"]
    _, out, _ = run(store, "retrieve", "ferry crossings tickets Lena Varga", "--json")
    assert "ostra-ferry" not in {h["doc_id"] for h in json.loads(out)["hits"]}
    assert (store.corpus_dir / "ostra-ferry.md").is_file()  # the file itself is left alone


@pytest.mark.parametrize("doc_id", ["ostra-fery", "ostra"])  # unknown, and a prefix: removal takes only full ids
def test_remove_of_an_unknown_id_is_one_line_and_changes_nothing(run, store: QASettings, doc_id: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(store, "remove", doc_id)
    assert code == 2 and err == f"qa: error: no article with doc_id {doc_id!r} is indexed\n"
    _, out, _ = run(store, "articles", "--json")
    assert len(json.loads(out)) == 3
