"""The evaluation across collections: materialising articles, the scorers, the summary, the threshold sweep.

Everything here is pure or works on tiny files the tests write; no model is loaded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals import collections as coll
from evals import threshold as sweep
from evals.asking import judge, make_row
from evals.items import Item, sample
from evals.loaders import LOADERS, load_quail, load_squad
from evals.metrics import best_f1, holds, normalize, token_f1
from evals.rows import Row, abstention_scores, scores, summarize
from index.loader import load_article, read_manifest
from qa.answer_types import Answer, Span

SQUAD_TITLES = ["Rhine", "Fresno,_California", "Pharmacy", "Economic_inequality", "Islamism"]


def squad_data() -> dict[str, Any]:
    """Five tiny articles; Rhine has two paragraphs, the second with an unanswerable question."""
    articles: list[dict[str, Any]] = []
    for title in SQUAD_TITLES:
        question = {"id": f"{title}-q", "question": f"What about {title}?", "is_impossible": False,
                    "answers": [{"text": "the delta", "answer_start": 0}, {"text": "the delta", "answer_start": 0},
                                {"text": "delta", "answer_start": 4}]}  # fmt: skip
        articles.append({"title": title, "paragraphs": [{"context": f" About {title}. ", "qas": [question]}]})
    impossible = {"id": "r2", "question": "Why?", "is_impossible": True, "answers": []}
    articles[0]["paragraphs"].append({"context": "Second paragraph.", "qas": [impossible]})
    return {"version": "v2.0", "data": articles}


def write_squad(shared: Path) -> None:
    (shared / "squad2-dev-heldout").mkdir(parents=True)
    (shared / "squad2-dev-heldout" / "dev-heldout.json").write_text(json.dumps(squad_data()))


def test_squad_paragraphs_become_article_files_whose_stem_is_the_doc_id(tmp_path: Path) -> None:
    write_squad(tmp_path / "shared")
    articles = tmp_path / "cache" / "squad" / "articles"
    collection = load_squad(tmp_path / "shared", articles)
    assert collection is not None
    stems = sorted(p.stem for p in articles.glob("*.txt"))
    assert stems == ["squad-Economic_inequality-000", "squad-Fresno_California-000", "squad-Islamism-000",
                     "squad-Pharmacy-000", "squad-Rhine-000", "squad-Rhine-001"]  # fmt: skip
    path = articles / "squad-Fresno_California-000.txt"
    assert path.read_text() == "Fresno, California\n\nAbout Fresno,_California.\n"
    article = load_article(path, read_manifest(articles).get(path.name), 10_000)
    assert (article.meta.doc_id, article.meta.title) == ("squad-Fresno_California-000", "Fresno, California")
    assert load_article(articles / "squad-Rhine-001.txt", None, 10_000).meta.doc_id == "squad-Rhine-001"


def test_squad_questions_their_gold_answers_and_the_split_by_title(tmp_path: Path) -> None:
    write_squad(tmp_path / "shared")
    collection = load_squad(tmp_path / "shared", tmp_path / "articles")
    assert collection is not None
    assert collection.note["splits"] == {
        "dev": ["Economic_inequality", "Fresno,_California", "Islamism", "Pharmacy"],
        "test": ["Rhine"],
    }
    by_id = {item.id: item for item in collection.items}
    assert len(by_id) == 6
    assert by_id["Pharmacy-q"] == Item(
        "squad", "dev", "Pharmacy-q", "What about Pharmacy?", True, ("the delta", "delta")
    )
    assert (by_id["r2"].split, by_id["r2"].answerable, by_id["r2"].gold) == ("test", False, ())


def test_materialising_again_rewrites_nothing_and_drops_stale_files(tmp_path: Path) -> None:
    write_squad(tmp_path / "shared")
    articles = tmp_path / "articles"
    load_squad(tmp_path / "shared", articles)
    (articles / "squad-Gone-000.txt").write_text("Gone\n\nOld.\n")
    before = {p.name: p.stat().st_mtime_ns for p in articles.glob("*.txt") if p.stem != "squad-Gone-000"}
    load_squad(tmp_path / "shared", articles)
    assert {p.name: p.stat().st_mtime_ns for p in articles.glob("*.txt")} == before


def write_quail(shared: Path) -> None:
    folder = shared / "quail-news"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "voa-n1-vote.txt").write_text("Senate Votes on the Budget\n\nThe Senate voted on Friday.\n")
    (folder / "articles" / "voa-n2-visit.txt").write_text("President Visits Ohio\n\nHe spoke to workers.\n")
    rows = [
        {"id": "q1", "question": "When did the Senate vote?", "answers": ["On Friday"], "impossible": False,
         "doc": "voa-n1-vote", "choices": ["On Monday", "On Friday"]},
        {"id": "q2", "question": "Why did he go?", "answers": ["To win votes"], "impossible": False,
         "doc": "voa-n2-visit", "choices": ["To win votes", "not enough information"]},
        {"id": "q3", "question": "What did he eat?", "answers": [], "impossible": True, "doc": None,
         "choices": ["Soup", "not enough information"]},
    ]  # fmt: skip
    (folder / "questions.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))


def test_quail_keeps_answerable_questions_whose_option_is_in_the_article(tmp_path: Path) -> None:
    write_quail(tmp_path / "shared")
    articles = tmp_path / "articles"
    collection = load_quail(tmp_path / "shared", articles)
    assert collection is not None
    assert [(i.id, i.answerable, i.gold, i.split) for i in collection.items] == [
        ("q1", True, ("On Friday",), "dev"),
        ("q3", False, (), "dev"),
    ]
    assert collection.note["left_out"] == 1
    assert sorted(p.name for p in articles.glob("*.txt")) == ["voa-n1-vote.txt", "voa-n2-visit.txt"]
    assert read_manifest(articles)["voa-n2-visit.txt"] == {"title": "President Visits Ohio"}


@pytest.mark.parametrize("name", ["squad", "quail", "bbc_story"])
def test_a_collection_whose_shared_data_is_absent_is_skipped(tmp_path: Path, name: str) -> None:
    assert LOADERS[name](tmp_path / "no-shared", tmp_path / "articles") is None


def test_the_command_skips_cleanly_without_the_shared_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    argv = ["--shared-data", str(tmp_path / "absent"), "--cache", str(tmp_path / "cache"), "--out", str(out)]
    assert coll.main([*argv, "--collection", "squad", "--collection", "quail", "--collection", "bbc_story"]) == 0
    assert "skipping squad" in capsys.readouterr().err
    assert (out / "results.jsonl").read_text() == ""
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["collections"]) == {"squad", "quail", "bbc_story"} and summary["scores"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("The Rhine's  delta!", "rhines delta"), ("A cat, an owl and THE dog.", "cat owl and dog"), ("40%", "40")],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("answer", "gold", "expected"),
    [
        ("It was 40% in 2010 [1].", "40%", True),
        ("In 1400 people", "40", False),
        ("On 28 April 2025 [1], it confirmed it.", "April 2025", True),
        ("The Rhine delta", "the  Rhine", True),
        ("Anything", "the", False),
        # a gold date is held by the same date written another way, not by another day or a coarser date
        ("On 6 January 1913, the record low was set [1].", "January 6, 1913", True),
        ("On 7 January 1913, the record low was set [1].", "January 6, 1913", False),
        ("In January 1913 the record low was set [1].", "January 6, 1913", False),
        ("The station first broadcast in June 1953 [1].", "June, 1953", True),
        ("It was set on January 6, 1913, in Fresno [1].", "6 January 1913 in Fresno", False),  # not a date alone
    ],
)
def test_holds(answer: str, gold: str, expected: bool) -> None:
    assert holds(answer, gold) is expected


def test_token_f1_against_hand_worked_values() -> None:
    assert token_f1("the Rhine delta", "Rhine") == pytest.approx(2 / 3)  # P 1/2, R 1
    assert token_f1("Rhine river delta", "river delta in Europe") == pytest.approx(4 / 7)  # P 2/3, R 1/2
    assert token_f1("Paris", "London") == 0.0
    assert best_f1("Rhine delta", ["Rhine", "a delta", "Rhine delta"]) == 1.0
    assert best_f1("Rhine", []) == 0.0


ROW = {"collection": "squad", "split": "dev", "engine": "reader", "threshold": -1000.0, "id": "x", "question": "q?",
       "gold": [], "answer": "a", "answer_span": None, "confidence": None, "citations": [], "span_f1": None,
       "latency_ms": 10.0}  # fmt: skip


def row(answerable: bool, abstained: bool, right: bool = False, margin: float | None = None, **fields: Any) -> Row:
    given = {"answerable": answerable, "abstained": abstained, "correct_if_answered": right, "margin": margin}
    return Row.model_validate({**ROW, **given, **fields})


def test_scores_on_hand_made_rows() -> None:
    rows = [
        row(True, False, right=True, span_f1=0.5, latency_ms=10),  # right
        row(True, False, right=False, span_f1=0.0, latency_ms=20),  # answered wrongly
        row(True, True, right=True, latency_ms=30),  # would have been right, but abstained
        row(False, True, latency_ms=40),  # right to abstain
        row(False, False, latency_ms=50),  # should have abstained
    ]
    assert [r.correct for r in rows] == [True, False, False, True, False]
    assert scores(rows) == pytest.approx({
        "questions": 5, "answerable": 3, "abstained": 2, "accuracy": 2 / 5, "answerable_accuracy": 1 / 3,
        "abstention_precision": 1 / 2, "abstention_recall": 1 / 2, "span_f1": 0.5 / 3, "calibration_error": None,
        "median_ms": 30,
    })  # fmt: skip


def test_scores_without_spans_or_abstentions_are_undefined_not_zero() -> None:
    got = scores([row(True, False, right=True)])
    assert (got["span_f1"], got["abstention_precision"], got["abstention_recall"]) == (None, None, None)


def test_a_threshold_turns_low_margins_into_abstentions() -> None:
    rows = [row(True, False, right=True, margin=2.0), row(False, False, margin=-1.0), row(False, False, margin=None)]
    assert abstention_scores(rows, threshold=0.0) == pytest.approx({
        "accuracy": 2 / 3, "answerable_accuracy": 1.0, "abstention_precision": 1.0, "abstention_recall": 1 / 2,
    })  # fmt: skip
    assert [r.abstains_at(2.0) for r in rows] == [False, True, False]


def test_summary_puts_engines_side_by_side_and_all_after_several_splits() -> None:
    rows = [row(True, False, right=True, split="dev"), row(False, True, split="test"),
            row(False, True, collection="quail"), row(True, False, collection="quail", engine="rules"),
            row(True, False, split="test", engine="rules")]  # fmt: skip
    keys = [(s["collection"], s["split"], s["engine"], s["questions"]) for s in summarize(rows)]
    assert keys == [
        ("squad", "dev", "reader", 1), ("squad", "test", "reader", 1), ("squad", "test", "rules", 1),
        ("squad", "all", "reader", 2), ("quail", "dev", "reader", 1), ("quail", "dev", "rules", 1),
    ]  # fmt: skip


def test_sample_is_seeded_ordered_and_whole_without_a_limit() -> None:
    items = [Item("c", "s", str(i), "q?", True) for i in range(100)]
    picked = sample(items, 10, seed=3)
    assert picked == sample(items, 10, seed=3) != sample(items, 10, seed=4)
    assert len(picked) == 10 and [int(i.id) for i in picked] == sorted(int(i.id) for i in picked)
    assert sample(items, None) == items == sample(items, 500)


def test_judge_uses_gold_containment_and_span_f1() -> None:
    answer = Answer(question="q", standalone_question="q", answer="It was about the delta [1].", abstained=True,
                    citations=[], timings_ms={"total": 3.0})  # fmt: skip
    right, f1 = judge(Item("squad", "dev", "i", "q", True, ("the delta", "river")), answer)
    assert (right, f1) == (True, None)  # what was said holds the gold answer, abstained or not; no span
    assert judge(Item("squad", "dev", "i", "q", False), answer) == (False, None)


def test_judge_scores_the_span_against_the_closest_gold() -> None:
    span = Span(doc_id="d", start=0, end=11, text="Rhine delta")
    answer = Answer.model_validate({"question": "q", "standalone_question": "q", "answer": "The Rhine delta [1].",
                                    "abstained": False, "citations": [], "timings_ms": {"total": 1.0},
                                    "answer_span": span})  # fmt: skip
    right, f1 = judge(Item("squad", "dev", "i", "q", True, ("Rhine", "a delta")), answer)
    assert right is True and f1 == pytest.approx(2 / 3)
    assert make_row(Item("squad", "dev", "i", "q", True, ("Rhine",)), "reader", -1000.0, answer).answer_span == {
        "doc_id": "d",
        "start": 0,
        "end": 11,
        "text": "Rhine delta",
    }


def test_candidates_cut_between_neighbouring_margins() -> None:
    assert sweep.candidates([2, 0, 2, 1]) == [-1.0, 0.5, 1.5, 3.0]
    assert sweep.candidates([]) == [sweep.NEVER_ABSTAIN]


def sweep_rows() -> list[Row]:
    """squad:dev margins: right answers 3 and 2, a wrong one 0, unanswerables -1 and 0.5 -> best cut 1.25.
    quail: right 1.5, unanswerable 1.0 -> any cut in (1.0, 1.5] is perfect, so 1.25 stays best."""
    squad = [row(True, False, True, 3.0), row(True, False, True, 2.0), row(True, False, False, 0.0),
             row(False, False, margin=-1.0), row(False, False, margin=0.5)]  # fmt: skip
    quail = [row(True, False, True, 1.5, collection="quail"), row(False, False, margin=1.0, collection="quail")]
    return squad + quail


def test_the_sweep_finds_the_known_best_threshold() -> None:
    record = sweep.choose(sweep_rows())
    assert record["threshold"] == 1.25
    assert record["objective_value"] == pytest.approx((0.75 * 2 / 3 + 0.25 * 1.0 + 1.0) / 2)
    assert [(c["collection"], c["split"], c["questions"]) for c in record["chosen_on"]] == [
        ("squad", "dev", 5),
        ("quail", "dev", 2),
    ]
    assert record["at_threshold"]["squad:dev"] == pytest.approx({
        "accuracy": 4 / 5, "answerable_accuracy": 2 / 3, "abstention_precision": 2 / 3, "abstention_recall": 1.0,
    })  # fmt: skip
    thresholds = [point["threshold"] for point in record["curve"]]
    assert thresholds == sorted(thresholds) and thresholds[0] == -2.0 and thresholds[-1] == 4.0


def test_the_sweep_never_reads_test_sets() -> None:
    misleading = [row(False, False, margin=m, collection=c, split=s) for m in (2.5, 2.6, 2.7)
                  for c, s in [("squad", "test"), ("seed", "testset"), ("bbc_story", "test")]]  # fmt: skip
    record = sweep.choose(sweep_rows() + misleading)
    assert (record["threshold"], record["candidates"]) == (1.25, 8)


def test_the_sweep_needs_both_dev_sets_from_a_run_that_never_abstained_on_margin() -> None:
    with pytest.raises(ValueError, match="no reader results for quail:dev"):
        sweep.choose([r for r in sweep_rows() if r.collection == "squad"])
    with pytest.raises(ValueError, match="threshold"):
        sweep.choose([r.model_copy(update={"threshold": 0.0}) for r in sweep_rows()])


def test_thin_keeps_the_chosen_point_and_the_ends() -> None:
    points = [{"threshold": float(t), "objective": 0.0} for t in range(100)]
    kept = sweep.thin(points, points[37], 5)
    assert [p["threshold"] for p in kept] == [0.0, 25.0, 37.0, 50.0, 74.0, 99.0]
    assert sweep.thin(points, points[0], 0) == points


def test_the_threshold_command_writes_the_choice_and_the_curve(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text("".join(r.model_dump_json() + "\n" for r in sweep_rows()))
    assert sweep.main(["--results", str(results), "--out", str(tmp_path / "threshold.json")]) == 0
    record = json.loads((tmp_path / "threshold.json").read_text())
    assert record["threshold"] == 1.25 and len(record["curve"]) == 8 and "accuracy" in record["objective"]


def test_the_objective_weighs_unanswerable_questions_as_a_quarter_whatever_the_mix() -> None:
    scores = {"accuracy": 0.5, "answerable_accuracy": 0.8, "abstention_recall": 0.4}
    assert sweep.expected_accuracy(scores) == pytest.approx(0.7)
    assert sweep.expected_accuracy({"accuracy": 0.5, "answerable_accuracy": None}) == 0.5
