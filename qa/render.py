"""Plain-text output of the CLI, for people reading a terminal."""

from __future__ import annotations

import textwrap

from index.ingest import IngestReport
from qa.types import Answer, ArticleSummary, ArticleView, Retrieval, TimelineEvent


def _date(article: ArticleSummary) -> str:
    if article.published is None:
        return "undated"
    return f"{article.published}{' (inferred)' if article.date_inferred else ''}"


def print_report(report: IngestReport) -> None:
    counts = (f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
              f"{len(report.removed)} removed, {len(report.rejected)} rejected")  # fmt: skip
    print(counts)
    print(f"{report.chunks_added} new chunks, {report.chunks_removed} removed, {report.texts_encoded} texts embedded")
    for rejection in report.rejected:
        print(f"rejected {rejection.path}: {rejection.reason}")


def print_hits(result: Retrieval) -> None:
    if not result.hits:
        print("No passages found.")
    for rank, hit in enumerate(result.hits, start=1):
        print(f"{rank}. {hit.title or hit.doc_id}  [{hit.doc_id} {hit.start}:{hit.end}, score {hit.score:.4f}]")
        print(textwrap.indent(textwrap.fill(hit.text, 96), "   "))


def print_article(article: ArticleView) -> None:
    print(article.title or article.doc_id)
    print(f"{article.publisher or 'unknown publisher'} | {_date(article)} | {article.chunks} chunks | {article.doc_id}")
    print()
    print(article.text)


def print_articles(articles: list[ArticleSummary]) -> None:
    if not articles:
        print("No articles indexed. Run: qa ingest")
    for article in articles:
        print(f"{article.doc_id}  {_date(article):<22} {article.chunks:>3} chunks  {article.title or ''}")


def render_answer(answer: Answer) -> str:
    """The answer, the standalone question when it was rewritten, and numbered sources."""
    lines = []
    if answer.standalone_question != answer.question or answer.context:
        lines.append(f"(understood as: {answer.understood_as})")
    lines.append(textwrap.fill(answer.answer, 100))
    if answer.answer_span is not None:
        lines.append(f"  answer: {answer.answer_span.text!r}  (confidence {answer.confidence:.2f})")
    for c in answer.citations:
        date = f", {c.published}" if c.published else ""
        lines.append(
            f"  [{c.n}] {c.title or c.doc_id} ({c.publisher or 'unknown publisher'}{date}) {c.doc_id} {c.start}:{c.end}"
        )
        lines.append(textwrap.indent(textwrap.fill(f"“{c.quote}”", 96), "      "))
    return "\n".join(lines)


def print_timeline(events: list[TimelineEvent]) -> None:
    if not events:
        print("No dated events.")
    for e in events:
        who = f"{e.who}: " if e.who else ""
        print(f"{e.date} {e.stance:<8} {who}{e.what}  [{e.citation.doc_id} {e.citation.start}:{e.citation.end}]")
