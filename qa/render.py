"""Plain-text output of the CLI, for people reading a terminal."""

from __future__ import annotations

import shutil
import textwrap

from index.ingest import IngestReport
from qa.answer_types import Answer, TimelineEvent
from qa.article_types import ArticleSummary, ArticleView, Retrieval
from qa.timeline_list import STANCE_LABELS


def _date(article: ArticleSummary) -> str:
    if article.published is None:
        return "undated"
    return f"{article.published}{' (inferred)' if article.date_inferred else ''}"


def print_report(report: IngestReport) -> None:
    counts = (f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
              f"{len(report.removed)} removed, {len(report.rejected)} rejected, "
              f"{len(report.skipped)} skipped")  # fmt: skip
    print(counts)
    print(f"{report.chunks_added} new chunks, {report.chunks_removed} removed, {report.texts_encoded} texts embedded")
    for rejection in report.rejected:
        print(f"rejected {rejection.path}: {rejection.reason}")
    for skipped in report.skipped:
        print(f"skipped {skipped.path}: {skipped.reason}")
    for problem in report.repaired:
        print(f"repaired: {problem}")


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


def terminal_width(limit: int = 100) -> int:
    """The terminal's width (or $COLUMNS), at most `limit`, since longer lines read badly, and at least 40."""
    return max(40, min(limit, shutil.get_terminal_size((limit, 24)).columns))


def _fill(text: str, width: int, first: str = "", rest: str = "") -> str:
    return textwrap.fill(text, width, initial_indent=first, subsequent_indent=rest)


def understood_line(answer: Answer) -> str | None:
    """How a follow-up was read, said once and flat; None for a question taken as it was typed.

    Examples: "and when?" read as "When did the talks end?" -> "(understood as: When did the talks end?)";
    "When was that?" kept as typed, leaning on "Where did they meet?" ->
    "(understood as: a follow-up to “Where did they meet?”)".
    """
    rewritten = " ".join(answer.standalone_question.split()).casefold() != " ".join(answer.question.split()).casefold()
    after = f"a follow-up to “{answer.context}”" if answer.context else ""
    if rewritten:
        return f"(understood as: {answer.standalone_question}{' — ' + after if after else ''})"
    return f"(understood as: {after})" if after else None


def render_answer(answer: Answer, width: int | None = None) -> str:
    """The answer, how a follow-up was understood, and its sources by title, wrapped to `width`
    (the terminal's by default). Offsets and doc_ids are left to `--json` and `qa show`."""
    width = width or terminal_width()
    lines = [line] if (line := understood_line(answer)) else []
    lines.append(_fill(answer.answer, width))
    if answer.answer_span is not None:
        span = f"answer: {answer.answer_span.text!r}  (confidence {answer.confidence:.2f})"
        lines.append(_fill(span, width, "  ", "    "))
    for c in answer.citations:
        date = f", {c.published}" if c.published else ""
        source = f"[{c.n}] {c.title or c.doc_id} ({c.publisher or 'unknown publisher'}{date})"
        lines.append(_fill(source, width, "  ", "      "))
        lines.append(_fill(f"“{c.quote}”", width, "      ", "      "))
    return "\n".join(lines)


def print_timeline(events: list[TimelineEvent]) -> None:
    """One block per event: date (and the words that give it), actor, stance, the claim, its sources.

    Example: 2024-10-21 (“Monday”)  North Korea denies: A North Korean representative ... [004 405:632] +2 sources
    """
    if not events:
        print("No dated events.")
    width = min(shutil.get_terminal_size((100, 24)).columns, 110)
    for e in events:
        known = f"“{e.date_text}”" if e.date_text else "report's date"
        more = f" +{len(e.sources) - 1} sources" if len(e.sources) > 1 else ""
        where = f"[{e.citation.doc_id} {e.citation.start}:{e.citation.end}]{more}"
        print(_fill(f"{e.date} ({known})  {e.actor} {STANCE_LABELS[e.stance]}: {e.what}  {where}", width, "", "    "))
        if e.change is not None:
            print(f"    change of position: {e.change.summary}")
