"""The test set's integrity, the metrics, and the plain llama-index baseline."""

import re
from pathlib import Path

import pytest

from evals.baseline import PlainLlamaIndex
from evals.case import Case
from evals.metrics import first_relevant_rank, retrieval_scores
from evals.testset import FRESH, HELDOUT, TESTSET, load_testset
from tests.conftest import SEED_CORPUS, FakeEncoder


def test_metrics_match_a_hand_computed_example() -> None:
    runs = [(["a", "b"], {"b"}), (["c"], {"c"}), (["x", "y", "z", "w"], {"w"}), ([], {"q"})]
    assert retrieval_scores(runs, ks=(1, 3)) == pytest.approx(
        {"hit@1": 0.25, "hit@3": 0.5, "mrr": (0.5 + 1 + 0.25) / 4}
    )
    assert first_relevant_rank(["b", "a"], {"a"}) == 2


@pytest.mark.parametrize(("path", "size"), [(TESTSET, 60), (HELDOUT, 30), (FRESH, 30)])
def test_the_test_sets_are_sound(path: Path, size: int) -> None:
    cases = load_testset(path)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEED_CORPUS.glob("*.txt")}
    assert len(cases) >= size and sum(not c.answerable for c in cases) >= 6
    assert {c.type for c in cases} >= {"when", "who", "where", "how_many", "what", "why", "yes_no"}
    for case in cases:
        assert set(case.gold_doc_ids) <= set(texts) and set(case.earlier_doc_ids) <= set(texts), case.id
        assert not set(case.gold_doc_ids) & set(case.earlier_doc_ids), case.id
        if case.answerable and "relative_date" not in case.tags:  # those answer with a resolved date
            gold_text = " ".join(texts[d] for d in case.gold_doc_ids)
            assert any(re.search(p, gold_text, re.IGNORECASE) for p in case.answer_patterns), case.id


def test_a_malformed_test_set_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"id": "a", "question": "q", "type": "when", "answerable": true, "gold_doc_ids": [], "answer_patterns": []}\n'
    )
    with pytest.raises(ValueError, match=r"set.jsonl:1: .*needs gold_doc_ids"):
        load_testset(path)


def test_citing_the_earlier_stance_counts_for_citation_precision_but_not_for_retrieval() -> None:
    from evals.answers import grade
    from evals.retrieval import score_retrieval
    from qa.answer_types import Answer, Citation

    case = Case(id="c", question="Still denying?", type="yes_no", answerable=True, gold_doc_ids=["late"],
                earlier_doc_ids=["early"], answer_patterns=["confirmed"], tags=["conflict"])  # fmt: skip

    def citation(n: int, doc_id: str) -> Citation:
        return Citation(n=n, doc_id=doc_id, title=None, publisher=None, published=None, url=None, quote="x",
                        start=0, end=1)  # fmt: skip

    answer = Answer(question=case.question, standalone_question=case.question, answer="No. It confirmed [1]. "
                    "Earlier it denied [2]. Else [3].", abstained=False, timings_ms={"total": 1.0},
                    citations=[citation(1, "late"), citation(2, "early"), citation(3, "other")])  # fmt: skip
    graded = grade(case, answer, lambda _: "x")
    assert graded.correct and graded.gold_citations == 2
    metrics, _ = score_retrieval([case], lambda _case: ["early", "late"])
    assert metrics["hit@1"] == 0.0 and metrics["mrr"] == 0.5


def test_plain_llama_index_baseline_ranks_file_stems(corpus: Path) -> None:
    baseline = PlainLlamaIndex(corpus, FakeEncoder(), top_k=3)
    ranked = baseline.ranked_doc_ids("Kim Jong-un decided to participate in the war")
    assert len(ranked) == 3 and set(ranked) <= {p.stem for p in corpus.glob("*.txt")}


def test_no_two_sets_share_a_question() -> None:
    asked = [{c.question.casefold() for c in load_testset(path)} for path in (TESTSET, HELDOUT, FRESH)]
    assert not asked[0] & asked[1] and not asked[0] & asked[2] and not asked[1] & asked[2]
