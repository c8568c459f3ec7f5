"""`python -m evals`: score retrieval on the test set and print a table (or JSON)."""

from __future__ import annotations

import argparse
import json
import sys

from evals.baseline import PlainLlamaIndex
from evals.retrieval import assistant_ranker, question_ranker, score_retrieval
from evals.testset import TESTSET, load_testset
from qa import Assistant, QASettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    parser.add_argument("--testset", default=str(TESTSET), help="JSON lines test set")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain llama-index run")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--misses", action="store_true", help="list the questions missed at rank 1")
    args = parser.parse_args(argv)
    from pathlib import Path

    cases = load_testset(Path(args.testset))
    settings = QASettings()
    assistant = Assistant(settings)
    assistant.ingest()
    results = {"hybrid (this project)": score_retrieval(cases, assistant_ranker(assistant))}
    if not args.no_baseline:
        plain = PlainLlamaIndex(settings.corpus_dir, assistant.encoder())
        results["plain llama-index"] = score_retrieval(cases, question_ranker(plain.ranked_doc_ids))
    if args.json:
        print(json.dumps({name: scores for name, (scores, _) in results.items()}, indent=2))
        return 0
    answerable = sum(1 for case in cases if case.answerable)
    print(f"Retrieval on {answerable} answerable questions of {args.testset}")
    print(f"{'pipeline':<24}{'hit@1':>8}{'hit@3':>8}{'hit@5':>8}{'MRR':>8}")
    for name, (scores, rows) in results.items():
        print(f"{name:<24}" + "".join(f"{scores[m]:>8.3f}" for m in ("hit@1", "hit@3", "hit@5", "mrr")))
        if args.misses:
            for row in rows:
                if not row["ranked"] or row["ranked"][0] not in row["gold"]:  # type: ignore[index,operator]
                    print(
                        f"   miss {row['id']}: {row['question']} gold={row['gold']} got={row['ranked'][:3]}",
                        file=sys.stderr,
                    )  # type: ignore[index]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
