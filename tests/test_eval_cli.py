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
from pathlib import Path
from typing import Any

import pytest

from qa import QASettings
from qa.cli import main

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
        code = main(["eval", "--corpus", str(corpus), "--testset", str(testset), "--out", str(out)], settings)
    assert code == 0
    return out, printed.getvalue()


def test_a_collection_of_ones_own_is_indexed_in_a_temporary_store_and_scored(orrin_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, printed = orrin_run
    assert {p.name for p in out.iterdir()} >= {"results.jsonl", "summary.json", "report.md", "report.html"}
    rows = rows_of(out)
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
