"""Compose a short answer from scored evidence: a direct lead, then up to two supports.

Every claim is an article sentence (with relative dates resolved inline, its wire-service
dateline dropped) followed by `[n]`, and every `[n]` is a citation whose quote is that sentence
verbatim at its offsets. When the evidence disagrees over time (a denial, then a confirmation),
the latest leads and the earlier ones follow, dated, as earlier. A date leading a claim is the
sentence's own when it gives one (for a when-question, the one in the tense the question asks
about, in the clause that shares its words), said with the words it comes from when they are
relative; otherwise it is marked as the date the article gives elsewhere or the date of the
report. When nothing answers, it says `ABSTAIN_TEXT`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from index.bm25 import tokenize
from qa.answer_kinds import kind_match, new_places
from qa.conflict import event_date, order_by_stance
from qa.dates import DateMention, Precision, dateline_end, format_date, period_end, strip_dateline
from qa.events import PRECISION_ORDER, EventDate, from_mention, sentence_event_date
from qa.evidence import Evidence
from qa.questions import asks_start
from qa.settings import ComposeSettings
from qa.tense import Tense, question_tense
from qa.types import ABSTAIN_TEXT, Citation, Question, QuestionType

_STILL = re.compile(r"\bstill\b", re.I)
_PRONOUN_SPEAKER = re.compile(r"\b(he|she|they)\s+(said|added|says|wrote|concluded|continued)\b", re.I)
_CONFIRM_Q = re.compile(r"\b(confirm\w*|admit\w*|acknowledg\w*|own(ed)? up)\b", re.I)
_DENY_Q = re.compile(r"\b(den(y|ies|ied|ying)|reject\w*|dismiss\w*)\b", re.I)
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CLAUSE_MARK = re.compile(r"[,;:()—–]|\s-\s")
_WORD = re.compile(r"[\w'’-]+")
_NO_OTHER_DATE = "the date of the report; the article gives no other date"
_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+")
_QUANTITY_STOP = (
    r"to|of|in|on|from|at|by|for|with|through|into|had|have|has|were|was|are|is|be|been|being|would|will|could"
    r"|should|may|might|can|did|do|does|that|which|who"
)
_QUANTITY = re.compile(
    r"\b((?:about|around|some|more than|over|nearly|approximately|up to|at least|almost)\s+)?"
    rf"(\d[\d,.]*(?:\s+(?:million|thousand))?)((?:\s+(?!(?:{_QUANTITY_STOP})\b)[\w“”\"'-]+){{1,3}})",
    re.I,
)


def cited(claim: str, n: int) -> str:
    """A claim with its marker, ending a sentence. Example: ("Units fought", 1) -> "Units fought [1]."."""
    return f"{claim} [{n}]" if re.search(r"[.!?][\"'”’)]*$", claim) else f"{claim} [{n}]."


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first in {"The", "A", "An", "It", "This", "These", "Its"} else text


def claim_text(e: Evidence, skip: DateMention | None = None) -> str:
    """The sentence as the answer states it: dateline dropped, word-only dates resolved, the date `skip`
    (which the answer states before it) taken out with its preposition.

    Example: "GENEVA, - Talks ended on Thursday in a deal." with skip "Thursday" -> "Talks ended in a deal."
    """
    text = e.text
    for mention in sorted(e.dates, key=lambda d: -d.start):  # from the end, so offsets before stay true
        if skip is not None and (mention.start, mention.end) == (skip.start, skip.end):
            text = _without_date(text, mention)
        elif mention.relative and not any(c.isdigit() for c in mention.text):
            text = f"{text[: mention.end]} ({mention.display()}){text[mention.end :]}"
    return strip_dateline(text)


def annotate_dates(text: str, dates: list[DateMention]) -> str:
    """Add the absolute date after each date written only in words.

    Example: "said last Friday" -> "said last Friday (18 October 2024)"; "Oct. 22" stays as it is.
    """
    for mention in sorted(dates, key=lambda d: -d.start):
        if mention.relative and not any(c.isdigit() for c in mention.text):
            text = f"{text[: mention.end]} ({mention.display()}){text[mention.end :]}"
    return text


def _without_date(text: str, mention: DateMention) -> str:
    """The sentence with one date expression (and its preposition) taken out."""
    before = re.sub(r"\b(on|in|as of|from|since)\s*$", "", text[: mention.start], flags=re.I).rstrip()
    after = text[mention.end :]
    after = after.lstrip(" ,") if not before or before.endswith(",") else after.lstrip(" ")
    joined = f"{before} {after}".strip() if after[:1].isalnum() or not after else f"{before}{after}".strip()
    return joined[0].upper() + joined[1:] if joined else text


def answer_date(
    question: str, e: Evidence, in_span: Callable[[DateMention], bool] | None = None
) -> tuple[EventDate | None, DateMention | None]:
    """The date a when-question is answered with, and the sentence's words that give it (None when
    they come from elsewhere): of the sentence's own dates, those in the tense the question asks
    about ("when did ... collapse?" looks back), then those `in_span` (the reader's answer), then
    the one whose clause shares most words with the question, then the most precise. Without one,
    the date the article gives the speaker's words elsewhere, or the publication date.
    """
    own = [d for d in e.dates if not d.since or asks_start(question)]
    fitting = _in_tense(question_tense(question), own, e.article.meta.published) or own
    spanned = [d for d in fitting if in_span(d)] if in_span is not None else []
    chosen = _most_precise(spanned) or _nearest_clause(question, e.text, fitting)
    if chosen is not None:
        return from_mention(chosen), chosen
    if own:  # since-dates only, for a question that is not about a start: the report's date it is
        published = e.article.meta.published
        return (EventDate(date=published, precision="day", known_from="publication") if published else None), None
    return sentence_event_date(e.sentence, e.article, e.dates), None


def _in_tense(tense: Tense | None, dates: list[DateMention], published: dt.date | None) -> list[DateMention]:
    """The dates on the side of publication the question looks to; all of them when it looks nowhere."""
    if tense is None or published is None:
        return dates
    if tense == "past":
        return [d for d in dates if d.date <= published + dt.timedelta(days=2)]
    return [d for d in dates if period_end(d.date, d.precision) >= published]


def _nearest_clause(question: str, text: str, dates: list[DateMention]) -> DateMention | None:
    """The date whose clause holds most of the question's words; ties go to the most precise."""
    if not dates:
        return None
    asked = set(tokenize(question))
    return min(
        dates, key=lambda d: (-len(asked & set(tokenize(_clause_of(text, d)))), PRECISION_ORDER.index(d.precision))
    )


def _clause_of(text: str, mention: DateMention) -> str:
    """The words around a date up to the nearest comma, bracket or dash on either side."""
    starts = [m.end() for m in _CLAUSE_MARK.finditer(text, 0, mention.start)]
    end = _CLAUSE_MARK.search(text, mention.end)
    return text[starts[-1] if starts else 0 : end.start() if end else len(text)]


def _most_precise(dates: list[DateMention]) -> DateMention | None:
    return min(dates, key=lambda d: PRECISION_ORDER.index(d.precision)) if dates else None


def dated_claim(question: str, e: Evidence, n: int, in_span: Callable[[DateMention], bool] | None = None) -> str:
    """A when-answer: the date first, said where it comes from, then the claim without it.

    Example: "On 18 October 2024 (“last Friday”, counted from the report's date), the agency said ... [1]."
    """
    when, mention = answer_date(question, e, in_span)
    if when is None:
        return f"{cited(claim_text(e), n)} The article gives no date."
    note = _NO_OTHER_DATE if when.known_from == "publication" else when.note()
    on = (
        f"Since {format_date(when.date, when.precision)}"
        if mention and mention.since
        else _on(when.date, when.precision)
    )
    lead = on + (f" ({note})" if note else "")
    return cited(f"{lead}, {_lower_first(claim_text(e, skip=mention))}", n)


class Composer:
    """Builds the answer text and its citations from evidence, best first."""

    def __init__(self, settings: ComposeSettings) -> None:
        self.settings = settings

    def compose(self, asked: Question, evidence: list[Evidence]) -> tuple[str, list[Citation]]:
        """The answer from evidence ranked best first; its wording reads the question with its context."""
        if not evidence or evidence[0].score < self.settings.min_score:
            return ABSTAIN_TEXT, []
        lead, earlier = order_by_stance(evidence, asked, self.settings.conflict_margin)
        question, kind = asked.with_context, asked.type
        if kind == "how_many" and not earlier:
            lead = next((e for e in evidence[:2] if e.says_unknown or self._quantity(question, e)), lead)
        citations: list[Citation] = []
        parts = [self._lead(question, kind, lead, self._cite(lead, citations), changed=bool(earlier))]
        if earlier:
            parts += [self._earlier(e, self._cite(e, citations)) for e in earlier]
            latest = event_date(lead)
            parts.append(
                f"The {format_date(latest.date, latest.precision)} {_stance_noun(lead)} is the latest in the articles."
            )
        else:
            supports = self._supports(question, evidence, lead, kind)
            parts += [cited(claim_text(e), self._cite(e, citations)) for e in supports]
        return " ".join(parts), citations

    def _lead(self, question: str, kind: QuestionType, e: Evidence, n: int, changed: bool = False) -> str:
        claim = claim_text(e)
        if kind == "when":
            return self._when(question, e, n)
        if kind == "how_many" and not e.says_unknown and (quantity := self._quantity(question, e)):
            return cited(f"{quantity}{self._according(e)}", n)
        if kind == "yes_no" and (verdict := self._verdict(question, e, changed)):
            return f"{verdict} {cited(claim, n)}"
        return cited(claim, n)

    def _when(self, question: str, e: Evidence, n: int) -> str:
        return dated_claim(question, e, n)

    @staticmethod
    def _quantity(question: str, e: Evidence) -> str | None:
        """The figure of the sentence that best fits the question's words; a date's day is not a figure."""
        words = set(re.findall(r"\w+", question.lower()))
        in_date = [(d.start, d.end) for d in e.dates]
        matches = [m for m in _QUANTITY.finditer(e.text) if not any(s <= m.start(2) < end for s, end in in_date)]
        if not matches:
            return None
        best = max(matches, key=lambda m: len(words & set(re.findall(r"\w+", m.group(3).lower()))))
        phrase = best.group(0).strip()
        return phrase[0].upper() + phrase[1:]

    @staticmethod
    def _according(e: Evidence) -> str:
        return f", according to {e.speaker}" if e.speaker else ""

    @staticmethod
    def _verdict(question: str, e: Evidence, changed: bool) -> str | None:
        if _STILL.search(question):
            return "No." if changed else None
        asks_confirm, asks_deny = bool(_CONFIRM_Q.search(question)), bool(_DENY_Q.search(question))
        if asks_confirm and e.stance in ("confirms", "denies"):
            return "Yes." if e.stance == "confirms" else "No."
        if asks_deny and e.stance in ("confirms", "denies"):
            return "Yes." if e.stance == "denies" else "No."
        return None

    def _earlier(self, e: Evidence, n: int) -> str:
        """The superseded stance, its date first and said where it comes from: "Earlier, on 21 October 2024
        (the date of the report), Acme denied ..."."""
        when = event_date(e)
        if when.date == dt.date.min:
            return cited(f"Earlier, {_lower_first(claim_text(e))}", n)
        note = when.note()
        dated = _lower_first_word(_on(when.date, when.precision)) + (f" ({note})" if note else "")
        own = next((d for d in e.dates if when.known_from == "sentence" and d.text == when.expression
                    and d.date == when.date), None)  # fmt: skip
        return cited(f"Earlier, {dated}, {_lower_first(claim_text(e, skip=own))}", n)

    def _supports(self, question: str, evidence: list[Evidence], lead: Evidence, kind: QuestionType) -> list[Evidence]:
        """Sentences that add to the lead: from its own article, or from another that gives the same
        answer (the same figure, date, name or place), so a support never cites an unrelated report."""
        chosen: list[Evidence] = []
        if kind == "who" and lead.speaker is None and (named := _named_speaker_before(lead, evidence)):
            chosen.append(named)
        if kind == "why" and not kind_match(kind, lead.text, lead.dates) and (reason := _reason_after(lead)):
            chosen.append(reason)
        for e in evidence[1:]:
            if len(chosen) >= self.settings.max_supports or e.score < lead.score - self.settings.support_margin:
                break
            if e is lead or any(_overlap(e.text, c.text) >= 0.5 for c in [lead, *chosen]):
                continue
            if e.article is lead.article or _same_answer(question, kind, e, lead):
                chosen.append(e)
        return chosen

    @staticmethod
    def _cite(e: Evidence, citations: list[Citation]) -> int:
        """The citation of the sentence, without its dateline (the quote is still verbatim at its offsets)."""
        meta, skip = e.article.meta, dateline_end(e.text)
        for citation in citations:
            if citation.doc_id == meta.doc_id and citation.start == e.sentence.start + skip:
                return citation.n
        n = len(citations) + 1
        citations.append(Citation(n=n, doc_id=meta.doc_id, title=meta.title, publisher=meta.publisher,
                                  published=meta.published, url=meta.url, quote=e.text[skip:],
                                  start=e.sentence.start + skip, end=e.sentence.end))  # fmt: skip
        return n


def _lower_first_word(text: str) -> str:
    return text[:1].lower() + text[1:]


def _on(date: dt.date, precision: Precision) -> str:
    """How a date leads a sentence. Example: (2024-06-01, "month") -> "In June 2024"."""
    return f"{'On' if precision == 'day' else 'In'} {format_date(date, precision)}"


def _named_speaker_before(lead: Evidence, evidence: list[Evidence]) -> Evidence | None:
    """For a quote ending "he added", the sentence before it if it names a speaker, else the nearest
    earlier sentence of the article among the evidence that does."""
    if not _PRONOUN_SPEAKER.search(lead.text):
        return None
    if lead.before is not None and (before := Evidence.unscored(lead.before, lead.article)).speaker:
        return before
    earlier = [e for e in evidence if e.article is lead.article and e.sentence.end <= lead.sentence.start]
    named = [e for e in earlier if e.speaker]
    return max(named, key=lambda e: e.sentence.start) if named else None


def _reason_after(lead: Evidence) -> Evidence | None:
    """For a why-question led by a sentence that gives no reason, the next sentence of the article
    if it gives one ("... reaches 1.4 million." -> "But these events are caused by ...")."""
    sentences = lead.article.sentences
    at = next((i for i, s in enumerate(sentences) if s.sentence_id == lead.sentence.sentence_id), None)
    if at is None or at + 1 >= len(sentences):
        return None
    after = Evidence.unscored(sentences[at + 1], lead.article)
    return after if kind_match("why", after.text, after.dates) else None


def _same_answer(question: str, kind: QuestionType, e: Evidence, lead: Evidence) -> bool:
    """Whether two sentences give the same answer to the question: for a figure, date, name or
    place, one the question does not give itself. Other kinds of answer cannot be compared so."""
    asked = set(tokenize(question))
    if kind == "how_many":
        return bool(_figures(e) & _figures(lead) - set(_FIGURE.findall(question)))
    if kind == "when":
        return bool({d.date for d in e.dates if not d.since} & {d.date for d in lead.dates if not d.since})
    if kind == "where":
        return bool({p.lower() for p in new_places(asked, e.text)} & {p.lower() for p in new_places(asked, lead.text)})
    if kind == "who":
        names = [set(_NAME_RUN.findall(x.text)) for x in (e, lead)]
        return any(not set(tokenize(n)) <= asked for n in names[0] & names[1])
    return False


def _figures(e: Evidence) -> set[str]:
    """The figures of a sentence, less the numbers of its dates. Example: "1,500 troops on Oct. 12" -> {"1500"}."""
    return {f.replace(",", "") for f in _FIGURE.findall(e.text_without_dates)}


def latest_of_all(e: Evidence) -> str:
    """Example: "The 28 April 2025 confirmation is the latest in the articles."."""
    when = event_date(e)
    return f"The {format_date(when.date, when.precision)} {_stance_noun(e)} is the latest in the articles."


def _stance_noun(e: Evidence) -> str:
    return {"confirms": "confirmation", "denies": "denial"}.get(e.stance, "report")


def _overlap(a: str, b: str) -> float:
    x, y = set(a.lower().split()), set(b.lower().split())
    return len(x & y) / max(1, min(len(x), len(y)))
