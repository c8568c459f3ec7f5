"""The `qa` command, run through its entry function as a user would type it."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa import QASettings
from qa.cli import main


def _runner(settings: QASettings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def invoke(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv), settings)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def run(seeded_settings: QASettings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`qa` against a copy of the indexed seed collection (its `ingest` finds nothing new)."""
    return _runner(seeded_settings, capsys, monkeypatch)


def test_ingest_from_empty_then_again_reports_nothing_new(settings: QASettings, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run = _runner(settings, capsys, monkeypatch)
    code, out, _ = run("ingest")
    assert code == 0 and out.startswith("5 added")
    code, out, _ = run("ingest", "--json")
    report = json.loads(out)
    assert code == 0 and report["chunks_added"] == 0 and report["texts_encoded"] == 0


def test_retrieve_json_follows_the_contract(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    code, out, _ = run("retrieve", "when did north korea admit involvement?", "--k", "3", "--json")
    result = json.loads(out)
    assert code == 0 and result["question"] == "when did north korea admit involvement?"
    assert len(result["hits"]) == 3
    assert set(result["hits"][0]) == {
        "doc_id",
        "chunk_id",
        "score",
        "text",
        "start",
        "end",
        "title",
        "published",
    }


def test_retrieve_jsonl_answers_every_line_and_flags_bad_ones(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    lines = '{"question": "Kursk region", "k": 2}\nplain text about Peskov\n{"question": ""}\n'
    code, out, _ = run("retrieve", "--jsonl", stdin=lines)
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 2 and len(results) == 3
    assert len(results[0]["hits"]) == 2 and results[1]["question"] == "plain text about Peskov"
    assert results[2] == {"question": "", "error": "the question is empty"}


def test_filters_on_the_command_line(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    _, out, _ = run("retrieve", "troops", "--after", "2025-01-01", "--json")
    assert {h["doc_id"] for h in json.loads(out)["hits"]} == {"002_3b5528ce4bb0199d"}


def test_show_and_articles(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    _, out, _ = run("show", "003_4bff4195bef21221", "--json")
    article = json.loads(out)
    assert (
        article["byline"] == "Park Ung"
        and article["published"] == "2024-10-21"
        and "By Park Ung" not in article["text"]
    )
    _, out, _ = run("articles", "--json")
    assert [a["doc_id"][:3] for a in json.loads(out)] == ["000", "003", "001", "004", "002"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "nope"], "qa: error: no article with doc_id 'nope' is indexed"),
        (["retrieve", "troops", "--k", "0"], "qa: error: k must be between 1 and 100, got 0"),
        (["retrieve", "troops", "--after", "yesterday"], "qa: error: published_after:"),
        (["retrieve"], "qa: error: give a question"),
        (["ingest", "/no/such/place"], "qa: error: /no/such/place: no such file or folder"),
    ],
)
def test_errors_are_one_line_without_traceback(run, argv: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    code, _, err = run(*argv)
    assert code == 2 and err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_a_partly_rejected_ingest_exits_1_and_names_the_file(run, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    (corpus / "empty.txt").write_text("")
    code, out, _ = run("ingest")
    assert code == 1 and f"rejected {corpus / 'empty.txt'}: empty file" in out


def test_ask_json_follows_the_contract(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    code, out, _ = run("ask", "when did North Korea admit involvement?", "--json")
    answer = json.loads(out)
    assert code == 0
    assert set(answer) == {"question", "standalone_question", "context", "answer", "abstained", "answer_span",
                           "confidence", "margin", "citations", "timings_ms"}  # fmt: skip
    span = answer["answer_span"]
    assert set(span) == {"doc_id", "start", "end", "text"} and 0 <= answer["confidence"] <= 1
    assert set(answer["timings_ms"]) == {"retrieve", "answer", "total"}
    for citation in answer["citations"]:
        assert set(citation) == {"n", "doc_id", "title", "publisher", "published", "url", "quote", "start", "end"}


def test_ask_jsonl_takes_history_and_plain_lines(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    history = [
        {"role": "user", "content": "Did North Korea deny sending troops?"},
        {"role": "assistant", "content": "Yes."},
    ]
    lines = (
        json.dumps({"question": "And when did they admit it?", "history": history})
        + '\nplain question?\n{"question": ""}\n'
    )
    code, out, _ = run("ask", "--jsonl", stdin=lines)
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 2 and len(results) == 3
    assert results[0]["standalone_question"] == "When did North Korea admit sending troops?"
    assert results[1]["question"] == "plain question?" and results[2]["error"] == "the question is empty"


def test_timeline_json(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    _, out, _ = run("timeline", "--json")
    events = json.loads(out)
    assert events and [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert set(events[0]) >= {"date", "date_precision", "who", "what", "stance", "citation"}  # fields only added
    _, out, _ = run("timeline", "--json", "--actor", "north KOREA")
    assert {e["actor"] for e in json.loads(out)} == {"North Korea"}


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_ends_the_command_quietly(settings: QASettings, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    assert main(["articles", "--json"], settings) == 141
    assert capsys.readouterr().err == ""


def test_piping_into_a_reader_that_closes_early_prints_no_traceback(settings: QASettings) -> None:
    """`qa articles --json | head -c 0`: the reader is gone before the command writes."""
    command = [sys.executable, "-c", "import sys; from qa.cli import main; sys.exit(main())", "articles", "--json"]
    env = {**os.environ, "QA_CORPUS_DIR": str(settings.corpus_dir), "QA_DATA_DIR": str(settings.data_dir)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert err == b""


def test_jsonl_retrieve_refuses_a_k_that_is_not_an_integer(run) -> None:  # type: ignore[no-untyped-def]
    lines = '{"question": "troops", "k": true}\n{"question": "troops", "k": "2"}\n'
    code, out, _ = run("retrieve", "--jsonl", stdin=lines)
    errors = [json.loads(line)["error"] for line in out.splitlines()]
    assert code == 2 and errors == [
        "k must be a whole number between 1 and 100, got True",
        "k must be a whole number between 1 and 100, got '2'",
    ]
