"""Plain-text output of the CLI, for people reading a terminal."""

from __future__ import annotations

import textwrap

from index.ingest import IngestReport
from qa.types import ArticleSummary, ArticleView, Retrieval


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
