"""`qa eval`, run as a user types it: a collection and questions of the test's own, SQuAD 2.0 files,
validation before any question, the report, compare, the gate.

A second collection on another topic than the seed articles (a made-up town's new tram line, a
bridge closure and a council budget: three articles, ten questions) is indexed by `qa eval --corpus`
into a temporary store; the real encoder and reader are the session's (both loaders cache).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from evals.baseline import PlainLlamaIndex
from evals.baseline_answers import BestSentence
from evals.case import AnyOf, Case
from evals.compare import changes, compare_summary
from evals.gate import check, read_gate
from evals.readme_table import BEGIN, END, rewrite, table_lines
from evals.report import build_report
from evals.report_html import render_html
from evals.report_text import render_markdown
from evals.run_folder import summarise
from evals.scoring import EvalRow, breakdown, make_row, metrics
from evals.testset import TestSet, read_testset
from qa import QASettings
from qa.answer_types import ABSTAIN_TEXT as ABSTAIN
from qa.answer_types import Answer, Citation, Span
from qa.cli import main
from qa.request_types import Turn
from tests.conftest import PROJECT, FakeEncoder
from tests.test_browser import browser as chromium  # noqa: F401  a fixture: the same Chromium options, one per module

ARTICLES = {
    "tram.md": """---
doc_id: orrin-tram
title: Orrin opens its first tram line
publisher: Valley Courier
published: 2024-03-12
---
The town of Orrin opened its first tram line on Monday, linking the harbour to the university.

Mayor Ilse Varga cut the ribbon at Harbour Square in front of about 2,000 residents.

The line is nine kilometres long, has 14 stops and cost 210 million euros, the transport authority said.

Trams will run every seven minutes at peak hours. Tickets cost 1.80 euros, the same as a bus fare.
""",
    "bridge.md": """---
doc_id: orrin-bridge
title: Old Mill bridge closes for repairs
publisher: Valley Courier
published: 2024-05-02
---
The Old Mill bridge in Orrin closed on Thursday for repairs that engineers expect to take eight months.

Inspectors found cracks in two of its stone arches during a routine survey in January.

Cyclists and pedestrians will be sent over a temporary footbridge built by the army next to the mill.
""",
    "budget.md": """---
doc_id: orrin-budget
title: Council approves transport budget
publisher: Orrin Gazette
published: 2024-06-20
---
Orrin's council approved a transport budget of 48 million euros on Wednesday, by 19 votes to 12.

Most of the money will go to new cycle lanes along the river and to repaving the ring road.

Councillor Tomas Brandt, who voted against, said the plan did nothing for villages outside the town.
""",
}

CASES: list[dict[str, Any]] = [
    {"id": "t1", "question": "Who cut the ribbon for the new tram line?", "type": "who", "answerable": True,
     "gold_docs": ["orrin-tram"], "answers": ["Ilse Varga"]},
    {"id": "t2", "question": "How many stops does the tram line have?", "type": "how_many", "answerable": True,
     "gold_docs": ["orrin-tram"], "answers": ["14"]},
    {"id": "t3", "question": "And how much did it cost?", "type": "how_many", "answerable": True,
     "gold_docs": ["orrin-tram"], "answers": [{"any_of": [r"210\s*million"]}],
     "history": [{"role": "user", "content": "How many stops does the tram line have?"},
                 {"role": "assistant", "content": "14 stops."}]},
    {"id": "t4", "question": "How often will the trams run at peak hours?", "type": "how_many", "answerable": True,
     "gold_docs": ["orrin-tram"], "answers": ["every seven minutes", {"any_of": [r"\b7 minutes"]}]},
    {"id": "t5", "question": "How long are the bridge repairs expected to take?", "type": "how_many",
     "answerable": True, "gold_docs": ["orrin-bridge"], "answers": ["eight months"]},
    {"id": "t6", "question": "What did inspectors find in the bridge?", "type": "what", "answerable": True,
     "gold_docs": ["orrin-bridge"], "answers": [{"any_of": ["cracks?"]}]},
    {"id": "t7", "question": "How large is the transport budget the council approved?", "type": "how_many",
     "answerable": True, "gold_docs": ["orrin-budget"], "answers": ["48 million euros"]},
    {"id": "t8", "question": "Which councillor voted against the budget?", "type": "who", "answerable": True,
     "gold_docs": ["orrin-budget"], "answers": ["Tomas Brandt"]},
    {"id": "t9", "question": "What is the name of the tram drivers' union leader?", "type": "who",
     "answerable": False},
    {"id": "t10", "question": "How many passengers rode the tram in its first year?", "type": "how_many",
     "answerable": False},
]  # fmt: skip


def write_collection(root: Path) -> tuple[Path, Path]:
    corpus = root / "orrin"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    testset = root / "orrin.jsonl"
    header = {"_meta": {"role": "test", "note": "written for the test"}}
    testset.write_text("".join(json.dumps(line) + "\n" for line in [header, *CASES]), encoding="utf-8")
    return corpus, testset


@pytest.fixture
def qa_eval(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """`qa eval ARGS` over settings whose store is the test's own; returns (status, stdout, stderr)."""
    settings = QASettings(data_dir=tmp_path / "project-data", corpus_dir=tmp_path / "no-corpus")

    def invoke(*argv: str | Path) -> tuple[int, str, str]:
        code = main(["eval", *map(str, argv)], settings)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def rows_of(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def orrin_run(tmp_path_factory: pytest.TempPathFactory, real_encoder) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    """The second collection evaluated once for the tests that read its outputs."""
    root = tmp_path_factory.mktemp("orrin")
    corpus, testset = write_collection(root)
    settings = QASettings(data_dir=root / "project-data", corpus_dir=root / "no-corpus")
    out, printed = root / "run", io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["eval", "--corpus", str(corpus), "--testset", str(testset), "--out", str(out), "--baseline"],
                    settings)  # fmt: skip
    assert code == 0
    return out, printed.getvalue()


def test_a_collection_of_ones_own_is_indexed_in_a_temporary_store_and_scored(orrin_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, printed = orrin_run
    assert {p.name for p in out.iterdir()} >= {"results.jsonl", "summary.json", "report.md", "report.html"}
    rows = [row for row in rows_of(out) if row["engine"] == "assistant"]
    assert [row["id"] for row in rows] == [case["id"] for case in CASES]
    row = rows[0]
    for key in ("question", "answer", "answer_span", "citations", "sources", "confidence", "latency_ms", "correct",
                "retrieval_rank", "span_f1", "gold_span_in_answer"):  # fmt: skip
        assert key in row, key
    assert row["correct"] and "Ilse Varga" in row["answer_span"]["text"] and row["sources"][0]["verbatim"]
    summary = json.loads((out / "summary.json").read_text())
    scores = summary["scores"]["assistant"]["all"]
    assert scores["questions"] == 10 and scores["answerable"] == 8 and scores["follow_ups"] == 1
    assert scores["hit@5"] == 1.0 and scores["verbatim"] == 1.0 and scores["accuracy"] >= 0.6
    assert summary["sets"][0]["role"] == "test" and summary["articles"] == 3
    assert "accuracy" in printed and "orrin" in printed and "report.html" in printed
    assert not (out.parent / "project-data").exists()  # nothing went into the project's store


def test_baseline_runs_plain_llama_index_on_the_same_set_and_articles_in_one_table(orrin_run) -> None:  # type: ignore[no-untyped-def]
    out, printed = orrin_run
    plain = [row for row in rows_of(out) if row["engine"] == "llama-index"]
    assert [row["id"] for row in plain] == [case["id"] for case in CASES]
    doc_ids = {"orrin-tram", "orrin-bridge", "orrin-budget"}  # from front matter; the files are tram.md, ...
    cited = {source["doc_id"] for row in plain for source in row["sources"]}
    assert cited and cited <= doc_ids and all(row["ranked"] and set(row["ranked"]) <= doc_ids for row in plain)
    assert all(source["verbatim"] is None for row in plain for source in row["sources"])  # raw-file offsets
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["scores"]) == {"assistant", "llama-index"} and summary["thresholds"]["llama-index"] == 0.6
    table = [line.split() for line in printed.splitlines() if line.startswith("orrin ")]
    assert [line[2] for line in table] == ["assistant", "llama-index"]


def test_the_baseline_answers_with_the_closest_retrieved_sentence_at_its_raw_offsets(tmp_path: Path) -> None:
    corpus, _ = write_collection(tmp_path)
    plain = PlainLlamaIndex(corpus, FakeEncoder(), top_k=2, doc_ids={str((corpus / "bridge.md").resolve()): "bridge"})
    got = BestSentence(plain, cutoff=0.0).ask("Inspectors found cracks in two of its stone arches?")
    (citation,) = got.citations
    assert citation.doc_id == "bridge" and citation.quote.startswith("Inspectors found cracks")
    raw = (corpus / "bridge.md").read_text(encoding="utf-8")
    assert raw[citation.start : citation.end] == citation.quote and got.answer == f"{citation.quote} [1]"
    assert plain.ranked_doc_ids("tram stops")[0] == "tram"  # a file the map does not name goes by its stem
    refused = BestSentence(plain, cutoff=1.01).ask("Inspectors found cracks in two of its stone arches?")
    assert refused.abstained and refused.answer == ABSTAIN and refused.citations == []
    assert BestSentence(plain).sentence_spans("It rained.  Then it stopped. ") == [(0, 10), (12, 28)]


SQUAD_HELDOUT = Path(__file__).resolve().parents[2] / "shared" / "data" / "squad2-dev-heldout" / "dev-heldout.json"


def tiny_squad() -> dict[str, Any]:
    """Two made-up titles, three paragraphs, five questions (one unanswerable)."""

    def qa(qid: str, question: str, *answers: str) -> dict[str, Any]:
        return {"id": qid, "question": question, "is_impossible": not answers,
                "answers": [{"text": a, "answer_start": 0} for a in answers]}  # fmt: skip

    return {"version": "v2.0", "data": [
        {"title": "Lake_Virel", "paragraphs": [
            {"context": "Lake Virel is a glacial lake in the Sarn valley. It is 31 metres deep at its deepest point.",
             "qas": [qa("v1", "How deep is Lake Virel?", "31 metres", "31 metres deep"),
                     qa("v2", "Which valley is Lake Virel in?", "the Sarn valley", "Sarn")]},
            {"context": "Fishing on the lake has been banned since 1998 to protect a rare trout.",
             "qas": [qa("v3", "Since when has fishing been banned on the lake?", "1998"),
                     qa("v4", "Who ordered the fishing ban?")]}]},
        {"title": "Sarn_Railway", "paragraphs": [
            {"context": "The Sarn railway was completed in 1911 by the engineer Hedda Lund.",
             "qas": [qa("r1", "Who built the Sarn railway?", "Hedda Lund", "the engineer Hedda Lund")]}]},
    ]}  # fmt: skip


def test_a_squad_file_is_read_directly_its_paragraphs_becoming_articles(qa_eval, tmp_path: Path, real_encoder) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_squad()), encoding="utf-8")
    code, printed, _ = qa_eval("--testset", path, "--out", tmp_path / "run")
    assert code == 0, printed
    rows = {row["id"]: row for row in rows_of(tmp_path / "run")}
    assert set(rows) == {"v1", "v2", "v3", "v4", "r1"}
    assert rows["v1"]["gold_docs"] == ["squad-Lake_Virel-000"] and rows["v1"]["gold_texts"] == [
        "31 metres",
        "31 metres deep",
    ]
    assert rows["v4"]["answerable"] is False and rows["v4"]["gold_docs"] == []
    assert rows["r1"]["type"] == "who" and rows["r1"]["span_f1"] is not None
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["articles"] == 3 and summary["sets"][0]["role"] is None  # the file says no role
    scores = summary["scores"]["assistant"]["all"]
    assert scores["gold_span"] is not None and scores["span_f1"] is not None and scores["hit@5"] == 1.0
    assert "role unmarked" in (tmp_path / "run" / "report.md").read_text()


@pytest.mark.skipif(not SQUAD_HELDOUT.is_file(), reason="no shared SQuAD 2.0 held-out file here")
def test_the_shared_squad_held_out_file_alone_with_a_limit(qa_eval, tmp_path: Path, real_encoder) -> None:  # type: ignore[no-untyped-def]
    code, printed, _ = qa_eval("--testset", SQUAD_HELDOUT, "--limit", "6", "--out", tmp_path / "run")
    assert code == 0, printed
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert {(s["name"], s["role"]) for s in summary["sets"]} == {
        ("dev-heldout:dev", "dev"),
        ("dev-heldout:test", "test"),
    }
    assert [s["questions"] for s in summary["sets"]] == [6, 6]
    assert 7 <= summary["articles"] <= 18  # the asked paragraphs and six others, of 314
    assert "dev-heldout:dev " in printed and "dev-heldout:test " in printed


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = json.dumps(CASES[0])
NO_QUESTION = json.dumps({k: v for k, v in CASES[1].items() if k != "question"})
UNKNOWN_DOC = json.dumps({**CASES[1], "gold_docs": ["orrin-tram", "no-such-article"]})
BAD_REGEX = json.dumps({**CASES[1], "answers": [{"any_of": ["(unclosed"]}]})


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ((GOOD, '{"id": "x", "question": "When?", '), r"set.jsonl:2: not JSON \("),
        ((GOOD, NO_QUESTION), r"set.jsonl:2: question: Field required"),
        ((GOOD, UNKNOWN_DOC), r"set.jsonl:2: unknown doc id 'no-such-article'"),
        ((GOOD, BAD_REGEX), r"set.jsonl:2: answers.0.any_of.any_of: .*not a regular expression: '\(unclosed'"),
        ((GOOD, GOOD), r"set.jsonl:2: case id 't1' is also on line 1"),
        ((GOOD, json.dumps({"_meta": {"role": "dev"}})), r"set.jsonl:2: the _meta header must be the first line"),
        ((json.dumps({"_meta": {"role": "training"}}), GOOD), r"set.jsonl:1: _meta.role|set.jsonl:1: role"),
    ],
)  # fmt: skip
def test_a_malformed_set_fails_with_file_line_and_reason_before_any_question(  # type: ignore[no-untyped-def]
    qa_eval, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: tuple[str, ...], reason: str
) -> None:
    corpus, _ = write_collection(tmp_path)
    monkeypatch.setattr("qa.assistant.Assistant.ask", lambda *_: pytest.fail("a question was asked"))
    code, printed, err = qa_eval("--corpus", corpus, "--testset", write_lines(tmp_path / "set.jsonl", *lines),
                                 "--out", tmp_path / "run")  # fmt: skip
    assert code == 2 and printed == "" and not (tmp_path / "run").exists()
    assert err.count("\n") == 1 and err.startswith("qa: error: ")
    assert re.search(reason, err), err


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda d: d["data"][0]["paragraphs"][1]["qas"][0].pop("question"),
         r"data\[0\]\.paragraphs\[1\]\.qas\[0\]\.question: Field required"),
        (lambda d: d["data"][1]["paragraphs"][0]["qas"][0].update(answers=[]),
         r"question 'r1': answerable but no answer text"),
        (lambda d: d.pop("data"), r"tiny.json: data: Field required"),
    ],
)  # fmt: skip
def test_a_malformed_squad_file_names_the_place(qa_eval, tmp_path: Path, mutate, reason: str) -> None:  # type: ignore[no-untyped-def]
    data = tiny_squad()
    mutate(data)
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    code, _, err = qa_eval("--testset", path, "--out", tmp_path / "run")
    assert code == 2 and re.search(reason, err), err
    path.write_text('{"data": [\n  {"title": "x",\n}', encoding="utf-8")
    code, _, err = qa_eval("--testset", path)
    assert code == 2 and "tiny.json:3: not JSON" in err, err


def test_a_squad_file_brings_its_own_articles_so_it_comes_alone(qa_eval, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus, testset = write_collection(tmp_path)
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_squad()), encoding="utf-8")
    code, _, err = qa_eval("--testset", path, "--testset", testset)
    assert code == 2 and "give it alone" in err
    code, _, err = qa_eval("--testset", path, "--corpus", corpus)
    assert code == 2 and "give it alone" in err


# -- the metrics and the report, on hand-made answers (no model) ---------------------------------------

TEXTS = {"d1": "Troops fought in Kursk, officials said.", "d3": "Nothing of the sort."}


def answer(text: str, cited: Sequence[tuple[str, int, int]] = (), span: str | None = None, ms: float = 100.0,
           confidence: float = 0.9) -> Answer:  # fmt: skip
    citations = [Citation(n=n, doc_id=d, title=f"<b>{d}</b>", publisher=None, published=None, url=None,
                          quote=TEXTS[d][s:e] if d != "d3" else "made up", start=s, end=e)
                 for n, (d, s, e) in enumerate(cited, start=1)]  # fmt: skip
    answer_span = Span(doc_id="d1", start=17, end=22, text=span) if span else None
    return Answer(question="q", standalone_question="q", answer=text, abstained=not cited, answer_span=answer_span,
                  confidence=confidence, citations=citations, timings_ms={"total": ms})  # fmt: skip


def hand_rows() -> list[EvalRow]:
    cases = [
        Case(id="a", question="Where did they fight?", type="where", answerable=True, gold_docs=["d1"],
             answers=["Kursk"]),
        Case(id="b", question="And when?", type="when", answerable=True, gold_docs=["d2"],
             answers=[AnyOf(any_of=["2024"])], history=[Turn(role="user", content="Where did they fight?")]),
        Case(id="c", question="Who <script>paid</script>?", type="who", answerable=False),
        Case(id="d", question="Who won <script>alert(1)</script>?", type="who", answerable=False),
    ]  # fmt: skip
    hostile = 'Bob <img src=x onerror="window.hacked=1"> [1].'
    answers = [answer("In Kursk [1].", [("d1", 0, 39)], "Kursk", 100.0), answer(ABSTAIN, ms=300.0),
               answer(ABSTAIN, ms=200.0), answer(hostile, [("d3", 0, 7)], ms=400.0)]  # fmt: skip
    ranked = [["d2", "d1"], ["d2"], ["d1"], ["d3"]]
    return [make_row("hand", "test", "assistant", 3.2, case, got, ranks, TEXTS.__getitem__)
            for case, got, ranks in zip(cases, answers, ranked, strict=True)]  # fmt: skip


def test_metrics_match_a_hand_worked_example() -> None:
    scores = metrics(hand_rows())
    assert scores == pytest.approx({
        "questions": 4, "answerable": 2, "abstained": 2, "accuracy": 0.5, "answerable_accuracy": 0.5,
        "abstention_precision": 0.5, "abstention_recall": 0.5, "follow_ups": 1, "hit@1": 0.5, "hit@3": 1.0,
        "hit@5": 1.0, "mrr": 0.75, "gold_span": 1.0, "span_f1": 1.0, "citation_precision": 1.0,
        "citation_recall": 1.0, "verbatim": 0.5, "follow_up_accuracy": 0.0, "p50_ms": 200.0, "p95_ms": 400.0,
        "calibration_error": 0.4,  # two answered at confidence 0.9, one right
    })  # fmt: skip
    by_type = breakdown(hand_rows(), lambda row: row.type)
    assert {kind: m["accuracy"] for kind, m in by_type.items()} == {"where": 1.0, "when": 0.0, "who": 0.5}


def hand_report() -> tuple[list[EvalRow], dict[str, Any]]:
    rows = hand_rows()
    testset = TestSet("hand", Path("hand.jsonl"), "test", [])
    return rows, summarise(rows, [testset], {"corpus": "c", "articles": 2, "limit": None, "seconds": 1.0})


def test_every_failure_is_listed_with_what_was_expected_what_came_and_its_sources() -> None:
    rows, summary = hand_report()
    report = build_report(rows, summary)
    assert [f.row.id for f in report.failures] == ["b", "d"]
    text = render_markdown(report)
    b = text.split("### assistant · hand b (when)")[1].split("###")[0]
    assert "asked after: user: Where did they fight?" in b and "expected: /2024/ (from d2)" in b
    assert "got: The articles do not answer this." in b and "cited: nothing" in b
    d = text.split("### assistant · hand d (who)")[1]
    assert "expected: an abstention" in d and 'got: Bob &lt;img src=x onerror="window.hacked=1"&gt; [1].' in d
    assert "question: Who won &lt;script&gt;alert(1)&lt;/script&gt;?" in d
    assert "[1] d3 0:7 (not verbatim at its offsets): “made up”" in d
    assert "<img" not in text and "<script>" not in text


def test_the_html_report_escapes_every_text_and_runs_nothing() -> None:
    rows, summary = hand_report()
    page = render_html(build_report(rows, summary), {"accuracy_by_type": b"\x89PNG..."})
    assert "<script" not in page and "<img src=x" not in page and "<b>d3</b>" not in page
    assert "Bob &lt;img src=x onerror=&quot;window.hacked=1&quot;&gt;" in page and "&lt;b&gt;d3&lt;/b&gt;" in page
    assert "script-src" not in page and "default-src 'none'" in page  # no script may run, whatever gets in
    assert 'href="#src-1"' in page and 'id="src-1"' in page  # a failure links to its cited source


# -- the HTML report in a real headless Chromium (Debian's chromium + chromedriver, via Selenium) ------------

CHARTS = ("accuracy_by_type", "latency", "abstention", "calibration")
CHROMIUM = shutil.which("chromium") and shutil.which("chromedriver")


def in_chromium(test: Callable[..., None]) -> Callable[..., None]:
    """Selenium talks to chromedriver on loopback (the report itself is a file); skipped without chromium."""
    for mark in (pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"]),
                 pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="no chromium here")):  # fmt: skip
        test = mark(test)
    return test


def charts_shown(driver) -> list[str]:  # type: ignore[no-untyped-def]
    """The charts that are displayed and whose PNG decoded (naturalWidth > 0)."""
    from selenium.webdriver.common.by import By

    shown = []
    for image in driver.find_elements(By.CSS_SELECTOR, "img[id^=chart-]"):
        if image.is_displayed() and driver.execute_script("return arguments[0].naturalWidth", image) > 0:
            shown.append(image.get_attribute("id").removeprefix("chart-"))
    return shown


@in_chromium
def test_the_report_opens_in_chromium_with_its_charts_visible(orrin_run, chromium) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out, _ = orrin_run
    chromium.get((out / "report.html").as_uri())
    assert chromium.title == "Evaluation report"
    assert charts_shown(chromium) == list(CHARTS)
    chromium.save_screenshot(str(PROJECT / "docs" / "eval-report.png"))


@in_chromium
def test_hostile_text_in_the_html_report_stays_text_in_chromium(chromium, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    from evals.charts import all_charts

    rows, summary = hand_report()
    page = tmp_path / "report.html"
    page.write_text(render_html(build_report(rows, summary), all_charts(rows, summary)), encoding="utf-8")
    chromium.get(page.as_uri())
    assert charts_shown(chromium) == list(CHARTS)
    assert len(chromium.find_elements(By.TAG_NAME, "img")) == len(CHARTS)  # the answer's <img> is text
    assert chromium.execute_script("return window.hacked === undefined")
    with pytest.raises(NoAlertPresentException):
        chromium.switch_to.alert.text  # noqa: B018
    failure = chromium.find_elements(By.CSS_SELECTOR, ".failure")[-1].text
    assert "<script>alert(1)</script>" in failure and '<img src=x onerror="window.hacked=1">' in failure


# -- what changed between two runs ---------------------------------------------------------------------------


def test_changes_lists_exactly_the_questions_that_went_from_right_to_wrong_and_back() -> None:
    before = hand_rows()  # a right, b wrong, c right, d wrong
    flipped = {"a": {"abstained": True}, "b": {"abstained": False, "correct_if_answered": True, "answer": "In 2024."}}
    now = [row.model_copy(update=flipped.get(row.id, {})) for row in before if row.id != "c"]
    now.append(before[2].model_copy(update={"id": "e"}))
    found = changes(before, now)
    assert [(c.direction, c.now.id) for c in found] == [("right to wrong", "a"), ("wrong to right", "b")]
    assert (found[1].before.answer, found[1].now.answer) == (ABSTAIN, "In 2024.")
    summary = compare_summary(Path("old"), before, now)
    assert (summary["compared"], summary["only_before"], summary["only_now"]) == (3, 1, 1)
    assert summary["right_to_wrong"] == [["hand", "a", "assistant"]]
    assert summary["wrong_to_right"] == [["hand", "b", "assistant"]]


def test_compare_on_a_run_that_differs_lists_the_changed_questions_with_both_answers(  # type: ignore[no-untyped-def]
    orrin_run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    earlier, _ = orrin_run
    corpus, testset = write_collection(tmp_path)
    never_answers = QASettings(data_dir=tmp_path / "data", answer={"reader": {"threshold": 1000.0}})
    argv = ["eval", "--corpus", corpus, "--testset", testset, "--out", tmp_path / "now", "--compare", earlier]
    assert main(list(map(str, argv)), never_answers) == 0
    printed = capsys.readouterr().out
    was_right = [r["id"] for r in rows_of(earlier) if r["engine"] == "assistant" and r["answerable"] and r["correct"]]
    summary = json.loads((tmp_path / "now" / "summary.json").read_text())["compare"]
    assert summary["right_to_wrong"] == [["orrin", qid, "assistant"] for qid in was_right] and was_right
    assert summary["wrong_to_right"] == [] and summary["only_before"] == 10  # the earlier run's baseline rows
    assert printed.count("right to wrong: orrin ") == len(was_right)
    assert "before: Mayor Ilse Varga cut the ribbon" in printed and f"now:    {ABSTAIN}" in printed
    assert "What changed since" in (tmp_path / "now" / "report.md").read_text()


# -- the gate and the README's table ------------------------------------------------------------------------

GATE = PROJECT / "evals" / "gate.toml"


def test_a_run_below_a_floor_of_the_gate_exits_1_naming_it(qa_eval, tmp_path: Path, real_encoder) -> None:  # type: ignore[no-untyped-def]
    squad = tmp_path / "tiny.json"
    squad.write_text(json.dumps(tiny_squad()), encoding="utf-8")
    gate = tmp_path / "gate.toml"
    gate.write_text('[tiny]\nquestions = 6\n"hit@5" = 1.0\n[all]\nquestions = 5\n', encoding="utf-8")
    code, printed, err = qa_eval("--testset", squad, "--gate", gate, "--out", tmp_path / "run")
    assert code == 1 and err == "qa eval: gate: tiny questions 5 is below its floor 6\n"
    assert "1 of 3 floors not met" in printed
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert check(summary, {"tiny": {"questions": 5, "hit@5": 1.0}}) == []
    assert check(summary, {"other": {"accuracy": 0.1}}) == ["other accuracy: not measured in this run (floor 0.1)"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[testset\naccuracy = 0.5\n", "not a gate file"),
        ("[testset]\nacuracy = 0.5\n", "acuracy = 0.5: not a metric with a number"),
        ("[testset]\np95_ms = 900\n", "p95_ms = 900: not a metric"),
        ('[testset]\naccuracy = "high"\n', "accuracy = 'high': not a metric with a number"),
    ],
)
def test_a_bad_gate_file_stops_the_run_before_any_question(  # type: ignore[no-untyped-def]
    qa_eval, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, reason: str
) -> None:
    monkeypatch.setattr("qa.assistant.Assistant.ask", lambda *_: pytest.fail("a question was asked"))
    gate = tmp_path / "gate.toml"
    gate.write_text(text, encoding="utf-8")
    code, _, err = qa_eval("--gate", gate)
    assert code == 2 and reason in err and err.count("\n") == 1


def test_every_floor_of_the_project_gate_says_what_was_measured_and_when() -> None:
    floors = read_gate(GATE)
    assert set(floors) >= {"testset", "heldout", "fresh"} and all(floors.values())
    lines = [line for line in GATE.read_text().splitlines() if "=" in line.split("#")[0]]
    assert len(lines) == sum(len(table) for table in floors.values())
    for line in lines:
        found = re.fullmatch(r'"?([\w@]+)"?\s*=\s*([\d.]+)\s*# measured ([\d.]+) on (\d{4}-\d\d-\d\d)\b.*', line)
        assert found, line
        floor, measured = float(found[2]), float(found[3])
        assert measured - 0.06 <= floor <= measured, line  # a small margin under what was measured


def test_the_readme_table_is_rewritten_between_its_markers_only() -> None:
    _, summary = hand_report()
    readme = f"# Title\n\nProse before.\n\n{BEGIN}\nold table\n{END}\n\nProse after.\n"
    new = rewrite(readme, table_lines(summary))
    assert new.startswith("# Title\n\nProse before.\n\n") and new.endswith(f"{END}\n\nProse after.\n")
    assert "old table" not in new and "| hand | test | assistant | 4 | 0.500 |" in new
    assert rewrite(new, table_lines(summary)) == new
    with pytest.raises(ValueError, match="markers"):
        rewrite("no markers here", table_lines(summary))
    assert (PROJECT / "README.md").read_text().count(BEGIN) == 1


# -- roles --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role"),
    [("testset.jsonl", "dev"), ("heldout.jsonl", "test"), ("fresh.jsonl", "test"), ("bbc_story.jsonl", "test")],
)
def test_the_project_sets_say_their_role_in_their_header(name: str, role: str) -> None:
    testset = read_testset(PROJECT / "evals" / name)
    assert testset.role == role and testset.note and len(testset.cases) >= 30


def test_the_report_says_which_set_is_dev_and_which_is_test() -> None:
    rows = hand_rows()
    dev = [row.model_copy(update={"collection": "tuned", "split": "dev"}) for row in rows]
    blind = [row.model_copy(update={"collection": "blind"}) for row in rows]
    sets = [TestSet("hand", Path("hand.jsonl"), "test", [], note="written blind"),
            TestSet("tuned", Path("tuned.jsonl"), "dev", [], note="chose the threshold"),
            TestSet("blind", Path("blind.jsonl"), "test", [])]  # fmt: skip
    summary = summarise([*rows, *dev, *blind], sets, {"corpus": "c", "articles": 2, "limit": None, "seconds": 1.0})
    text = render_markdown(build_report([*rows, *dev, *blind], summary))
    assert "| hand | test | 0 | 0 | 0 | hand.jsonl | written blind |" in text
    assert "| tuned | dev | 0 | 0 | 0 | tuned.jsonl | chose the threshold |" in text
    assert "| all test sets | test | assistant | 8 |" in text and "| all |  | assistant | 12 |" in text
    assert "all dev sets" not in text  # one dev set: its own line says it all
